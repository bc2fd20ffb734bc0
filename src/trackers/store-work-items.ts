/** Stores whole work items (a backfill page) through the work item repository. */
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { addFlagEvents, addTransitions, upsertWorkItem } from '../store/work-items.ts';
import type { FlagEvent, Transition } from '../core/types.ts';
import type { ItemType } from '../core/types.ts';

export interface BackfilledItem {
  key: string;
  type: ItemType;
  title: string;
  isEpic: boolean;
  parentKey: string | null;
  createdAt: number;
  closedAt: number | null;
  outcomeOwner?: string;
  transitions: Transition[];
  /** flags and labels set and cleared (Jira's Flagged field, labels) */
  flags?: FlagEvent[];
}

/** Upserts each item and adds its transitions and flag events (duplicates skipped), in one transaction. Returns how many transitions were new. */
export async function storeBackfilledItems(db: Kysely<Database>, streamId: number, source: string, items: readonly BackfilledItem[], now: number): Promise<number> {
  let added = 0;
  await db.transaction().execute(async (trx) => {
    for (const item of items) {
      await upsertWorkItem(trx, streamId, {
        key: item.key, source, type: item.type, title: item.title, createdAt: item.createdAt,
        parentKey: item.parentKey, isEpic: item.isEpic, closedAt: item.closedAt,
        ...(item.outcomeOwner !== undefined && { outcomeOwner: item.outcomeOwner }),
      }, now);
      added += await addTransitions(trx, streamId, item.key, item.transitions, { source: `${source}-backfill`, now });
      if (item.flags && item.flags.length > 0) await addFlagEvents(trx, streamId, item.key, item.flags, { source: `${source}-backfill`, now });
    }
  });
  return added;
}
