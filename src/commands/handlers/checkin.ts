/**
 * `/flow checkin DAY HH:MM [TZ]`, `/flow checkin now`, `/flow checkin off`, `/flow checkin`
 * (show). The command layer routes the text after "checkin" here:
 *
 * @example
 * case 'checkin': return checkinCommand(ctx, rest, { charts });
 */
import { dayMonth, isTimeZone, localClockOf, weekdayName, zoneAbbreviation } from '../../core/index.ts';
import { z } from 'zod';
import { boundStream, notBoundReply, type CommandContext } from '../context.ts';
import { errorReply, type Reply } from '../../reply/reply.ts';
import { bindChannel } from '../../store/channel-bindings.ts';
import { loadStreamHistory } from '../../store/stream-history.ts';
import { buildCheckinAgenda } from '../../nudges/checkin-agenda.ts';
import { CHECKIN_DAYS, checkinScheduleOf, nextCheckin, type CheckinDay } from '../../nudges/checkin-schedule.ts';
import type { NudgeCharts } from '../../nudges/nudge-charts.ts';

const USAGE = 'Use /flow checkin DAY HH:MM [TIME ZONE] (e.g. /flow checkin monday 09:30 Europe/Berlin), /flow checkin now, or /flow checkin off.';

const DAY_ALIASES: Record<string, CheckinDay> = { mon: 'monday', tue: 'tuesday', tues: 'tuesday', wed: 'wednesday', thu: 'thursday', thur: 'thursday', thurs: 'thursday', fri: 'friday', sat: 'saturday', sun: 'sunday' };

const scheduleSchema = z.object({
  day: z.string().transform((d, ctx) => {
    const day = d.toLowerCase();
    const full = (CHECKIN_DAYS as readonly string[]).includes(day) ? (day as CheckinDay) : DAY_ALIASES[day];
    if (!full) ctx.addIssue({ code: 'custom', message: `"${d}" is not a day: use monday … sunday (or mon … sun).` });
    return full as CheckinDay;
  }),
  time: z.string().regex(/^([01]?\d|2[0-3]):[0-5]\d$/, 'The time is HH:MM on a 24-hour clock, e.g. 09:30 or 14:00.').transform((t) => t.padStart(5, '0')),
  timeZone: z.string().refine((zone) => isTimeZone(zone), { error: (issue) => `"${String(issue.input)}" is not a time zone: use an IANA name such as Europe/Berlin or America/New_York.` }).optional(),
});

/** Runs the check-in command for the channel of `ctx`. */
export async function checkinCommand(ctx: CommandContext, text: string, deps: { charts?: NudgeCharts | null } = {}): Promise<Reply> {
  const stream = await boundStream(ctx);
  if (!stream) return notBoundReply();
  const words = text.trim().split(/\s+/).filter(Boolean);
  const action = words[0]?.toLowerCase();

  if (action === 'now') {
    const history = await loadStreamHistory(ctx.store, stream.name);
    if (!history) return notBoundReply();
    return buildCheckinAgenda({ store: ctx.store, charts: deps.charts ?? null }, history, ctx.now);
  }
  if (action === 'off') {
    await bindChannel(ctx.store.db, { platform: ctx.platform, channelId: ctx.channelId, streamId: stream.streamId, checkinDay: 'off' }, ctx.now);
    return { text: 'The weekly check-in of this channel is off. Switch it on again with /flow checkin DAY HH:MM.' };
  }
  if (words.length === 0) {
    const schedule = checkinScheduleOf(stream.binding, stream.map.timeZone);
    if (!schedule) return { text: `This channel has no weekly check-in. ${USAGE}`, ephemeral: true };
    return { text: `Weekly check-in: ${describe(schedule.day, schedule.time, schedule.timeZone)}; next ${formatNext(nextCheckin(schedule, ctx.now), schedule.timeZone)}.`, ephemeral: true };
  }
  if (words.length < 2 || words.length > 3) return errorReply('bad-checkin', `"/flow checkin ${text.trim()}" is not a check-in command.`, USAGE);
  const parsed = scheduleSchema.safeParse({ day: words[0], time: words[1], timeZone: words[2] });
  if (!parsed.success) return errorReply('bad-checkin', parsed.error.issues[0]!.message, USAGE);
  const { day, time, timeZone } = parsed.data;
  await bindChannel(
    ctx.store.db,
    { platform: ctx.platform, channelId: ctx.channelId, streamId: stream.streamId, checkinDay: day, checkinTime: time, ...(timeZone && { timezone: timeZone }) },
    ctx.now,
  );
  const zone = timeZone ?? stream.binding.timezone ?? stream.map.timeZone;
  const next = nextCheckin({ day, time, timeZone: zone }, ctx.now);
  return { text: `Weekly check-in set: ${describe(day, time, zone)}. The first one is ${formatNext(next, zone)}: 15 minutes, five sections of 3.` };
}

function describe(day: CheckinDay, time: string, zone: string): string {
  return `${day[0]!.toUpperCase()}${day.slice(1)}s at ${time} (${zone})`;
}

function formatNext(at: number, zone: string): string {
  const local = localClockOf(at, zone);
  const time = `${String(local.hour).padStart(2, '0')}:${String(local.minute).padStart(2, '0')}`;
  return `${weekdayName(local.weekday)} ${dayMonth(local.date)}, ${time} ${zoneAbbreviation(at, zone)}`;
}
