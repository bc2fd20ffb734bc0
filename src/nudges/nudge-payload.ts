/**
 * A Reply as stored in the outbox: JSON, the chart PNG as base64. Read back through zod, so a
 * hand-edited or truncated row fails with the field that is wrong instead of posting garbage.
 */
import { z } from 'zod';
import type { Reply } from '../reply/reply.ts';

const fieldSchema = z.object({ label: z.string(), value: z.string() });
const replySchema = z.object({
  text: z.string(),
  sections: z.array(z.object({ title: z.string().optional(), text: z.string().optional(), fields: z.array(fieldSchema).optional() })).optional(),
  chart: z
    .object({
      pngBase64: z.string().min(1),
      summary: z.string(),
      kind: z.enum(['scatter', 'xmr', 'aging', 'cfd', 'throughput', 'distribution', 'stages', 'forecast', 'map']),
      filename: z.string().optional(),
    })
    .optional(),
  /** charts beyond the first (the check-in attaches several); same shape */
  moreCharts: z
    .array(z.object({ pngBase64: z.string().min(1), summary: z.string(), kind: z.string(), filename: z.string().optional() }))
    .optional(),
  buttons: z
    .array(z.object({ id: z.string(), label: z.string(), value: z.string().optional(), opens: z.enum(['event-form', 'outcome-form']).optional() }))
    .optional(),
  ephemeral: z.boolean().optional(),
  error: z.object({ code: z.string(), fix: z.string() }).optional(),
  form: z.object({ kind: z.enum(['event-form', 'outcome-form']), prefill: z.record(z.string(), z.string()).optional() }).optional(),
});

export type StoredReply = z.infer<typeof replySchema>;

/** A nudge's Reply plus any extra charts (the check-in has up to three). */
export interface NudgeMessage extends Reply {
  /** further charts, after `chart`; a deliverer that posts one image per message posts these as follow-ups */
  moreCharts?: NonNullable<Reply['chart']>[];
}

/** Reply → JSON for the outbox (PNG bytes as base64). */
export function serializeNudge(message: NudgeMessage): string {
  const { chart, moreCharts, ...rest } = message;
  const stored: StoredReply = {
    ...rest,
    ...(chart && { chart: { pngBase64: chart.png.toString('base64'), summary: chart.summary, kind: chart.kind, ...(chart.filename && { filename: chart.filename }) } }),
    ...(moreCharts && moreCharts.length > 0 && {
      moreCharts: moreCharts.map((c) => ({ pngBase64: c.png.toString('base64'), summary: c.summary, kind: c.kind, ...(c.filename && { filename: c.filename }) })),
    }),
  };
  return JSON.stringify(stored);
}

/** JSON from the outbox → the Reply a deliverer posts. Throws naming the bad field. */
export function parseNudge(json: string): NudgeMessage {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new Error(`An outbox payload is not JSON (${(error as Error).message}): the row was written by something other than src/nudges; mark it failed or delete it.`);
  }
  const parsed = replySchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`An outbox payload is not a nudge: ${issue.path.join('.') || '(root)'}: ${issue.message}. It was written by something other than src/nudges.`);
  }
  const { chart, moreCharts, ...rest } = parsed.data;
  const message: NudgeMessage = { ...rest };
  if (chart) message.chart = { png: Buffer.from(chart.pngBase64, 'base64'), summary: chart.summary, kind: chart.kind, ...(chart.filename && { filename: chart.filename }) };
  if (moreCharts) {
    message.moreCharts = moreCharts.map((c) => ({ png: Buffer.from(c.pngBase64, 'base64'), summary: c.summary, kind: c.kind as NonNullable<Reply['chart']>['kind'], ...(c.filename && { filename: c.filename }) }));
  }
  return message;
}
