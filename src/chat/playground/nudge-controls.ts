/**
 * The two nudge controls of the page: run the weekly check-in now, and replay the demo
 * stream's history through the signal check so the XmR alert fires. Both use src/nudges as
 * the scheduler does: the nudge is written to the outbox, and the outbox worker delivers it
 * through the playground deliverer into the channel. The playground only triggers them.
 */
import { randomBytes } from 'node:crypto';
import type { CommandContext } from '../../commands/index.ts';
import type { Logger } from '../../log/logger.ts';
import type { NudgeContext } from '../../nudges/nudge-context.ts';
import type { OutboxWorker } from '../../nudges/outbox-worker.ts';
import { getBinding, type ChannelBinding } from '../../store/channel-bindings.ts';
import { loadStreamHistoryOf } from '../../store/stream-history.ts';
import { getStreamById } from '../../store/value-streams.ts';
import type { PlaygroundMessage } from './channel-log.ts';
import { bindingTarget } from '../../nudges/bound-streams.ts';
import { buildCheckinAgenda } from '../../nudges/checkin-agenda.ts';
import { targetKey } from '../../nudges/nudge-target.ts';
import { postNudge } from '../../nudges/post-nudge.ts';
import type { StreamHistory } from '../../store/stream-history.ts';
import { replaySignals, replayStart } from './replay-signals.ts';
import type { ControlResult } from './routes.ts';

/** How the playground reaches src/nudges (wired by `npm start`, see index.ts). */
export interface PlaygroundNudges {
  /** the nudges' context, as the scheduler gets it (store, charts, log) */
  context: NudgeContext;
  /** the app's outbox worker, with the playground's deliverer registered */
  outbox: Pick<OutboxWorker, 'runOnce'>;
}

export type ControlName = 'checkin-now' | 'replay-demo';

export interface ControlOptions {
  context: CommandContext;
  nudges: PlaygroundNudges | undefined;
  /** waits (up to `timeoutMs`) until the messages after `id` satisfy `done`; returns them */
  waitForMessages(id: number, done: (messages: PlaygroundMessage[]) => boolean, timeoutMs: number): Promise<PlaygroundMessage[]>;
  lastMessageId(): number;
  log: Pick<Logger, 'error'>;
}

/** How long a control waits for the outbox worker to deliver what it enqueued. */
export const DELIVERY_WAIT_MS = 15_000;

const NOT_WIRED = 'src/nudges is not wired to the playground (mountPlayground got no `nudges`), so there is nothing to run; see src/chat/playground/index.ts';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * The check-in now, as the scheduler would post it: the agenda of src/nudges, written to the
 * outbox and delivered. Its dedup key is unique, so each click posts one (the scheduled
 * check-in keeps its own once-a-week key).
 */
async function checkinNow(options: ControlOptions, binding: ChannelBinding): Promise<ControlResult> {
  const { nudges, context: ctx } = options;
  if (!nudges) return { status: 501, summary: `Weekly check-in: ${NOT_WIRED}.`, messages: [] };
  const history = await historyOf(ctx, binding);
  if (!history) return GONE;
  const before = options.lastMessageId();
  const target = bindingTarget(binding);
  const message = await buildCheckinAgenda(nudges.context, history, ctx.now);
  const dedupKey = `checkin-now:${targetKey(target)}:${ctx.now}:${randomBytes(4).toString('hex')}`;
  await postNudge(nudges.context, { kind: 'checkin', target, dedupKey, message }, ctx.now);
  // Deliver it now; the app's worker loop may be delivering it at the same moment, so wait for it.
  await nudges.outbox.runOnce();
  const messages = await options.waitForMessages(before, (m) => m.some((x) => x.label === 'Weekly check-in'), DELIVERY_WAIT_MS);
  return { status: 200, summary: messages.length > 0 ? 'Weekly check-in posted.' : 'The check-in is in the outbox; it shows here once delivered.', messages };
}

async function historyOf(ctx: CommandContext, binding: ChannelBinding): Promise<StreamHistory | null> {
  const stream = await getStreamById(ctx.store.db, binding.streamId);
  return stream ? loadStreamHistoryOf(ctx.store, stream) : null;
}

const GONE: ControlResult = { status: 409, summary: 'The channel follows a stream that no longer exists: bind one with /flow bind demo.', messages: [] };

/** The replay: the signal check week by week over the history, its alerts delivered into the channel. */
async function replayDemo(options: ControlOptions, binding: ChannelBinding): Promise<ControlResult> {
  const { nudges, context: ctx } = options;
  if (!nudges) return { status: 501, summary: `Replay: ${NOT_WIRED}.`, messages: [] };
  const history = await historyOf(ctx, binding);
  if (!history) return GONE;
  const before = options.lastMessageId();
  const from = replayStart(history, ctx.now);
  const result = await replaySignals(nudges.context, history, binding, ctx.now, { from });
  await nudges.outbox.runOnce();
  const replayed = (m: PlaygroundMessage[]) => m.filter((x) => x.label?.endsWith('· replayed')).length >= result.posts.length;
  const messages = await options.waitForMessages(before, replayed, DELIVERY_WAIT_MS);
  const checks = plural(result.checkedAt.length, 'weekly signal check');
  const summary = result.posts.length === 0
    ? `Replayed ${checks} of ${history.name}: no signal, only routine variation, so no alert.`
    : `Replayed ${checks} of ${history.name}: ${plural(result.posts.length, 'signal alert')} fired.`;
  return { status: 200, summary, messages };
}

/** Runs one control for the channel of `options.context`. */
export async function runControl(name: ControlName, options: ControlOptions): Promise<ControlResult> {
  const ctx = options.context;
  const binding = await getBinding(ctx.store.db, ctx.platform, ctx.channelId);
  if (!binding) return { status: 409, summary: 'This channel follows no value stream: type /flow bind demo first.', messages: [] };
  try {
    return name === 'checkin-now' ? await checkinNow(options, binding) : await replayDemo(options, binding);
  } catch (error) {
    options.log.error(`playground: ${name} failed`, { error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    return { status: 500, summary: `${name === 'checkin-now' ? 'The check-in' : 'The replay'} failed: ${error instanceof Error ? error.message : String(error)}. See the server log.`, messages: [] };
  }
}
