/**
 * The zod schema of a value-stream map file. Each message says what is
 * wrong and what to write instead; load-map.ts adds the file name and the
 * key path.
 *
 * Statuses are compared exactly but case-insensitively, with surrounding
 * whitespace trimmed ("in review " is "In Review").
 */
import { z } from 'zod';
import { ITEM_TYPES, STAGE_KINDS, type StageKind, type StreamMap } from '../core/types.ts';
import { isTimeZone } from '../core/local-time.ts';
import { normalizeStatus } from './status-index.ts';

const KIND_LIST = STAGE_KINDS.join(', ');

function unknownKeys(keys: string[], allowed: string): string {
  const named = keys.map((key) => `'${key}'`).join(', ');
  return `unknown key${keys.length > 1 ? 's' : ''} ${named}: the keys are ${allowed}`;
}

const statusSchema = z
  .string({ error: 'a status must be text, e.g. In Review' })
  .trim()
  .min(1, { error: 'a status is empty: write the tracker status name or remove the entry' });

const stageSchema = z.strictObject(
  {
    name: z
      .string({ error: 'every stage needs a name, e.g. name: Code review' })
      .trim()
      .min(1, { error: 'the stage name is empty: give the stage a name, e.g. name: Code review' }),
    kind: z.enum(STAGE_KINDS as [StageKind, ...StageKind[]], {
      error: (issue) =>
        issue.input === undefined
          ? `the stage has no kind: add kind with one of ${KIND_LIST}`
          : `'${String(issue.input)}' is not a stage kind: use one of ${KIND_LIST}`,
    }),
    statuses: z
      .array(statusSchema, { error: 'list the tracker statuses of this stage, e.g. statuses: [In Review, Ready for Review]' })
      .min(1, { error: 'the stage has no statuses: list the tracker statuses that belong to it, e.g. statuses: [In Review]' }),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? unknownKeys(issue.keys, 'name, kind, statuses')
        : 'a stage is written as { name: Code review, kind: wait, statuses: [In Review] }',
  },
);

const amountSchema = z
  .number({ error: 'a cost of delay is a number per week, e.g. perWeek: 3000' })
  .positive({ error: 'a cost of delay per week must be more than 0' })
  .max(1e12, { error: 'a cost of delay per week is at most 1e12' });

const costOfDelaySchema = z.strictObject(
  {
    perWeek: amountSchema,
    currency: z
      .string({ error: 'costOfDelay needs a currency code, e.g. currency: EUR' })
      .trim()
      .regex(/^[A-Z]{3}$/, { error: 'the currency is a three-letter ISO 4217 code in capitals, e.g. EUR, USD, GBP' }),
    perType: z
      .strictObject(Object.fromEntries(ITEM_TYPES.map((type) => [type, amountSchema.optional()])), {
        error: (issue) => (issue.code === 'unrecognized_keys' ? `${unknownKeys(issue.keys, ITEM_TYPES.join(', '))} (perType keys are item types)` : `perType gives a cost per week for item types: ${ITEM_TYPES.join(', ')}`),
      })
      .optional(),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? unknownKeys(issue.keys, 'perWeek, currency, perType')
        : 'costOfDelay is written as { perWeek: 3000, currency: EUR } (optionally perType: { defect: 5000 })',
  },
);

