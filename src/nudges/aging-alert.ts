/**
 * The aging alert: once a day per channel, the items that crossed the 85th or the 95th
 * percentile of recent cycle time since the last run, in one message with the aging chart, and
 * beside them the items blocked now and the stalled ones (as /flow aging lists them).
 * Each item is flagged once per threshold (nudge_sent keys); items, never people.
 */
import { agingWip, cycleTime, newlyCrossed, percentiles, type AgingFlags, type AgingReport, type AgingThreshold, type StreamMap, type WorkItem } from '../core/index.ts';
import type { ChannelBinding } from '../store/channel-bindings.ts';
import { listNudgesSent, recordNudgeSent, touchNudgesSent } from '../store/nudges-sent.ts';
import type { StreamHistory } from '../store/stream-history.ts';
import { bindingTarget } from './bound-streams.ts';
import type { NudgeContext } from './nudge-context.ts';
import { targetKey } from './nudge-target.ts';
import { inNudgeTransaction, postNudge } from './post-nudge.ts';
import { formatValue } from './signal-words.ts';
import { stalledAndBlockedSections } from './stalled-and-blocked.ts';
import { createHash } from 'node:crypto';

const DAY = 86_400_000;
/** "Recent" cycle time: items finished in the last 90 days. */
export const AGING_WINDOW_DAYS = 90;

export interface AgingNow {
  report: AgingReport;
  finishedCount: number;
}

/**
 * Aging of the stream's work in progress (epics left out) against the calendar-day cycle-time
 * percentiles of the items finished in the last 90 days.
 */
export function agingNow(items: readonly WorkItem[], map: StreamMap, now: number): AgingNow {
  const flow = items.filter((item) => !item.isEpic);
  const recent = cycleTime(flow, map, { from: now - AGING_WINDOW_DAYS * DAY, to: now + 1 }, 'calendar');
  return { report: agingWip(flow, map, now, percentiles(recent.items.map((i) => i.days))), finishedCount: recent.count };
}

export interface AgingPost {
  channel: string;
  items: { key: string; threshold: AgingThreshold }[];
  text: string;
}

/**
 * Checks one channel: flags newly crossed items, renders the chart, then records them (so each
 * is flagged once per threshold, also with replicas racing) and enqueues one message, in one
 * transaction.
 */
export async function checkAging(ctx: NudgeContext, stream: StreamHistory, binding: ChannelBinding, now: number, aging: AgingNow = agingNow(stream.items, stream.map, now)): Promise<AgingPost | null> {
  const db = ctx.store.db;
  const target = bindingTarget(binding);
  const prefix = `aging:${targetKey(target)}:${stream.id}:`;
  const flags: AgingFlags = {};
  for (const sent of await listNudgesSent(db, prefix, { kind: 'aging' })) {
    const rest = sent.dedupKey.slice(prefix.length);
    const cut = rest.lastIndexOf(':');
    const key = rest.slice(0, cut);
    flags[key] ??= [];
    flags[key].push(rest.slice(cut + 1) as AgingThreshold);
  }
  // the flags of items still in progress are still needed (retention keeps them)
  const open = new Set(aging.report.items.map((item) => item.key));
  await touchNudgesSent(db, Object.entries(flags).filter(([key]) => open.has(key)).flatMap(([key, thresholds]) => thresholds.map((t) => `${prefix}${key}:${t}`)), now);
  const { crossed } = newlyCrossed(flags, aging.report);
  if (crossed.length === 0) return null;
  // render first: the records and the message are written together below
  const chart = ctx.charts
    ? await ctx.charts.aging(
        { report: aging.report, stages: stream.map.stages, finishedCount: aging.finishedCount },
        { stream: stream.name, timeZone: stream.map.timeZone, from: now - AGING_WINDOW_DAYS * DAY, to: now + 1, periodLabel: `today, against the last ${AGING_WINDOW_DAYS} days` },
      )
    : undefined;
  const p = aging.report.percentiles!;
  // blocked and stalled work next to the thresholds, in the words of /flow aging
  const beside = stalledAndBlockedSections(stream.items.filter((item) => !item.isEpic), stream.map, now);
  const posted = await inNudgeTransaction(ctx, async (tx) => {
    const mine: typeof crossed = [];
    for (const c of crossed) {
      const won = await recordNudgeSent(tx.store.db, 'aging', `${prefix}${c.item.key}:${c.threshold}`, now);
      if (c.threshold === '95') await recordNudgeSent(tx.store.db, 'aging', `${prefix}${c.item.key}:85`, now);
      if (won) mine.push(c);
    }
    if (mine.length === 0) return null;
    const lines = (threshold: AgingThreshold) =>
      mine
        .filter((c) => c.threshold === threshold)
        .map((c) => `${c.item.key} ${c.item.title} — ${c.item.ageDays} days, in ${c.item.stage}`)
        .join('\n');
    const sections = [];
    if (mine.some((c) => c.threshold === '95')) sections.push({ title: `Older than 95% of recent items took (${formatValue(p['95'])} days)`, text: lines('95') });
    if (mine.some((c) => c.threshold === '85')) sections.push({ title: `Older than 85% of recent items took (${formatValue(p['85'])} days)`, text: lines('85') });
    sections.push(...beside);
    sections.push({ text: `Percentiles of cycle time from ${aging.finishedCount} items finished in the last ${AGING_WINDOW_DAYS} days. What would it take to finish these, or to stop them?` });
    const n = mine.length;
    const text = `Aging work in ${stream.name}: ${n} item${n === 1 ? '' : 's'} crossed a percentile of recent cycle time since the last check.`;
    const digest = createHash('sha256').update(mine.map((c) => `${c.item.key}:${c.threshold}`).join(',')).digest('hex').slice(0, 16);
    await postNudge(tx, { kind: 'aging', target, dedupKey: `aging-msg:${targetKey(target)}:${stream.id}:${digest}`, message: { text, sections, ...(chart && { chart }) } }, now);
    return { mine, text };
  });
  if (!posted) return null;
  const { mine, text } = posted;
  return { channel: targetKey(target), items: mine.map((c) => ({ key: c.item.key, threshold: c.threshold })), text };
}
