/**
 * The bot's scheduled jobs and their periods:
 * - `checkin`: each channel's weekly agenda at its local day and time (period: channel + ISO week);
 * - `signal-sweep`: each stream's XmR signal check, daily from 07:00 stream time (stream + date);
 * - `aging`: each channel's aging alert, daily from 09:00 channel time (channel + date);
 * - `outcomes`: outcome asks, reminders and reviews, hourly (UTC hour);
 * - `experiment-review`: an open experiment on its review date from 09:00 stream time (experiment;
 *   no period length: its runs are kept, they are what keeps an open experiment's review from repeating);
 * - `retention`: daily (UTC date), what the bot may forget (src/jobs/retention-job.ts).
 */
import { isTimeZone } from '../core/index.ts';
import { checkAging } from '../nudges/aging-alert.ts';
import { bindingTarget } from '../nudges/bound-streams.ts';
import { buildCheckinAgenda, postCheckin } from '../nudges/checkin-agenda.ts';
import { checkinDue, checkinScheduleOf } from '../nudges/checkin-schedule.ts';
import { runExperimentReviews } from '../nudges/experiment-review.ts';
import { targetKey } from '../nudges/nudge-target.ts';
import { runOutcomeNudges } from '../nudges/outcome-ask.ts';
import { checkStreamSignals } from '../nudges/signal-alert.ts';
import { getOpenExperiment } from '../store/experiments.ts';
import type { DuePeriod, JobDefinition } from './job-types.ts';
import { localClock, minuteOfDay } from './local-clock.ts';
import { retentionJob } from './retention-job.ts';

export const SIGNAL_SWEEP_AT = '07:00';
export const AGING_AT = '09:00';
export const EXPERIMENT_REVIEW_AT = '09:00';

const zoneOr = (zone: string | null, fallback: string): string => (zone && isTimeZone(zone) ? zone : fallback);

export const checkinJob: JobDefinition = {
  name: 'checkin',
  periodDays: 7,
  async duePeriods(ctx, now, shared) {
    const due: DuePeriod[] = [];
    for (const bound of await shared.boundStreams()) {
      for (const binding of bound.bindings) {
        const schedule = checkinScheduleOf(binding, bound.map.timeZone);
        if (!schedule) continue;
        const { due: isDue, week } = checkinDue(schedule, now);
        if (!isDue) continue;
        due.push({
          key: `${targetKey(bindingTarget(binding))}:${week}`,
          stream: bound.name,
          run: async () => {
            const history = await shared.history(bound.name);
            if (!history) return null;
            const stream = history;
            // channels of one stream share the agenda (and its charts) within a tick
            return postCheckin(ctx, stream, binding, now, () => shared.memo(`checkin-agenda:${bound.name}`, () => buildCheckinAgenda(ctx, stream, now)));
          },
        });
      }
    }
    return due;
  },
};

export const signalSweepJob: JobDefinition = {
  name: 'signal-sweep',
  periodDays: 1,
  async duePeriods(ctx, now, shared) {
    const due: DuePeriod[] = [];
    for (const bound of await shared.boundStreams()) {
      const clock = localClock(now, bound.map.timeZone);
      if (clock.minute < minuteOfDay(SIGNAL_SWEEP_AT)) continue;
      due.push({
        key: `${bound.streamId}:${clock.date}`,
        stream: bound.name,
        run: async () => {
          const history = await shared.history(bound.name);
          return history ? checkStreamSignals(ctx, history, bound.bindings, now) : [];
        },
      });
    }
    return due;
  },
};

export const agingJob: JobDefinition = {
  name: 'aging',
  periodDays: 1,
  async duePeriods(ctx, now, shared) {
    const due: DuePeriod[] = [];
    for (const bound of await shared.boundStreams()) {
      for (const binding of bound.bindings) {
        const clock = localClock(now, zoneOr(binding.timezone, bound.map.timeZone));
        if (clock.minute < minuteOfDay(AGING_AT)) continue;
        due.push({
          key: `${targetKey(bindingTarget(binding))}:${bound.streamId}:${clock.date}`,
          stream: bound.name,
          run: async () => {
            const history = await shared.history(bound.name);
            return history ? checkAging(ctx, history, binding, now) : null;
          },
        });
      }
    }
    return due;
  },
};

export const outcomesJob: JobDefinition = {
  name: 'outcomes',
  periodDays: 1,
  async duePeriods(ctx, now) {
    return [{ key: new Date(now).toISOString().slice(0, 13), run: () => runOutcomeNudges(ctx, now) }];
  },
};

export const experimentReviewJob: JobDefinition = {
  name: 'experiment-review',
  async duePeriods(ctx, now, shared) {
    const due: DuePeriod[] = [];
    for (const bound of await shared.boundStreams()) {
      const clock = localClock(now, bound.map.timeZone);
      if (clock.minute < minuteOfDay(EXPERIMENT_REVIEW_AT)) continue;
      const experiment = await getOpenExperiment(ctx.store.db, bound.streamId);
      if (!experiment?.reviewOn || experiment.reviewOn > clock.date) continue;
      due.push({ key: `experiment-${experiment.id}`, stream: bound.name, run: () => runExperimentReviews(ctx, now, { streamName: bound.name }) });
    }
    return due;
  },
};

/** Every job, in the order a tick runs them. */
export const NUDGE_JOBS: readonly JobDefinition[] = [signalSweepJob, agingJob, outcomesJob, experimentReviewJob, checkinJob, retentionJob];
