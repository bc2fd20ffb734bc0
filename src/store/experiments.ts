/**
 * The experiment repository: one open policy change per stream, with its measure, owner
 * role and review date. The partial unique index of migration 0001 enforces "one open".
 */
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

export interface Experiment {
  id: number;
  streamId: number;
  policy: string;
  ownerRole: string | null;
  measure: string | null;
  startedAt: number;
  /** YYYY-MM-DD */
  reviewOn: string | null;
  state: 'open' | 'ended';
  endedAt: number | null;
  eventId: number | null;
}

// biome-ignore lint/suspicious/noExplicitAny: a raw row: Postgres returns bigint columns as strings, read each with Number()
type Row = Database['experiment'] extends infer T ? { [K in keyof T]: any } : never;

function toExperiment(row: Row): Experiment {
  return {
    id: Number(row.id),
    streamId: Number(row.stream_id),
    policy: row.policy,
    ownerRole: row.owner_role,
    measure: row.measure,
    startedAt: Number(row.started_at),
    reviewOn: row.review_on,
    state: row.state,
    endedAt: row.ended_at === null ? null : Number(row.ended_at),
    eventId: row.event_id === null ? null : Number(row.event_id),
  };
}

/** Thrown by startExperiment when the stream already has an open experiment. */
export class ExperimentAlreadyOpenError extends Error {
  readonly open: Experiment;
  constructor(open: Experiment) {
    super(`Stream ${open.streamId} already has an open experiment ("${open.policy}"): end it before starting another, one policy change at a time.`);
    this.name = 'ExperimentAlreadyOpenError';
    this.open = open;
  }
}

/** The open experiment of a stream, or null. */
export async function getOpenExperiment(db: Kysely<Database>, streamId: number): Promise<Experiment | null> {
  const row = await db.selectFrom('experiment').selectAll().where('stream_id', '=', streamId).where('state', '=', 'open').executeTakeFirst();
  return row ? toExperiment(row) : null;
}

/**
 * Opens an experiment. Throws ExperimentAlreadyOpenError when one is open (also when another
 * process opened one a moment ago: the unique index decides, and the winner is reported).
 */
export async function startExperiment(
  db: Kysely<Database>,
  input: { streamId: number; policy: string; ownerRole?: string | null; measure?: string | null; reviewOn?: string | null; startedAt: number; eventId?: number | null },
): Promise<Experiment> {
  const open = await getOpenExperiment(db, input.streamId);
  if (open) throw new ExperimentAlreadyOpenError(open);
  try {
    const row = await db
      .insertInto('experiment')
      .values({
        stream_id: input.streamId,
        policy: input.policy,
        owner_role: input.ownerRole ?? null,
        measure: input.measure ?? null,
        started_at: input.startedAt,
        review_on: input.reviewOn ?? null,
        state: 'open',
        ended_at: null,
        event_id: input.eventId ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toExperiment(row);
  } catch (error) {
    const winner = await getOpenExperiment(db, input.streamId);
    if (winner) throw new ExperimentAlreadyOpenError(winner);
    throw error;
  }
}

/** Ends the open experiment of a stream; returns it, or null when none was open. */
export async function endExperiment(db: Kysely<Database>, streamId: number, endedAt: number): Promise<Experiment | null> {
  const open = await getOpenExperiment(db, streamId);
  if (!open) return null;
  await db.updateTable('experiment').set({ state: 'ended', ended_at: endedAt }).where('id', '=', open.id).where('state', '=', 'open').execute();
  return { ...open, state: 'ended', endedAt };
}

/** Experiments of a stream, newest first. */
export async function listExperiments(db: Kysely<Database>, streamId: number): Promise<Experiment[]> {
  const rows = await db.selectFrom('experiment').selectAll().where('stream_id', '=', streamId).orderBy('started_at', 'desc').orderBy('id', 'desc').execute();
  return rows.map(toExperiment);
}
