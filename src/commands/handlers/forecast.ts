import { addDaysToDate, getZoneCalendar, localDate } from '../../core/index.ts';
import type { ForecastHowMany, ForecastWhen } from '../../core/types.ts';
import { dailyThroughputBefore, forecastHowMany, forecastWhen, ForecastError } from '../../core/forecast.ts';
import { renderPlannedChart } from '../chart-attachment.ts';
import { flowTimelines } from '../../store/stream-history.ts';
import { loadFlowHistory } from '../flow-history-cache.ts';
import type { BoundStream, CommandContext } from '../context.ts';
import { errorReply, type Reply } from '../../reply/reply.ts';
import { forecastStability } from '../../core/forecast-stability.ts';
import { stabilitySentence } from '../../nudges/forecast-stability-words.ts';

/** A seed that repeats within a day for one stream, so asking twice gives the same answer. */
function seedOf(streamId: number, now: number): number {
  return (streamId * 100_003 + Math.floor(now / 86_400_000)) >>> 0;
}

/** `/flow forecast 30 items` (when will they be done) or `/flow forecast 14 days` (how many by then). */
export async function forecastReply(ctx: CommandContext, stream: BoundStream, mode: 'items' | 'days', amount: number): Promise<Reply> {
  // start and completion are all it reads of the whole history: a compact one serves
  const history = await loadFlowHistory(ctx.store, stream.streamId, stream.map, { compact: true });
  const timelines = flowTimelines(history);
  // is it predictable? the weekly throughput of the sampling window on its XmR chart decides what is sampled
  const stability = forecastStability(timelines, stream.map, history.events, ctx.now);
  const verdict = stabilitySentence(stability, stream.map.timeZone, ctx.now);
  const dailyThroughput = dailyThroughputBefore(timelines, stream.map, ctx.now, stability.sampleDays);
  const sampleItems = dailyThroughput.reduce((sum, n) => sum + n, 0);
  // the days resampled are said with their count of items, as the chart says them
  const sampled = `from the ${sampleItems} items finished in the ${dailyThroughput.length} full days before today`;
  const seed = seedOf(stream.streamId, ctx.now);
  let text: string;
  let fields: { label: string; value: string }[];
  let forecast: ForecastHowMany | ForecastWhen;
  try {
    if (mode === 'items') {
      const f = forecastWhen({ dailyThroughput, items: amount, seed });
      forecast = f;
      const date = (d: number) => addDaysToDate(localDate(ctx.now, stream.map.timeZone), d);
      text = `Forecast for ${stream.name}: ${amount} more items will be done by ${date(f.when['85'])} with 85% confidence (${f.when['85']} days), ${sampled}. ${verdict}`;
      fields = (['50', '85', '95'] as const).map((p) => ({ label: `${p}% confidence`, value: `by ${date(f.when[p])} (${f.when[p]} days)` }));
    } else {
      const f = forecastHowMany({ dailyThroughput, days: amount, seed });
      forecast = f;
      text = `Forecast for ${stream.name}: in the next ${amount} days, ${f.howMany['85']} or more items will be done with 85% confidence, ${sampled}. ${verdict}`;
      fields = (['50', '85', '95'] as const).map((p) => ({ label: `${p}% confidence`, value: `${f.howMany[p]} items or more` }));
    }
  } catch (error) {
    if (error instanceof ForecastError) {
      return errorReply('no-throughput', `No forecast for ${stream.name}: ${error.message}`, `A forecast needs finished items in the last ${stability.sampleDays} days; check /flow throughput 90d.`);
    }
    throw error;
  }
  // the days resampled: the full local days before today (not the last 90 × 24 h of the other answers)
  const calendar = getZoneCalendar(stream.map.timeZone);
  const today = calendar.dayNumber(ctx.now);
  const context = {
    stream: stream.name,
    periodLabel: `based on the ${dailyThroughput.length} full days before today`,
    from: calendar.startOfDay(today - dailyThroughput.length),
    to: calendar.startOfDay(today),
    timeZone: stream.map.timeZone,
  };
  const chart = await renderPlannedChart(ctx.charts, { kind: 'forecast', input: { forecast, sampleItems, sampleDays: dailyThroughput.length } }, context, `forecast-${amount}-${mode}`);
  return { text, sections: [{ fields }], chart };
}