/** The schema of a map read from `fileName` (the name appears in whole-map messages). */
export function createStreamMapSchema(fileName: string) {
  return z
    .strictObject(
      {
        name: z
          .string({ error: 'the map needs a name, e.g. name: checkout' })
          .trim()
          .min(1, { error: 'the map name is empty: give the value stream a name, e.g. name: checkout' }),
        timeZone: z
          .string({ error: 'the map needs a timeZone (calendar days are counted in it), e.g. timeZone: Europe/Berlin' })
          .trim()
          .refine(isTimeZone, {
            error: (issue) => `'${String(issue.input)}' is not an IANA time zone: use a name such as Europe/Berlin, America/New_York or UTC`,
          }),
        startStatus: z
          .string({ error: 'startStatus must be one status name, e.g. startStatus: To Do' })
          .trim()
          .min(1, { error: 'startStatus is empty: name a status, or remove the key to start lead time at creation' })
          .optional(),
        stages: z
          .array(stageSchema, { error: 'list the stages in flow order, e.g. stages: [{ name: Doing, kind: touch, statuses: [In Progress] }]' })
          .min(1, { error: 'the map has no stages: list them in flow order, from backlog to done' }),
        blockedStatuses: z
          .array(statusSchema, { error: 'blockedStatuses lists statuses that mean blocked, e.g. blockedStatuses: [Blocked, On Hold]' })
          .optional(),
        blockedLabels: z
          .array(
            z
              .string({ error: 'a label in blockedLabels must be text, e.g. blockedLabels: [blocked]' })
              .trim()
              .min(1, { error: 'a label in blockedLabels is empty: write the label name as the tracker shows it, or remove the entry' }),
            { error: 'blockedLabels lists the tracker labels (GitHub, GitLab, Linear) that mean blocked while set, e.g. blockedLabels: [blocked]' },
          )
          .optional(),
        blockedWhenFlagged: z
          .boolean({ error: "blockedWhenFlagged is true or false: true counts the time Jira's Flagged field is set (Impediment) as blocked, e.g. blockedWhenFlagged: true" })
          .optional(),
        stalledAfterDays: z
          .number({ error: 'stalledAfterDays is a number of days, e.g. stalledAfterDays: 5' })
          .int({ error: 'stalledAfterDays is a whole number of days, e.g. stalledAfterDays: 5' })
          .min(1, { error: 'stalledAfterDays must be at least 1 (day)' })
          .max(365, { error: 'stalledAfterDays is at most 365 days' })
          .optional(),
        costOfDelay: costOfDelaySchema.optional(),
        pauseAwareCycleTime: z
          .boolean({ error: 'pauseAwareCycleTime is true or false: true leaves time back in a backlog stage after the start out of cycle time, e.g. pauseAwareCycleTime: true' })
          .optional(),
      },
      {
        error: (issue) =>
          issue.code === 'unrecognized_keys'
            ? unknownKeys(issue.keys, 'name, timeZone, startStatus, stages, blockedStatuses, blockedLabels, blockedWhenFlagged, stalledAfterDays, costOfDelay, pauseAwareCycleTime')
            : 'a value-stream map is a mapping with name, timeZone, stages (and optionally startStatus)',
      },
    )
    .superRefine((map, ctx) => checkStages(map, fileName, ctx));
}

/** The checks across stages: one done stage at least, unique stage names, each status in one stage, a known startStatus. */
function checkStages(map: StreamMap, fileName: string, ctx: z.RefinementCtx): void {
  if (!map.stages.some((stage) => stage.kind === 'done')) {
    ctx.addIssue({
      code: 'custom',
      path: ['stages'],
      message: `the map ${fileName} has no stage of kind done: mark the stage where work is finished with kind: done`,
    });
  }
  const stageByName = new Map<string, number>();
  const stageByStatus = new Map<string, number>();
  map.stages.forEach((stage, index) => {
    const nameKey = stage.name.toLowerCase();
    const earlier = stageByName.get(nameKey);
    if (earlier !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['stages', index, 'name'],
        message: `two stages are named '${stage.name}' (stages[${earlier}] and stages[${index}]): give each stage its own name`,
      });
    } else {
      stageByName.set(nameKey, index);
    }
    stage.statuses.forEach((status, statusIndex) => {
      const key = normalizeStatus(status);
      const owner = stageByStatus.get(key);
      if (owner === undefined) {
        stageByStatus.set(key, index);
      } else if (owner !== index) {
        ctx.addIssue({
          code: 'custom',
          path: ['stages', index, 'statuses', statusIndex],
          message: `the status '${status}' is in two stages, '${map.stages[owner].name}' and '${stage.name}': keep it in the one stage it belongs to`,
        });
      }
    });
  });
  (map.blockedStatuses ?? []).forEach((status, index) => {
    if (!stageByStatus.has(normalizeStatus(status))) {
      ctx.addIssue({
        code: 'custom',
        path: ['blockedStatuses', index],
        message: `'${status}' is not a status of any stage: list it under the stage where items wait while blocked, or remove it from blockedStatuses`,
      });
    }
  });
  if (map.startStatus !== undefined && !stageByStatus.has(normalizeStatus(map.startStatus))) {
    ctx.addIssue({
      code: 'custom',
      path: ['startStatus'],
      message: `'${map.startStatus}' is not a status of any stage: use a status listed under stages, or remove startStatus to start lead time at creation`,
    });
  }
}
