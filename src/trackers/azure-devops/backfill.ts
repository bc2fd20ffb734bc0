/**
 * History backfill from Azure DevOps (REST 7.1, PAT as Basic auth): a WIQL
 * query of the project's work items in id order (`[System.Id] > last` pages,
 * so the cursor is the last stored id), their current fields (type, title,
 * parent, owner), then each item's updates (`System.State` oldValue →
 * newValue at StateChangeDate/ChangedDate, as the service hook reports them),
 * paged by the `x-ms-continuationtoken` header when sent, else by $top/$skip.
 */
import { z } from 'zod';
import type { Transition } from '../../core/types.ts';
import { readBackfillCursor, saveBackfillCursor } from '../backfill-cursor.ts';
import { BackfillHttpError, createBackfillClient, type BackfillClient } from '../backfill-http.ts';
import type { BackfillCommonOptions, BackfillResult } from '../backfill-options.ts';
import type { NormalizeOptions } from '../normalize-options.ts';
import { parseVendorTime } from '../parse-time.ts';
import { storeBackfilledItems, type BackfilledItem } from '../store-work-items.ts';
import { describeZodError } from '../describe-zod-error.ts';
import { azureItemFacts, isAzureClosedState } from './normalize.ts';

const API_VERSION = 'api-version=7.1';
const FIELDS = ['System.Id', 'System.WorkItemType', 'System.Title', 'System.State', 'System.CreatedDate', 'System.Parent', 'System.AssignedTo', 'System.CreatedBy', 'Microsoft.VSTS.Common.ClosedDate'];
const fieldChange = z.looseObject({ oldValue: z.unknown().optional(), newValue: z.unknown().optional() });
const wiqlResult = z.looseObject({ workItems: z.array(z.looseObject({ id: z.number().int().positive() })) });
const workItems = z.looseObject({ value: z.array(z.looseObject({ id: z.number().int().positive(), fields: z.record(z.string(), z.unknown()) })) });
const updates = z.looseObject({ count: z.number().optional(), value: z.array(z.looseObject({ rev: z.number().optional(), revisedDate: z.string().optional(), fields: z.record(z.string(), fieldChange).optional() })) });
type Update = z.infer<typeof updates>['value'][number];

export interface AzureBackfillOptions extends BackfillCommonOptions {
  /** https://dev.azure.com/ORG (Azure DevOps Server: https://HOST/COLLECTION; tests: a local server) */
  organizationUrl: string;
  /** the team project's name */
  project: string;
  /** a personal access token with Work Items (Read) */
  token: string;
}

interface AzureCursor {
  /** the highest work item id stored; 0 before the first page */
  lastId: number;
  itemsDone: number;
}

export async function backfillAzureDevops(options: AzureBackfillOptions): Promise<BackfillResult> {
  const now = options.now ?? (() => Date.now());
  const org = options.organizationUrl.replace(/\/+$/, '');
  const project = encodeURIComponent(options.project);
  const scope = `${org} ${options.project}`;
  const client = createBackfillClient({
    headers: { authorization: `Basic ${Buffer.from(`:${options.token}`).toString('base64')}` },
    ...(options.onWait && { onWait: options.onWait }),
    ...(options.sleep && { sleep: options.sleep }),
  });
  await checkProject(client, org, options.project, options.tokenVariable);
  const saved = options.restart ? null : await readBackfillCursor<AzureCursor>(options.db, options.streamId, 'azure-devops', scope);
  const resumed = saved !== null && !saved.done;
  let cursor: AzureCursor = resumed ? saved.position : { lastId: 0, itemsDone: 0 };
  const result: BackfillResult = { pages: 0, items: 0, transitionsAdded: 0, resumed, skipped: [] };
  const pageSize = Math.min(options.pageSize ?? 200, 200); // workitems?ids= takes at most 200
  options.onProgress?.(cursor.itemsDone, null);

  for (;;) {
    const query = `SELECT [System.Id] FROM WorkItems WHERE [System.TeamProject] = @project AND [System.Id] > ${cursor.lastId} ORDER BY [System.Id] ASC`;
    const wiql = parse(wiqlResult, (await client.post<unknown>(`${org}/${project}/_apis/wit/wiql?$top=${pageSize}&${API_VERSION}`, { query })).body, 'WIQL result');
    const ids = wiql.workItems.map((w) => w.id);
    const items: BackfilledItem[] = [];
    if (ids.length > 0) {
      const url = `${org}/${project}/_apis/wit/workitems?ids=${ids.join(',')}&fields=${FIELDS.join(',')}&errorPolicy=omit&${API_VERSION}`;
      const details = parse(workItems, (await client.get<unknown>(url)).body, 'work items');
      for (const workItem of details.value) {
        const history = await allUpdates(client, `${org}/${project}/_apis/wit/workItems/${workItem.id}/updates`);
        const item = azureBackfilledItem(workItem.id, workItem.fields, history, options.normalize ?? {});
        if ('reason' in item) result.skipped.push({ key: String(workItem.id), reason: item.reason });
        else items.push(item);
      }
    }
    result.transitionsAdded += await storeBackfilledItems(options.db, options.streamId, 'azure-devops', items, now());
    result.pages += 1;
    result.items += items.length;
    const done = ids.length < pageSize;
    cursor = { lastId: ids.length ? Math.max(cursor.lastId, ...ids) : cursor.lastId, itemsDone: cursor.itemsDone + ids.length };
    await saveBackfillCursor(options.db, options.streamId, 'azure-devops', scope, { position: cursor, done }, now());
    options.onProgress?.(cursor.itemsDone, null);
    if (done) return result;
  }
}

