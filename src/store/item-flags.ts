/**
 * The flags and labels set on and cleared from work items (migration 0014): rows and back, and
 * adding them, exact duplicates skipped. Written in the same transaction as the item's
 * transitions by imports (./work-item-import.ts), webhooks and backfills (./work-items.ts).
 */
import type { Kysely } from 'kysely';
import type { FlagEvent } from '../core/types.ts';
import type { Database } from './schema.ts';

/** An item_flag row's columns as read back. */
export interface FlagRow {
  item_id: number;
  at: number;
  flag: string;
  is_set: number;
}

/** Refuses a flag event without a whole-ms time or a flag name, naming the item. */
export function checkFlags(key: string, flags: readonly FlagEvent[]): void {
  for (const f of flags) {
    if (typeof f.flag !== 'string' || f.flag === '') {
      throw new Error(`work item ${key}: a flag event at ${f.at} names no flag; give 'flagged' or 'label:<name>'.`);
    }
    if (!Number.isSafeInteger(f.at)) {
      throw new Error(`work item ${key}: flag "${f.flag}" at ${f.at}, not a time: give whole epoch milliseconds.`);
    }
  }
}

/** Inserts the flag events of one stored item; returns how many were new. Runs in the caller's transaction. */
export async function insertFlagEvents(db: Kysely<Database>, itemId: number, flags: readonly FlagEvent[], source: string): Promise<number> {
  let added = 0;
  // 1,000 rows × 5 values stays far below the bind-parameter limits of both dialects
  for (let start = 0; start < flags.length; start += 1_000) {
    const rows = flags.slice(start, start + 1_000).map((f) => ({ item_id: itemId, at: f.at, flag: f.flag, is_set: f.on ? 1 : 0, source }));
    const result = await db
      .insertInto('item_flag')
      .values(rows)
      .onConflict((oc) => oc.columns(['item_id', 'at', 'flag', 'is_set']).doNothing())
      .executeTakeFirst();
    added += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  return added;
}

/** Group flag rows onto their items (an item gets `flags` only when it has some). */
export function attachFlags<T extends { flags?: FlagEvent[] }>(itemsById: Map<number, T>, rows: Iterable<FlagRow>): void {
  for (const row of rows) {
    const item = itemsById.get(row.item_id);
    if (!item) continue;
    item.flags ??= [];
    item.flags.push({ flag: row.flag, on: row.is_set === 1, at: Number(row.at) });
  }
}

