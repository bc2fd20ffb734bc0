/**
 * The weekly 15-minute check-in: five sections of 3 minutes each, with the lead-time XmR
 * chart and the aging chart attached. Built for one channel; `postCheckin` enqueues it once
 * per channel and ISO week.
 */
import { buildTimelines, forecastStability } from '../core/index.ts';
import { getOpenExperiment } from '../store/experiments.ts';
import { stabilitySentence } from './forecast-stability-words.ts';
import type { ChannelBinding } from '../store/channel-bindings.ts';
import type { StreamHistory } from '../store/stream-history.ts';
import { agingNow } from './aging-alert.ts';
import { bindingTarget } from './bound-streams.ts';
import { checkinDue, checkinScheduleOf } from './checkin-schedule.ts';
import { agingSection, constraintSection, eventsAndOutcomesSection, experimentSection, signalsSection, SECTION_MINUTES } from './checkin-sections.ts';
import { listEpics } from './epics.ts';
import type { NudgeContext } from './nudge-context.ts';
import type { NudgeMessage } from './nudge-payload.ts';
import { targetKey } from './nudge-target.ts';
import { outcomeHistory } from './outcome-ask.ts';
import { postNudge } from './post-nudge.ts';
import { alertableSignals } from './signal-alert.ts';
import { watchedSeries } from './signal-series.ts';
import type { ReplyChart } from '../reply/reply.ts';

const DAY = 86_400_000;
export const CHECKIN_SECTIONS = 5;
export const CHECKIN_MINUTES = CHECKIN_SECTIONS * SECTION_MINUTES;

/**
 * The agenda of a stream's check-in at `now`.
 * @example (await buildCheckinAgenda(ctx, history, now)).sections.map((s) => s.title)
 * // ['Signals since last week · 3 min', 'Aging work · 3 min', 'The constraint and its trend · 3 min', 'The experiment · 3 min', 'Events and outcomes · 3 min']
 */
export async function buildCheckinAgenda(ctx: NudgeContext, stream: StreamHistory, now: number): Promise<NudgeMessage> {
  const { map, items, events } = stream;
  const watched = watchedSeries(items, map, events, now);
  const signals = alertableSignals(watched, map.timeZone, now);
  const aging = agingNow(items, map, now);
  const [experiment, epics, asked] = await Promise.all([
    getOpenExperiment(ctx.store.db, stream.id),
    listEpics(ctx.store.db, stream.id, map),
    outcomeHistory(ctx, stream.id),
  ]);
  const awaiting = new Set([...asked.ask.keys()].filter((key) => !asked.reminder.has(key)));
  const sections = [
    signalsSection(signals, now, watched, map.timeZone, stabilitySentence(forecastStability(buildTimelines(items.filter((i) => !i.isEpic), map), map, events, now), map.timeZone, now)),
    agingSection(aging),
    constraintSection(items, map, now),
    experimentSection(experiment, watched, map.timeZone, now),
    eventsAndOutcomesSection(events, epics, awaiting, map.timeZone, now),
  ];
  const charts: ReplyChart[] = [];
  if (ctx.charts) {
    const lead = watched.find((w) => w.kind === 'leadtime')!;
    const frame = { stream: stream.name, timeZone: map.timeZone, to: now + 1, periodLabel: 'whole history' };
    charts.push(await ctx.charts.xmr({ result: lead.result, series: 'leadtime', summary: '' }, { ...frame, from: lead.series.ats[0] ?? now }));
    if (aging.report.items.length > 0) {
      charts.push(await ctx.charts.aging({ report: aging.report, stages: map.stages, finishedCount: aging.finishedCount }, { ...frame, from: now - 90 * DAY, periodLabel: 'today' }));
    }
  }
  return {
    text: `Weekly check-in for ${stream.name} — ${CHECKIN_MINUTES} minutes: signals ${SECTION_MINUTES}, aging work ${SECTION_MINUTES}, the constraint ${SECTION_MINUTES}, the experiment ${SECTION_MINUTES}, events and outcomes ${SECTION_MINUTES}.`,
    sections,
    ...(charts[0] && { chart: charts[0] }),
    ...(charts.length > 1 && { moreCharts: charts.slice(1) }),
    buttons: [
      { id: 'open-event-form', label: 'Log a change', opens: 'event-form' },
      { id: 'open-outcome-form', label: 'Record an outcome', opens: 'outcome-form' },
    ],
  };
}

/**
 * Enqueues the channel's check-in for the ISO week of `now` (dedup key: channel + week), and
 * returns the week, or null when its check-in is off.
 */
export async function postCheckin(
  ctx: NudgeContext,
  stream: StreamHistory,
  binding: ChannelBinding,
  now: number,
  agenda?: () => Promise<NudgeMessage>,
): Promise<{ week: string; channel: string } | null> {
  const schedule = checkinScheduleOf(binding, stream.map.timeZone);
  if (!schedule) return null;
  const { week } = checkinDue(schedule, now);
  const target = bindingTarget(binding);
  const message = agenda ? await agenda() : await buildCheckinAgenda(ctx, stream, now);
  await postNudge(ctx, { kind: 'checkin', target, dedupKey: `checkin:${targetKey(target)}:${week}`, message }, now);
  return { week, channel: targetKey(target) };
}
