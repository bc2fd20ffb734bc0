/**
 * The Microsoft Teams app: the Microsoft 365 Agents SDK (CloudAdapter + AgentApplication)
 * mounted on the one HTTP server at `POST /api/messages`, chart images at
 * `GET /charts/chart.png?token=…`, and the proactive calls the nudges use.
 */
import { CloudAdapter, type AgentApplication, type TurnState } from '@microsoft/agents-hosting';
import { runCommand as defaultRunCommand } from '../../commands/index.ts';
import type { CommandContext } from '../../commands/context.ts';
import type { Reply } from '../../reply/reply.ts';
import type { FlowNudgeHttpServer, HttpRequest, HttpResponse } from '../../route/route.ts';
import type { ConversationRef } from '../../store/conversation-refs.ts';
import type { Store } from '../../store/database.ts';
import type { ChartRenderer } from '../../charts/index.ts';
import { createTeamsAgent, type TeamsLog } from './agent.ts';
import { loadTeamsAuth } from './auth-config.ts';
import { loadChartImage, pruneChartImages } from './chart-images.ts';
import { processActivity } from './http-shim.ts';
import { isLoopbackUrl } from './loopback.ts';
import { TEAMS_ANONYMOUS_ENV } from '../../config/runtime.ts';
import { openDirectChat, sendProactiveReply, type DirectChatTarget, type ProactiveOptions } from './proactive.ts';
import type { RetryOptions } from './throttle-retry.ts';

export { ConversationGoneError } from './proactive.ts';
export type { DirectChatTarget } from './proactive.ts';

/** The route Teams posts Activities to (the Azure Bot resource's messaging endpoint). */
export const TEAMS_MESSAGES_PATH = '/api/messages';
/** The route chart images are served from; the token is a query parameter. */
export const TEAMS_CHART_PATH = '/charts/chart.png';

export interface MountTeamsOptions {
  httpServer: Pick<FlowNudgeHttpServer, 'addRoute'>;
  store: Store;
  /** clientId, clientSecret, tenantId (or MicrosoftAppId, MicrosoftAppPassword, MicrosoftAppTenantId); NODE_ENV */
  env: Record<string, string | undefined>;
  log: TeamsLog;
  clock: () => number;
  /** the program's chart renderer: the charts of command answers */
  charts: ChartRenderer;
  /**
   * Where the client loads chart images from: the public HTTPS base URL (PUBLIC_URL, e.g.
   * https://flow.example.com), or in local use the bot's own http://localhost:PORT (a function:
   * the port is known once it is open).
   */
  publicUrl?: string | (() => string | undefined);
  /**
   * Without clientId, accept unauthenticated Activities (from a loopback serviceUrl only):
   * the playground, or FLOW_NUDGE_TEAMS_ANONYMOUS=true. Never in production. Default false:
   * without clientId mountTeams then throws.
   */
  allowAnonymous?: boolean;
  /** the command layer (default: src/commands runCommand) */
  runCommand?: (ctx: CommandContext, text: string) => Promise<Reply>;
  retry?: RetryOptions;
  chartTtlMs?: number;
}

