/**
 * The local playground: a third thin adapter over the command layer, for a newcomer with no
 * Slack workspace or Teams tenant. One channel, "playground", bound to the demo stream, shown
 * as a chat page at GET /. Commands, forms and nudges go through the same code as in Slack.
 *
 * @example
 * // npm start with no chat credentials (src/http/start-bot.ts):
 * const outbox = createOutboxWorker({ store, now: clock });
 * const nudgeContext = { store, charts: createNudgeCharts(renderer), log, onEnqueued: () => outbox.wake() };
 * const playground = await mountPlayground({ httpServer, store, log, clock, nudges: { context: nudgeContext, outbox } });
 * outbox.register(playground.deliverer); // nudges for platform 'playground' land in the channel
 * outbox.start();
 * // and on each delivery's transitions: playground.onTransitions(stream, keys), then checkSignals(nudgeContext, clock(), { streamName: stream })
 */
import { COMMAND_EXAMPLES, boundStream, epicsWithoutOutcome, localToday, runCommand, type CommandContext } from '../../commands/index.ts';
import type { Reply } from '../../reply/reply.ts';
import type { Logger } from '../../log/logger.ts';
import type { FlowNudgeHttpServer } from '../../route/route.ts';
import { bindChannel, getBinding } from '../../store/channel-bindings.ts';
import type { Store } from '../../store/database.ts';
import type { ChartRenderer } from '../../charts/index.ts';
import { getStream } from '../../store/value-streams.ts';
import { CHART_PATH_PREFIX, createChartCache } from './chart-cache.ts';
import { createChannelLog, type PlaygroundMessage } from './channel-log.ts';
import type { Deliverer } from '../../nudges/deliverer.ts';
import type { NudgeMessage } from '../../nudges/nudge-payload.ts';
import { createPlaygroundDeliverer } from './deliverer.ts';
import { submitPlaygroundForm } from './form-submissions.ts';
import { runControl, type PlaygroundNudges } from './nudge-controls.ts';
import { renderPage } from './page.ts';
import { BOT_NAME, replyToMessage } from './reply-message.ts';
import { addPlaygroundRoutes } from './routes.ts';
import { transitionMessage } from './transition-lines.ts';

export type { PlaygroundMessage } from './channel-log.ts';
export type { PlaygroundNudges } from './nudge-controls.ts';
export { playgroundStreamConfig, PLAYGROUND_WEBHOOK_SECRET_ENV } from './webhook-config.ts';

export const PLAYGROUND_PLATFORM = 'playground';
export const PLAYGROUND_CHANNEL = 'playground';
/** who types in the playground: used only to answer, never in a metric */
const PLAYGROUND_USER = 'playground-user';

export interface PlaygroundOptions {
  httpServer: Pick<FlowNudgeHttpServer, 'addRoute'>;
  store: Store;
  log: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** epoch ms */
  clock: () => number;
  /** the program's chart renderer: the charts of command answers */
  renderer: ChartRenderer;
  /** the stream the channel is bound to when it follows none yet; default 'demo' */
  streamName?: string;
  /** the nudges the controls run (weekly check-in now, replay of the demo history) */
  nudges?: PlaygroundNudges;
}

export interface Playground {
  /** posts a Reply into the channel as the bot (nudges use it); `label` shows above it */
  post(reply: NudgeMessage, options?: { label?: string }): PlaygroundMessage;
  /** shows a tracker delivery's transitions in the channel: pass it as startServer's onTransitions */
  onTransitions(streamName: string, keys: string[]): Promise<void>;
  /** the nudges outbox deliverer for platform 'playground' */
  deliverer: Deliverer;
  /** releases waiting long-polls; the routes stay registered on the server until it closes */
  stop(): void;
}

const COMMAND_PREFIX = /^\/flow(?:\s+|$)/i;

