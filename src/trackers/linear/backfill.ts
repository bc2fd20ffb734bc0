/**
 * History backfill from Linear (GraphQL): the team's issues, oldest first,
 * each with its history (`IssueHistory` fromState/toState), both paged by
 * Relay cursors. The workflow moves become transitions named as the webhook
 * names them (the state's name), so a later webhook update, which carries only
 * the previous state's id, continues from this stored history rather than from
 * nothing. Labels added and removed (IssueHistory addedLabels/removedLabels) become flag events.
 * Each page of issues is stored, then the cursor.
 */
import { z } from 'zod';
import { labelFlag } from '../../core/blocked-spans.ts';
import type { FlagEvent, Transition } from '../../core/types.ts';
import { readBackfillCursor, saveBackfillCursor } from '../backfill-cursor.ts';
import { BackfillHttpError, createBackfillClient, type BackfillClient } from '../backfill-http.ts';
import { isGraphqlRateLimited, postGraphql } from '../backfill-graphql.ts';
import type { BackfillCommonOptions, BackfillResult } from '../backfill-options.ts';
import { mapItemType } from '../map-item-type.ts';
import type { NormalizeOptions } from '../normalize-options.ts';
import { parseVendorTime } from '../parse-time.ts';
import { storeBackfilledItems, type BackfilledItem } from '../store-work-items.ts';
import { describeZodError } from '../describe-zod-error.ts';
import { linearProjectKey } from './normalize.ts';

const state = z.looseObject({ name: z.string(), type: z.string().optional() });
const pageInfo = z.looseObject({ hasNextPage: z.boolean(), endCursor: z.string().nullable() });
const labelList = z.array(z.looseObject({ name: z.string() })).nullable().optional();
const historyNode = z.looseObject({
  createdAt: z.string(),
  fromState: state.nullable().optional(),
  toState: state.nullable().optional(),
  addedLabels: labelList,
  removedLabels: labelList,
});
const historyPage = z.looseObject({ nodes: z.array(historyNode), pageInfo });
const issueNode = z.looseObject({
  id: z.string(),
  identifier: z.string(),
  title: z.string(),
  createdAt: z.string(),
  completedAt: z.string().nullable().optional(),
  canceledAt: z.string().nullable().optional(),
  state,
  project: z.looseObject({ id: z.string() }).nullable().optional(),
  labels: z.looseObject({ nodes: z.array(z.looseObject({ name: z.string() })) }).optional(),
  history: historyPage,
});
const issuesData = z.looseObject({ issues: z.looseObject({ nodes: z.array(issueNode), pageInfo }) });
const teamsData = z.looseObject({ teams: z.looseObject({ nodes: z.array(z.looseObject({ id: z.string(), key: z.string(), name: z.string().optional() })) }) });
const moreHistoryData = z.looseObject({ issue: z.looseObject({ history: historyPage }) });

type IssueNode = z.infer<typeof issueNode>;
type HistoryNode = z.infer<typeof historyNode>;

const HISTORY_FIELDS = 'nodes { createdAt fromState { name type } toState { name type } addedLabels { name } removedLabels { name } } pageInfo { hasNextPage endCursor }';
const ISSUES_QUERY = `query FlowNudgeBackfill($team: String!, $first: Int!, $after: String) {
  issues(first: $first, after: $after, orderBy: createdAt, includeArchived: true, filter: { team: { key: { eq: $team } } }) {
    nodes {
      id identifier title createdAt completedAt canceledAt
      state { name type }
      project { id }
      labels { nodes { name } }
      history(first: 50) { ${HISTORY_FIELDS} }
    }
    pageInfo { hasNextPage endCursor }
  }
}`;
const MORE_HISTORY_QUERY = `query FlowNudgeHistory($id: String!, $after: String) { issue(id: $id) { history(first: 100, after: $after) { ${HISTORY_FIELDS} } } }`;
const TEAM_QUERY = 'query FlowNudgeTeam($team: String!) { teams(filter: { key: { eq: $team } }) { nodes { id key name } } }';

export interface LinearBackfillOptions extends BackfillCommonOptions {
  /** the team's key, as in its issue identifiers (PLAT-123 → PLAT) */
  team: string;
  /** a personal API key (lin_api_…, sent as is) or an OAuth access token (lin_oauth_… or `Bearer …`, sent as Bearer) */
  token: string;
  /** https://api.linear.app/graphql (tests: a local server) */
  apiUrl?: string;
}

interface LinearCursor {
  after: string | null;
  itemsDone: number;
}

