/**
 * How a work item and its transitions become rows and back: the one place
 * that knows `from_status = ''` means "no previous status" and `is_epic` is 0/1.
 */
import { ITEM_TYPES, type ItemType, type Transition, type WorkItem } from '../core/types.ts';
import { checkFlags } from './item-flags.ts';

/** The columns an import or a webhook may set on a work_item row. */
export interface WorkItemRowValues {
  type: string;
  title: string;
  parent_key: string | null;
  is_epic: number;
  created_at: number;
  anticipated_outcome: string | null;
  actual_outcome: string | null;
}

export const NO_STATUS = '';

export function toFromStatus(from: string | null): string {
  return from ?? NO_STATUS;
}

export function fromFromStatus(from: string): string | null {
  return from === NO_STATUS ? null : from;
}

export function toItemType(type: string): ItemType {
  // the shared literal, not the row's own copy of it (a history holds one per item)
  return ITEM_TYPES.find((t) => t === type) ?? 'feature';
}

/**
 * One string per distinct status for a read: each row the driver returns carries its own copy
 * of its statuses, and a history holds two per transition (about 70 bytes each time).
 * @example const status = statusInterner(); status('Done') === status('Done'.slice()) // the same string
 */
export function statusInterner(): (status: string) => string {
  const seen = new Map<string, string>();
  return (status) => {
    const known = seen.get(status);
    if (known !== undefined) return known;
    seen.set(status, status);
    return status;
  };
}

/**
 * The row values an imported item asks for. An outcome left `undefined`
 * keeps what the row already holds (imports rarely carry outcomes; the chat
 * flow records them).
 */
export function importedValues(item: WorkItem, existing: WorkItemRowValues | undefined): WorkItemRowValues {
  return {
    type: item.type,
    title: item.title,
    parent_key: item.parentKey ?? null,
    is_epic: item.isEpic ? 1 : 0,
    created_at: item.createdAt,
    anticipated_outcome:
      item.anticipatedOutcome === undefined ? (existing?.anticipated_outcome ?? null) : item.anticipatedOutcome,
    actual_outcome: item.actualOutcome === undefined ? (existing?.actual_outcome ?? null) : item.actualOutcome,
  };
}

export function sameValues(a: WorkItemRowValues, b: WorkItemRowValues): boolean {
  return (
    a.type === b.type &&
    a.title === b.title &&
    a.parent_key === b.parent_key &&
    a.is_epic === b.is_epic &&
    Number(a.created_at) === Number(b.created_at) &&
    a.anticipated_outcome === b.anticipated_outcome &&
    a.actual_outcome === b.actual_outcome
  );
}

/**
 * Checks what the database would refuse with a less helpful message, and
 * merges items given twice under one key (the later fields win, transitions
 * and flag events are joined).
 */
export function prepareItems(items: readonly WorkItem[]): WorkItem[] {
  const byKey = new Map<string, WorkItem>();
  for (const item of items) {
    checkItem(item);
    const earlier = byKey.get(item.key);
    const flags = earlier?.flags || item.flags ? { flags: [...(earlier?.flags ?? []), ...(item.flags ?? [])] } : {};
    byKey.set(item.key, earlier ? { ...item, transitions: [...earlier.transitions, ...item.transitions], ...flags } : item);
  }
  return [...byKey.values()];
}

/** Refuses an item without a key or with a time that is not whole epoch ms, naming the item and the fix. */
export function checkItem(item: WorkItem): void {
  if (typeof item.key !== 'string' || item.key.trim() === '') {
    throw new Error(`A work item has no key (title "${item.title}"): every item needs its tracker key, e.g. CHK-12.`);
  }
  checkTime(item.createdAt, `work item ${item.key}: createdAt`);
  checkTransitions(item.key, item.transitions);
  if (item.flags) checkFlags(item.key, item.flags);
}

/** Refuses a transition without a whole-ms time or a target status, naming the item. */
export function checkTransitions(key: string, transitions: readonly Transition[]): void {
  for (const t of transitions) {
    checkTime(t.at, `work item ${key}: transition to "${t.to}"`);
    if (typeof t.to !== 'string' || t.to === '') {
      throw new Error(`work item ${key}: a transition at ${t.at} has no target status; give every transition a "to" status.`);
    }
  }
}

function checkTime(value: number, what: string): void {
  if (!Number.isSafeInteger(value)) {
    throw new Error(`${what} is ${value}, not a time: give whole epoch milliseconds (e.g. Date.parse('2026-02-03T10:00:00Z')).`);
  }
}

/**
 * An item's transitions from a read's `moves` column (src/store/work-item-load.ts, movesColumn):
 * one JSON text of [from_status, to_status, at] triples in (at, id) order, null when it has none.
 * @example transitionsOf('[["","To Do",5],["To Do","Done",9]]', statusInterner()) // [{ from: null, to: 'To Do', at: 5 }, { from: 'To Do', to: 'Done', at: 9 }]
 */
export function transitionsOf(moves: string | null, status: (status: string) => string): Transition[] {
  if (moves === null) return [];
  return (JSON.parse(moves) as [string, string, number][]).map(([from, to, at]) => ({ from: fromFromStatus(status(from)), to: status(to), at }));
}
