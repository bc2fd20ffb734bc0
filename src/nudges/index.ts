/**
 * The bot's own initiatives: signal alert, aging alert, weekly check-in, outcome ask and review,
 * experiment review; all written to the outbox and delivered by the platform deliverers.
 */
export type { NudgeContext } from './nudge-context.ts';
export { createNudgeCharts, type NudgeCharts } from './nudge-charts.ts';
export type { Deliverer, DeliveryOutcome, DeliveryMeta } from './deliverer.ts';
export { createOutboxWorker, type OutboxWorker, type OutboxWorkerOptions, type OutboxRowResult } from './outbox-worker.ts';
export { NUDGE_PLATFORMS, isDirectTarget, targetKey, type NudgeTarget, type ChannelTarget, type DirectTarget, type NudgePlatform } from './nudge-target.ts';
export { parseNudge, serializeNudge, type NudgeMessage } from './nudge-payload.ts';
export { postNudge, NUDGE_KINDS, type NudgeKind } from './post-nudge.ts';
export { checkSignals, checkStreamSignals, alertableSignals, type SignalPost } from './signal-alert.ts';
export { watchedSeries, type SignalSeriesKind } from './signal-series.ts';
export { signalSentence, runOfEightSentence, beyondLimitsSentence, threeOfFourSentence } from './signal-words.ts';
export { checkAging, agingNow } from './aging-alert.ts';
export { buildCheckinAgenda, postCheckin, CHECKIN_MINUTES } from './checkin-agenda.ts';
export { checkinDue, checkinScheduleOf, nextCheckin } from './checkin-schedule.ts';
export { runOutcomeNudges, outcomeAskMessage } from './outcome-ask.ts';
export { recordOutcomeAnswer, type OutcomeAnswer, type OutcomeAnswerResult } from './outcome-answer.ts';
export { setOwnerMapping, resolveOwnerTarget } from './owner-directory.ts';
export { runExperimentReviews, experimentReviewMessage } from './experiment-review.ts';
export { createNudgeHooks, type NudgeHooks } from './nudge-hooks.ts';
