/**
 * Monte Carlo forecasts from resampled daily throughput: "how many in N days"
 * and "when will N be done", at 50/85/95% confidence, reproducible with a seed.
 */
import type { ForecastHowMany, ForecastWhen, StreamMap, Timeline } from './types.ts';
import { getZoneCalendar } from './local-date.ts';
import { createRandom } from './random.ts';

/** Days a "when" trial may take before it gives up. */
export const FORECAST_MAX_DAYS = 3650;

/**
 * A forecast that cannot be made, with a short code and a message that says why and what to do.
 * @example
 * try { forecastWhen({ dailyThroughput: [0, 0], items: 5, seed: 1 }); }
 * catch (e) { if (e instanceof ForecastError && e.code === 'no-throughput') reply(e.message); }
 */
export class ForecastError extends Error {
  readonly code: 'no-throughput' | 'bad-input';
  constructor(code: 'no-throughput' | 'bad-input', message: string) {
    super(message);
    this.name = 'ForecastError';
    this.code = code;
  }
}

/**
 * Completions per local day for the `lookbackDays` full days before the day of `now` (zeros included), oldest first.
 * @example
 * dailyThroughputBefore(timelines, map, now); // 90 numbers, e.g. [0, 2, 1, 0, …]
 */
export function dailyThroughputBefore(timelines: readonly Timeline[], map: StreamMap, now: number, lookbackDays = 90): number[] {
  const calendar = getZoneCalendar(map.timeZone);
  const today = calendar.dayNumber(now);
  const first = today - lookbackDays;
  const counts = new Array<number>(lookbackDays).fill(0);
  for (const t of timelines) {
    if (t.completedAt === null) continue;
    const day = calendar.dayNumber(t.completedAt);
    if (day >= first && day < today) counts[day - first]++;
  }
  return counts;
}

function checkThroughput(dailyThroughput: readonly number[], trials: number): Int32Array {
  if (!Number.isInteger(trials) || trials < 1) {
    throw new ForecastError('bad-input', `Trials must be a whole number of at least 1 (got ${trials}); the default is 10000.`);
  }
  const samples = Int32Array.from(dailyThroughput);
  if (samples.length === 0 || samples.every((v) => v <= 0)) {
    throw new ForecastError(
      'no-throughput',
      'No item was completed in the sampled days, so there is nothing to forecast from: finish some work first, or sample a longer period.',
    );
  }
  return samples;
}

function histogramOf(sorted: Int32Array): { value: number; trials: number }[] {
  const out: { value: number; trials: number }[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j < sorted.length && sorted[j] === sorted[i]) j++;
    out.push({ value: sorted[i], trials: j - i });
    i = j;
  }
  return out;
}

/**
 * Runs `trials` Monte Carlo trials; `trial` draws days of throughput at random (with
 * replacement) from the samples and returns its outcome. Outcomes come back sorted.
 */
function runTrials(dailyThroughput: readonly number[], trials: number, seed: number, trial: (draw: () => number) => number): Int32Array {
  const samples = checkThroughput(dailyThroughput, trials);
  const random = createRandom(seed);
  const n = samples.length;
  const draw = (): number => samples[(random() * n) | 0];
  const outcomes = new Int32Array(trials);
  for (let t = 0; t < trials; t++) outcomes[t] = trial(draw);
  return outcomes.sort();
}

/**
 * How many items will be done in `days` days. At 85% = the number reached or exceeded in at
 * least 85% of trials (the highest such number).
 * @example
 * forecastHowMany({ dailyThroughput: [0, 1, 2, 0, 3], days: 10, seed: 1 }).howMany;
 * // { '50': 12, '85': 8, '95': 6 }
 */
export function forecastHowMany(options: { dailyThroughput: readonly number[]; days: number; trials?: number; seed: number }): ForecastHowMany {
  const { days, trials = 10_000, seed } = options;
  if (!Number.isInteger(days) || days < 1) throw new ForecastError('bad-input', `Days must be a whole number of at least 1 (got ${days}).`);
  const outcomes = runTrials(options.dailyThroughput, trials, seed, (draw) => {
    let sum = 0;
    for (let d = 0; d < days; d++) sum += draw();
    return sum;
  });
  const reachedIn = (p: number): number => outcomes[trials - Math.ceil((p * trials) / 100)];
  return { days, trials, howMany: { '50': reachedIn(50), '85': reachedIn(85), '95': reachedIn(95) }, histogram: histogramOf(outcomes) };
}

/**
 * How many days until `items` more items are done. At 85% = the 85th percentile (nearest rank) of the days needed.
 * A trial that needs more than 3650 days stops there.
 * @example
 * forecastWhen({ dailyThroughput: [0, 1, 2, 0, 3], items: 20, seed: 1 }).when;
 * // { '50': 17, '85': 21, '95': 24 }
 */
export function forecastWhen(options: { dailyThroughput: readonly number[]; items: number; trials?: number; seed: number }): ForecastWhen {
  const { items, trials = 10_000, seed } = options;
  if (!Number.isInteger(items) || items < 1) throw new ForecastError('bad-input', `Items must be a whole number of at least 1 (got ${items}).`);
  const outcomes = runTrials(options.dailyThroughput, trials, seed, (draw) => {
    let sum = 0, day = 0;
    while (sum < items && day < FORECAST_MAX_DAYS) {
      sum += draw();
      day++;
    }
    return day;
  });
  const at = (p: number): number => outcomes[Math.ceil((p * trials) / 100) - 1];
  return { items, trials, when: { '50': at(50), '85': at(85), '95': at(95) }, histogram: histogramOf(outcomes) };
}
