/**
 * What the import's two writers share (./import-writer-sqlite.ts, ./import-writer-postgres.ts):
 * the writer's interface, its context, and what it keeps between batches.
 */
import type { WorkItem } from '../core/types.ts';
import type { ImportResult } from './work-item-import.ts';

/**
 * Stores the items of an import batch by batch, inside withImportTransaction. An item whose key
 * came in an earlier batch of the same import only gets its transitions (its first batch's
 * fields are the item's); items are never read back one by one.
 */
export interface ImportWriter {
  write(items: readonly WorkItem[]): Promise<void>;
  /** how many distinct items the batches so far held */
  readonly itemsMet: number;
  /** The counts of the import; bumps the stream's version when its history changed. Call once, last. */
  finish(): Promise<ImportResult>;
}

/** Which stream an import writes, the source it records and its clock for `updated_at`. */
export interface ImportContext {
  streamId: number;
  source: string;
  now: number;
}

/** Whether an import changed the stream's history (then its version goes up, in the import's transaction). */
export function changedHistory(result: ImportResult): boolean {
  return result.itemsAdded + result.itemsUpdated + result.transitionsAdded + result.flagsAdded > 0;
}

/**
 * What a writer keeps between batches: the id of each key met in this import, and the stored
 * items that were unchanged (their updated_at moves only when a transition is added to them).
 */
export interface WriterState {
  ids: Map<string, number>;
  untouched: Set<number>;
  result: ImportResult;
}

export function newState(): WriterState {
  return { ids: new Map(), untouched: new Set(), result: { itemsAdded: 0, itemsUpdated: 0, transitionsAdded: 0, flagsAdded: 0 } };
}

/** The items of a batch whose key this import has not met yet, each key once. */
export function unmetItems(items: readonly WorkItem[], ids: Map<string, number>): WorkItem[] {
  const seen = new Set<string>();
  return items.filter((item) => !ids.has(item.key) && !seen.has(item.key) && seen.add(item.key));
}

/** A key kept for the whole import, copied so that it does not hold on to the text it was cut from. */
export const ownKey = (key: string) => ` ${key}`.slice(1);
