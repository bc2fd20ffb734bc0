/**
 * The two nudge controls of the page: run the weekly check-in now, and replay the demo
 * stream's history through the signal check so the XmR alert fires. The nudges themselves
 * come from src/nudges (passed in as PlaygroundNudges); the playground only posts them.
 */
import { runCommand, type CommandContext } from '../../commands/index.ts';
import type { Reply } from '../../commands/reply.ts';
import type { Logger } from '../../http/server.ts';
import type { PlaygroundMessage } from './channel-log.ts';
import type { ControlResult } from './routes.ts';

/** What the controls need from src/nudges, for the playground channel of `ctx`. */
export interface PlaygroundNudges {
  /** the weekly check-in agenda of the channel as of ctx.now */
  checkinNow(ctx: CommandContext): Promise<Reply[]>;
  /** walks the bound stream's history and returns the signal alerts it raises, oldest first */
  replaySignals(ctx: CommandContext): Promise<Reply[]>;
}

export type ControlName = 'checkin-now' | 'replay-demo';

export interface ControlOptions {
  context: CommandContext;
  nudges: PlaygroundNudges | undefined;
  post(reply: Reply, options: { label?: string; kind?: 'reply' | 'nudge' }): PlaygroundMessage;
  log: Pick<Logger, 'error'>;
}

const LABELS: Record<ControlName, string> = { 'checkin-now': 'Weekly check-in', 'replay-demo': 'XmR signal (replayed)' };

const NOT_MOUNTED =
  'the nudges (src/nudges) are not passed to mountPlayground, so this control has nothing to run; pass { nudges } (see src/chat/playground/index.ts)';

/** Without src/nudges, the check-in still runs when the command layer knows `/flow checkin now`. */
async function checkinByCommand(ctx: CommandContext): Promise<Reply[] | null> {
  const reply = await runCommand(ctx, 'checkin now');
  return reply.error?.code === 'unknown-command' ? null : [reply];
}

/** Runs one control and posts what it produced into the channel. */
export async function runControl(name: ControlName, options: ControlOptions): Promise<ControlResult> {
  const { context: ctx, nudges } = options;
  let replies: Reply[] | null;
  try {
    if (name === 'checkin-now') replies = nudges ? await nudges.checkinNow(ctx) : await checkinByCommand(ctx);
    else replies = nudges ? await nudges.replaySignals(ctx) : null;
  } catch (error) {
    options.log.error(`playground: ${name} failed`, { error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    return { status: 500, summary: `${LABELS[name]} failed: ${error instanceof Error ? error.message : String(error)}. See the server log.`, messages: [] };
  }
  if (replies === null) return { status: 501, summary: `${LABELS[name]}: ${NOT_MOUNTED}.`, messages: [] };
  const messages = replies.map((reply) => options.post(reply, { kind: 'nudge', label: LABELS[name] }));
  if (name === 'checkin-now') {
    return { status: 200, summary: messages.length > 0 ? 'Weekly check-in posted.' : 'Nothing to put on the check-in agenda.', messages };
  }
  const summary = messages.length === 0
    ? 'Replayed the history: no signal alert fired (only routine variation).'
    : `Replayed the history: ${messages.length} signal alert${messages.length === 1 ? '' : 's'} fired.`;
  return { status: 200, summary, messages };
}
