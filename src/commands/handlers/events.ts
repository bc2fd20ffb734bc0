import { localDate, startOfLocalDate } from '../../core/index.ts';
import { addFlowEvent, listFlowEvents } from '../../store/flow-events.ts';
import { BASELINE_EVENT_KIND, SETTLED_PHASE_POINTS } from '../../core/xmr-reading.ts';
import type { BoundStream, CommandContext } from '../context.ts';
import { errorReply, type Reply } from '../../reply/reply.ts';

/** The stream's local date of `now` (YYYY-MM-DD). */
export function localToday(now: number, timeZone: string): string {
  return localDate(now, timeZone);
}

/**
 * Logs a policy change. `date` (a local date, not after today) dates it at that day's start;
 * without it, or for today, it is logged at `now`. Each event opens a new XmR phase.
 */
export async function logEvent(ctx: CommandContext, stream: BoundStream, input: { text: string; date?: string; kind?: string }): Promise<Reply> {
  const today = localToday(ctx.now, stream.map.timeZone);
  if (input.date !== undefined && input.date > today) {
    return errorReply('bad-date', `${input.date} is after today (${today}): an event is logged the day it happened, or after.`, `Give today or an earlier date, e.g. ${today}.`);
  }
  const at = !input.date || input.date === today ? ctx.now : startOfLocalDate(input.date, stream.map.timeZone);
  await addFlowEvent(ctx.store.db, stream.streamId, { at, text: input.text, kind: input.kind ?? 'policy' }, ctx.now);
  if (input.kind === BASELINE_EVENT_KIND) {
    const { leadtime, throughput } = SETTLED_PHASE_POINTS;
    return {
      text: `Limits restarted for ${stream.name} on ${input.date ?? today} ("${input.text}"): every XmR chart starts a new phase here, its limits from its first 20 points. Signals count again once it has ${leadtime} finished items (lead and cycle time) or ${throughput} weeks (throughput, WIP).`,
    };
  }
  return {
    text: `Logged for ${stream.name} on ${input.date ?? today}: "${input.text}". XmR charts start a new phase here; /flow xmr will show whether it made a difference.`,
  };
}

/** `/flow event list`: the logged events, newest first. */
export async function eventListReply(ctx: CommandContext, stream: BoundStream): Promise<Reply> {
  const events = await listFlowEvents(ctx.store.db, stream.streamId);
  if (events.length === 0) {
    return { text: `No event is logged for ${stream.name} yet. Log a policy change with /flow event TEXT.`, ephemeral: true };
  }
  const lines = [...events].reverse().slice(0, 20).map((e) => `${localToday(e.at, stream.map.timeZone)} — ${e.text}${e.kind !== 'policy' ? ` (${e.kind})` : ''}`);
  return {
    text: `${events.length} event${events.length === 1 ? '' : 's'} logged for ${stream.name}${events.length > 20 ? ', the latest 20' : ''}:`,
    sections: [{ text: lines.join('\n') }],
  };
}

/** `/flow event` with no text: open the event form (with a button where a form cannot open at once). */
export function eventFormReply(stream: BoundStream): Reply {
  return {
    text: `Log a policy change for ${stream.name}.`,
    ephemeral: true,
    form: { kind: 'event-form' },
    buttons: [{ id: 'open-event-form', label: 'Log a policy change', opens: 'event-form' }],
  };
}
