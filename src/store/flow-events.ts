/**
 * The flow event repository: logged policy changes and other events of a
 * stream; each one starts a new XmR phase.
 */
import type { Kysely } from 'kysely';
import type { FlowEvent } from '../core/types.ts';
import type { Database } from './schema.ts';
import { writeStreamHistory } from './stream-version.ts';

/** Logs an event (kind defaults to 'policy'; 'baseline' restarts XmR limits without a policy change). Returns its id. */
export async function addFlowEvent(
  db: Kysely<Database>,
  streamId: number,
  event: { at: number; text: string; kind?: string },
  now: number = Date.now(),
): Promise<number> {
  if (!Number.isSafeInteger(event.at)) {
    throw new Error(`A flow event's time is ${event.at}, not a time: give whole epoch milliseconds.`);
  }
  if (event.text.trim() === '') throw new Error('A flow event needs a text saying what changed, e.g. "WIP limit 3 on Code review".');
  // a new event starts a new XmR phase: the stream's version goes up with it
  return writeStreamHistory(
    db,
    streamId,
    async (trx) => {
      const row = await trx
        .insertInto('flow_event')
        .values({ stream_id: streamId, at: event.at, text: event.text, kind: event.kind ?? 'policy', created_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },
    () => true,
  );
}

/** The stream's events, oldest first (ties in the order they were logged). */
export async function listFlowEvents(db: Kysely<Database>, streamId: number): Promise<FlowEvent[]> {
  const rows = await db
    .selectFrom('flow_event')
    .select(['at', 'text', 'kind'])
    .where('stream_id', '=', streamId)
    .orderBy('at')
    .orderBy('id')
    .execute();
  return rows.map((row) => ({ at: Number(row.at), text: row.text, kind: row.kind }));
}