export interface MountedTeams {
  adapter: CloudAdapter;
  app: AgentApplication<TurnState>;
  /** posts a Reply (card with chart) into a stored conversation; throws ConversationGoneError on 403/404 */
  sendProactive(ref: ConversationRef, reply: Reply): Promise<string | undefined>;
  /** the stored 1:1 chat with a person, or a new one (then stored) */
  openDirectChat(target: DirectChatTarget): Promise<ConversationRef>;
  /** deletes expired chart images; returns how many */
  pruneChartImages(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Mounts Teams on the HTTP server. Without clientId it runs unauthenticated (local use with
 * a fake connector or the Agents Playground) and logs that; in production it refuses to.
 */
export function mountTeams(options: MountTeamsOptions): MountedTeams {
  const auth = loadTeamsAuth(options.env);
  if (auth.anonymous && !options.allowAnonymous) {
    throw new Error(`Teams: clientId is not set. Set clientId, clientSecret and tenantId from the Azure Bot resource, or set ${TEAMS_ANONYMOUS_ENV}=true to accept unauthenticated Activities from a connector on this machine (local use only).`);
  }
  const adapter = new CloudAdapter(auth.config);
  if (auth.anonymous) {
    options.log.warn('teams: no clientId set: POST /api/messages accepts unauthenticated Activities whose serviceUrl is on this machine (local use only). Set clientId, clientSecret and tenantId for Teams.');
  } else {
    options.log.info('teams: authenticating Bot Framework requests', { clientId: auth.appId });
  }
  if (!options.publicUrl) {
    options.log.warn('teams: no PUBLIC_URL set: chart images go inline as data URIs, only while a message stays under 100 KB (Teams refuses bigger ones). Set PUBLIC_URL to the bot\'s HTTPS address so Teams loads charts from /charts.');
  } else if (typeof options.publicUrl === 'string' && !/^https:\/\//i.test(options.publicUrl.trim())) {
    options.log.warn(`teams: PUBLIC_URL is ${options.publicUrl}, not HTTPS: Teams loads card images only over HTTPS, so charts will not show in Teams (local tools still load them). Set PUBLIC_URL to the bot's https:// address.`);
  }
  const proactive: ProactiveOptions = {
    adapter,
    appId: auth.appId,
    store: options.store,
    clock: options.clock,
    ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.chartTtlMs ? { chartTtlMs: options.chartTtlMs } : {}),
  };
  const app = createTeamsAgent({ ...proactive, log: options.log, runCommand: options.runCommand ?? defaultRunCommand, charts: options.charts });
  let stopped = false;

  options.httpServer.addRoute('POST', TEAMS_MESSAGES_PATH, async (request: HttpRequest): Promise<HttpResponse> => {
    if (stopped) return { status: 503, body: { error: 'The Teams app is stopping; Teams will retry.' } };
    if (auth.anonymous) {
      const refused = refuseRemoteServiceUrl(request);
      if (refused) return refused;
    }
    return processActivity(adapter, request, (context) => app.run(context));
  });

  options.httpServer.addRoute('GET', TEAMS_CHART_PATH, async (request: HttpRequest): Promise<HttpResponse> => {
    const token = request.url.searchParams.get('token') ?? '';
    const png = await loadChartImage(options.store.db, token, options.clock());
    if (!png) return { status: 404, body: { error: 'No such chart, or it expired. Ask again (e.g. @flow leadtime) for a fresh one.' } };
    return { status: 200, headers: { 'content-type': 'image/png', 'cache-control': 'private, max-age=86400' }, body: png };
  });

  return {
    adapter,
    app,
    sendProactive: (ref, reply) => sendProactiveReply(proactive, ref, reply),
    openDirectChat: (target) => openDirectChat(proactive, target),
    pruneChartImages: () => pruneChartImages(options.store.db, options.clock()),
    async stop() {
      stopped = true;
    },
  };
}

/**
 * Anonymous mode: an Activity whose serviceUrl is not on this machine is refused before the
 * SDK sees it, so the bot makes no request to it. (A body that is not a JSON Activity is left to the shim's 400.)
 */
function refuseRemoteServiceUrl(request: HttpRequest): HttpResponse | null {
  let activity: { type?: unknown; serviceUrl?: unknown } | null;
  try {
    activity = JSON.parse(request.rawBody.toString('utf8')) as typeof activity;
  } catch {
    return null;
  }
  // Not an Activity at all: the SDK refuses it with 400 and calls nothing.
  if (!activity || typeof activity !== 'object' || typeof activity.type !== 'string') return null;
  const serviceUrl = activity.serviceUrl;
  if (isLoopbackUrl(serviceUrl)) return null;
  return {
    status: 403,
    body: {
      error: `Unauthenticated Teams Activities are accepted only from a connector on this machine; serviceUrl ${JSON.stringify(serviceUrl ?? null)} is not http://localhost or 127.0.0.1. Set clientId, clientSecret and tenantId to take Activities from Teams.`,
    },
  };
}