export async function backfillLinear(options: LinearBackfillOptions): Promise<BackfillResult> {
  const now = options.now ?? (() => Date.now());
  const url = options.apiUrl ?? 'https://api.linear.app/graphql';
  const scope = `${url} ${options.team}`;
  const client = createBackfillClient({
    headers: { authorization: /^Bearer\s/i.test(options.token) || !options.token.startsWith('lin_oauth_') ? options.token : `Bearer ${options.token}` },
    isRateLimited: isGraphqlRateLimited,
    ...(options.onWait && { onWait: options.onWait }),
    ...(options.sleep && { sleep: options.sleep }),
  });
  const query = <T>(text: string, variables: Record<string, unknown>, schema: z.ZodType<T>, what: string) => linearQuery(client, url, text, variables, schema, what, options.tokenVariable ?? 'the token variable');
  const teams = await query(TEAM_QUERY, { team: options.team }, teamsData, 'teams');
  if (teams.teams.nodes.length === 0) {
    throw new Error(`Linear has no team with the key "${options.team}" that this key can read: use the team's key as in its issue identifiers (PLAT-123 → PLAT), in the source's team of flow-nudge.yaml or --team`);
  }

  const saved = options.restart ? null : await readBackfillCursor<LinearCursor>(options.db, options.streamId, 'linear', scope);
  const resumed = saved !== null && !saved.done;
  let cursor: LinearCursor = resumed ? saved.position : { after: null, itemsDone: 0 };
  const result: BackfillResult = { pages: 0, items: 0, transitionsAdded: 0, resumed, skipped: [] };
  options.onProgress?.(cursor.itemsDone, null);
  for (;;) {
    const data = await query(ISSUES_QUERY, { team: options.team, first: options.pageSize ?? 50, after: cursor.after }, issuesData, `issues of team ${options.team}`);
    const items: BackfilledItem[] = [];
    for (const issue of data.issues.nodes) {
      const history = [...issue.history.nodes];
      let more = issue.history.pageInfo;
      while (more.hasNextPage && more.endCursor) {
        const page = await query(MORE_HISTORY_QUERY, { id: issue.id, after: more.endCursor }, moreHistoryData, `history of ${issue.identifier}`);
        history.push(...page.issue.history.nodes);
        more = page.issue.history.pageInfo;
      }
      const item = linearBackfilledItem(issue, history, options.normalize ?? {});
      if ('reason' in item) result.skipped.push({ key: issue.identifier, reason: item.reason });
      else items.push(item);
    }
    result.transitionsAdded += await storeBackfilledItems(options.db, options.streamId, 'linear', items, now());
    result.pages += 1;
    result.items += items.length;
    const { hasNextPage, endCursor } = data.issues.pageInfo;
    const done = !hasNextPage || !endCursor;
    cursor = { after: done ? null : endCursor, itemsDone: cursor.itemsDone + data.issues.nodes.length };
    await saveBackfillCursor(options.db, options.streamId, 'linear', scope, { position: cursor, done }, now());
    options.onProgress?.(cursor.itemsDone, null);
    if (done) return result;
  }
}

async function linearQuery<T>(client: BackfillClient, url: string, text: string, variables: Record<string, unknown>, schema: z.ZodType<T>, what: string, tokenVariable: string): Promise<T> {
  let data: unknown;
  try {
    data = await postGraphql<unknown>(client, url, 'Linear', text, variables);
  } catch (error) {
    const message = (error as Error).message;
    if ((error instanceof BackfillHttpError && (error.status === 401 || error.status === 403)) || /AUTHENTICATION_ERROR|not authenticated/i.test(message)) {
      throw new Error(`Linear refused the API key in ${tokenVariable}: set ${tokenVariable} to one from Settings → Security & access → Personal API keys (read access is enough), or use an OAuth token with the read scope. (${message.slice(0, 200)})`);
    }
    throw error;
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new Error(`Linear ${what}: ${describeZodError(parsed.error)}`);
  return parsed.data;
}

/** One issue and its history → a work item whose statuses are the states' names, as the webhook names them, with its label events. */
export function linearBackfilledItem(issue: IssueNode, history: readonly HistoryNode[], options: NormalizeOptions): BackfilledItem | { reason: string } {
  const createdAt = parseVendorTime(issue.createdAt);
  if (createdAt === null) return { reason: 'no creation date' };
  const moves = history
    .flatMap((h) => {
      const at = parseVendorTime(h.createdAt);
      return at !== null && h.toState ? [{ at, from: h.fromState?.name ?? null, to: h.toState.name }] : [];
    })
    .sort((a, b) => a.at - b.at);
  // The creation entry has no fromState; without any entry the issue never moved.
  const initial = moves[0] ? (moves[0].from ?? moves[0].to) : issue.state.name;
  const transitions: Transition[] = [{ from: null, to: initial, at: createdAt }];
  for (const [i, move] of moves.entries()) {
    if (i === 0 && move.from === null) continue;
    const from = transitions.at(-1)!.to;
    if (move.to !== from) transitions.push({ from, to: move.to, at: move.at });
  }
  const flags: FlagEvent[] = [];
  const mentioned = new Set<string>();
  for (const h of history) {
    const at = parseVendorTime(h.createdAt);
    if (at === null) continue;
    for (const [list, on] of [[h.addedLabels, true], [h.removedLabels, false]] as const) {
      for (const label of list ?? []) {
        flags.push({ flag: labelFlag(label.name), on, at });
        mentioned.add(label.name);
      }
    }
  }
  // labels it has that no history entry names were there from its creation
  for (const label of issue.labels?.nodes ?? []) if (!mentioned.has(label.name)) flags.push({ flag: labelFlag(label.name), on: true, at: createdAt });
  const closed = issue.state.type === 'completed' || issue.state.type === 'canceled';
  return {
    key: issue.identifier,
    type: mapItemType((issue.labels?.nodes ?? []).map((l) => l.name), options.typeMap),
    title: issue.title,
    isEpic: false,
    parentKey: issue.project ? linearProjectKey(issue.project.id) : null,
    createdAt,
    closedAt: closed ? (parseVendorTime(issue.completedAt ?? issue.canceledAt) ?? transitions.at(-1)!.at) : null,
    transitions,
    ...(flags.length > 0 && { flags }),
  };
}
