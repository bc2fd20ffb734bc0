import { boundStream, notBoundReply, type BoundStream, type CommandContext } from './context.ts';
import { bindReply, streamsReply } from './handlers/bind.ts';
import { eventFormReply, eventListReply, logEvent } from './handlers/events.ts';
import { experimentEndReply, experimentStartReply, experimentStatusReply } from './handlers/experiments.ts';
import { forecastReply } from './handlers/forecast.ts';
import { helpReply } from './handlers/help.ts';
import { metricReply, xmrReply } from './handlers/metrics.ts';
import { ffrReply, outcomeReply, outcomesReply } from './handlers/outcomes.ts';
import { checkinCommand } from './handlers/checkin.ts';
import { createNudgeCharts } from '../nudges/nudge-charts.ts';
import { ownerCommand } from './handlers/owner.ts';
import { parseCommand, type Command } from './parse.ts';
import { errorReply, type Reply } from '../reply/reply.ts';

export type { CommandContext, BoundStream } from './context.ts';
export type { Reply } from '../reply/reply.ts';
export { answersWithChart, parseCommand, type Command } from './parse.ts';
export { boundStream } from './context.ts';
export { logEvent, localToday } from './handlers/events.ts';
export { epicsWithoutOutcome, recordOutcome } from './handlers/outcomes.ts';
export { COMMAND_EXAMPLES } from './handlers/help.ts';

type StreamCommand = Exclude<Command, { name: 'help' | 'bind' | 'streams' | 'refused' | 'invalid' | 'checkin' | 'owner' }>;


/** The commands that work on the channel's stream, by name. */
async function runOnStream(ctx: CommandContext, stream: BoundStream, command: StreamCommand): Promise<Reply> {
  switch (command.name) {
    case 'metric':
      return metricReply(ctx, stream, command.metric, command.period);
    case 'xmr':
      return xmrReply(ctx, stream, command.series, command.period, command.scale);
    case 'forecast':
      return forecastReply(ctx, stream, command.mode, command.amount);
    case 'event':
      if (command.action === 'list') return eventListReply(ctx, stream);
      if (command.action === 'form') return eventFormReply(stream);
      return logEvent(ctx, stream, { text: command.text, ...(command.kind && { kind: command.kind }), ...(command.date && { date: command.date }) });
    case 'outcome':
      return outcomeReply(ctx, stream, command.epic, command.text);
    case 'ffr':
      return ffrReply(ctx, stream);
    case 'outcomes':
      return outcomesReply(ctx, stream);
    case 'experiment':
      if (command.action === 'start') return experimentStartReply(ctx, stream, command);
      if (command.action === 'status') return experimentStatusReply(ctx, stream);
      return experimentEndReply(ctx, stream);
  }
}

/**
 * Runs the text after `/flow` and answers with a platform-neutral Reply. Per-person requests
 * are refused before anything is read; a channel with no bound stream is told how to bind one.
 * @example await runCommand({ store, charts, platform: 'slack', channelId: 'C1', userId: 'U1', now }, 'cycletime 30d')
 */
export async function runCommand(ctx: CommandContext, text: string): Promise<Reply> {
  const command = parseCommand(text);
  switch (command.name) {
    case 'refused':
      return { text: `I won't do that: ${command.reason}`, ephemeral: true, error: { code: 'per-person-refused', fix: 'Ask about the stream, e.g. /flow cycletime 30d or /flow stages.' } };
    case 'invalid':
      return errorReply('invalid-command', command.problem, command.fix);
    case 'help':
      return helpReply(command.unknown);
    case 'bind':
      return bindReply(ctx, command.stream);
    case 'streams':
      return streamsReply(ctx);
    case 'checkin':
      return checkinCommand(ctx, command.rest, { charts: createNudgeCharts(ctx.charts) });
    case 'owner':
      return ownerCommand(ctx, command.rest);
  }
  const stream = await boundStream(ctx);
  if (!stream) return notBoundReply();
  return runOnStream(ctx, stream, command);
}