function parse<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const r = schema.safeParse(body);
  if (!r.success) throw new Error(`Azure DevOps ${what}: ${describeZodError(r.error)}`);
  return r.data;
}

/** A wrong project, organization or PAT stops before anything is stored, with the fix. */
async function checkProject(client: BackfillClient, org: string, project: string, tokenVariable = 'the token variable'): Promise<void> {
  try {
    const { body } = await client.get<unknown>(`${org}/_apis/projects/${encodeURIComponent(project)}?${API_VERSION}`);
    parse(z.looseObject({ name: z.string() }), body, `project ${project}`);
  } catch (error) {
    if (!(error instanceof BackfillHttpError)) throw error;
    if (error.status === 404) {
      throw new Error(`Azure DevOps has no project "${project}" in ${org} that this PAT can read: use the team project's name as in its URL (https://dev.azure.com/ORG/PROJECT), in the source's project of flow-nudge.yaml or --project`);
    }
    // a refused PAT: 401, or 203 with the sign-in page
    if (error.status === 401 || error.status === 403 || error.status === 203) {
      throw new Error(`Azure DevOps refused the personal access token in ${tokenVariable} (${error.status}): set ${tokenVariable} to one for this organization with the Work Items (Read) scope (User settings → Personal access tokens)`);
    }
    throw error;
  }
}

async function allUpdates(client: BackfillClient, base: string): Promise<Update[]> {
  const all: Update[] = [];
  let continuation: string | null = null;
  for (;;) {
    const url: string = continuation ? `${base}?continuationToken=${encodeURIComponent(continuation)}&${API_VERSION}` : `${base}?$top=200&$skip=${all.length}&${API_VERSION}`;
    const { body, headers }: { body: unknown; headers: Headers } = await client.get<unknown>(url);
    const page = parse(updates, body, `updates of ${base.split('/').at(-2)}`);
    all.push(...page.value);
    continuation = headers.get('x-ms-continuationtoken');
    if (!continuation && page.value.length < 200) return all;
    if (page.value.length === 0) return all;
  }
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

/**
 * One work item's current fields and updates → a work item whose transitions
 * are its System.State changes, timed as the service hook times them
 * (StateChangeDate, else ChangedDate of the update).
 */
export function azureBackfilledItem(id: number, fields: Record<string, unknown>, history: readonly Update[], options: NormalizeOptions): BackfilledItem | { reason: string } {
  const createdAt = parseVendorTime(fields['System.CreatedDate']);
  if (createdAt === null) return { reason: 'no System.CreatedDate' };
  const moves: { at: number; from: string | null; to: string }[] = [];
  for (const update of history) {
    const state = update.fields?.['System.State'];
    const to = text(state?.newValue);
    if (!state || !to) continue;
    const at = parseVendorTime(update.fields?.['Microsoft.VSTS.Common.StateChangeDate']?.newValue) ?? parseVendorTime(update.fields?.['System.ChangedDate']?.newValue);
    if (at === null) continue;
    moves.push({ at, from: text(state.oldValue), to });
  }
  moves.sort((a, b) => a.at - b.at);
  // The creating update sets System.State without an oldValue.
  const initial = moves[0] ? (moves[0].from ?? moves[0].to) : (text(fields['System.State']) ?? null);
  const transitions: Transition[] = initial ? [{ from: null, to: initial, at: createdAt }] : [];
  for (const [i, move] of moves.entries()) {
    if (i === 0 && move.from === null) continue;
    transitions.push({ from: move.from ?? transitions.at(-1)?.to ?? null, to: move.to, at: move.at });
  }
  const facts = azureItemFacts(id, fields, options);
  const state = text(fields['System.State']);
  const closed = state !== null && isAzureClosedState(state);
  return {
    key: facts.key,
    type: facts.type,
    title: facts.title,
    isEpic: facts.isEpic,
    parentKey: facts.parentKey,
    createdAt,
    closedAt: closed ? (transitions.at(-1)?.at ?? parseVendorTime(fields['Microsoft.VSTS.Common.ClosedDate']) ?? createdAt) : null,
    ...(facts.isEpic && facts.owner && { outcomeOwner: facts.owner.email ?? facts.owner.id ?? facts.owner.name }),
    transitions,
  };
}