/** Mounts the playground's routes on the server and binds its channel to the demo stream if it follows none. */
export async function mountPlayground(options: PlaygroundOptions): Promise<Playground> {
  const { httpServer, store, log, clock } = options;
  const streamName = options.streamName ?? 'demo';
  const channel = createChannelLog({ clock });
  const charts = createChartCache();
  const context = (): CommandContext => ({ store, charts: options.renderer, platform: PLAYGROUND_PLATFORM, channelId: PLAYGROUND_CHANNEL, userId: PLAYGROUND_USER, now: clock() });

  function storeChart(png: Buffer): string {
    const { id, url } = charts.put(png);
    httpServer.addRoute('GET', `${CHART_PATH_PREFIX}${id}.png`, () => {
      const bytes = charts.get(id);
      if (!bytes) return { status: 404, body: { error: 'this chart is no longer kept in memory; run the command again' } };
      return { status: 200, headers: { 'content-type': 'image/png', 'cache-control': 'private, max-age=86400' }, body: bytes };
    });
    return url;
  }

  function post(reply: NudgeMessage, postOptions: { label?: string; kind?: 'reply' | 'nudge' } = {}): PlaygroundMessage {
    return channel.append(replyToMessage(reply, { kind: postOptions.kind ?? 'nudge', ...(postOptions.label ? { label: postOptions.label } : {}), storeChart }));
  }

  // Bind the channel to the demo stream once; a later /flow bind in the page is kept.
  if (!(await getBinding(store.db, PLAYGROUND_PLATFORM, PLAYGROUND_CHANNEL))) {
    const stream = await getStream(store.db, streamName);
    if (stream) await bindChannel(store.db, { platform: PLAYGROUND_PLATFORM, channelId: PLAYGROUND_CHANNEL, streamId: stream.id }, clock());
    else log.warn(`playground: there is no value stream "${streamName}" to bind #${PLAYGROUND_CHANNEL} to; load it with \`npm run flow-nudge -- demo\`, or type /flow bind NAME in the page`);
  }
  const bound = await boundStream(context());
  channel.append({
    author: 'bot',
    name: BOT_NAME,
    kind: 'notice',
    text: bound
      ? `Welcome to the flow-nudge playground. #${PLAYGROUND_CHANNEL} follows the ${bound.name} value stream, as a team channel would. Try /flow leadtime, /flow stages or /flow help; the buttons on the left run the weekly check-in and replay the demo's history so the signal alert fires.`
      : `Welcome to the flow-nudge playground. #${PLAYGROUND_CHANNEL} follows no value stream yet: type /flow streams to see them, then /flow bind NAME.`,
  });

  async function command(text: string): Promise<PlaygroundMessage[]> {
    const typed = channel.append({ author: 'you', name: 'You', kind: 'command', text });
    const words = COMMAND_PREFIX.test(text) ? text.replace(COMMAND_PREFIX, '') : null;
    if (words === null) {
      const hint = text.startsWith('/') ? `Only /flow commands work here; "${text.split(/\s/)[0]}" is not one.` : 'flow-nudge answers /flow commands.';
      return [typed, channel.append({ author: 'bot', name: BOT_NAME, kind: 'reply', ephemeral: true, text: `${hint} Try /flow leadtime or /flow help.` })];
    }
    let reply: Reply;
    try {
      reply = await runCommand(context(), words);
    } catch (error) {
      log.error('playground: command failed', { command: text, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      reply = { text: `Something went wrong running ${text}: ${error instanceof Error ? error.message : String(error)}`, ephemeral: true, error: { code: 'internal', fix: 'See the server log for the details; other commands still work.' } };
    }
    return [typed, post(reply, { kind: 'reply' })];
  }

  async function page(): Promise<string> {
    const ctx = context();
    const stream = await boundStream(ctx);
    const epics = stream ? await epicsWithoutOutcome(ctx, stream) : [];
    return renderPage({
      channel: PLAYGROUND_CHANNEL,
      stream: stream ? { name: stream.name, timeZone: stream.map.timeZone } : null,
      today: localToday(ctx.now, stream?.map.timeZone ?? 'UTC'),
      examples: COMMAND_EXAMPLES,
      epics,
    });
  }

  const controlOptions = () => ({
    context: context(),
    nudges: options.nudges,
    async waitForMessages(id: number, done: (messages: PlaygroundMessage[]) => boolean, timeoutMs: number) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const messages = channel.after(id).messages;
        if (done(messages) || Date.now() >= until) return messages;
        const next = await channel.waitAfter(channel.lastId(), until - Date.now());
        if (next.messages.length === 0) return channel.after(id).messages; // timed out, or the playground stopped
      }
    },
    lastMessageId: () => channel.lastId(),
    log,
  });

  addPlaygroundRoutes(httpServer, {
    page,
    command,
    messages: (after, waitMs) => channel.waitAfter(after, waitMs),
    async form(kind, body) {
      const result = await submitPlaygroundForm(context(), kind, body);
      return { result, messages: result.ok ? [post(result.reply, { kind: 'reply' })] : [] };
    },
    checkinNow: () => runControl('checkin-now', controlOptions()),
    replayDemo: () => runControl('replay-demo', controlOptions()),
  });

  return {
    post: (reply, postOptions) => post(reply, { kind: 'nudge', ...postOptions }),
    async onTransitions(stream, keys) {
      try {
        const message = await transitionMessage(store, stream, keys);
        if (message) channel.append(message);
      } catch (error) {
        log.error('playground: could not show transitions', { stream, error: String(error) });
      }
    },
    deliverer: createPlaygroundDeliverer(PLAYGROUND_CHANNEL, (reply, label) => post(reply, { kind: 'nudge', label })),
    stop: () => channel.close(),
  };
}
