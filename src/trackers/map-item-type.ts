/**
 * Vendor issue types and labels → the four kinds of work of flow distribution.
 * A stream's `typeMap` (flow-nudge.yaml) wins over the defaults.
 */
import type { ItemType } from '../core/types.ts';

/** Vendor type or label name (any case) → item type, from a stream's source config. */
export type TypeMap = Record<string, ItemType>;

const DEFAULTS: Record<string, ItemType> = {
  bug: 'defect',
  defect: 'defect',
  incident: 'defect',
  problem: 'defect',
  regression: 'defect',
  security: 'risk',
  vulnerability: 'risk',
  risk: 'risk',
  compliance: 'risk',
  'tech debt': 'debt',
  'technical debt': 'debt',
  'tech-debt': 'debt',
  techdebt: 'debt',
  debt: 'debt',
  chore: 'debt',
  refactor: 'debt',
  refactoring: 'debt',
  maintenance: 'debt',
  story: 'feature',
  'user story': 'feature',
  task: 'feature',
  feature: 'feature',
  enhancement: 'feature',
  improvement: 'feature',
  epic: 'feature',
  'sub-task': 'feature',
  subtask: 'feature',
  'product backlog item': 'feature',
  requirement: 'feature',
  issue: 'feature',
};

/** When several labels match, the more specific kind wins. */
const PRIORITY: ItemType[] = ['defect', 'risk', 'debt', 'feature'];

function normalizeName(name: string): string {
  // Scoped labels (`type::bug`, `type: bug`, `kind/bug`) count by their last part too.
  return name.trim().toLowerCase();
}

function lookup(name: string, table: Record<string, ItemType>): ItemType | undefined {
  const n = normalizeName(name);
  if (Object.hasOwn(table, n)) return table[n];
  const last = n.split(/::|:|\//).pop()?.trim();
  if (last && last !== n && Object.hasOwn(table, last)) return table[last];
  return undefined;
}

/**
 * Maps the names a vendor gives an item (its issue type, or its labels) to an
 * item type: first the stream's override, then the defaults, else `feature`.
 *
 * @example mapItemType(['Bug']) // 'defect'
 * @example mapItemType(['Improvement', 'Bug']) // 'defect'
 * @example mapItemType(['Spike'], { spike: 'debt' }) // 'debt'
 */
export function mapItemType(names: readonly string[], override: TypeMap = {}): ItemType {
  const overrideLower: Record<string, ItemType> = {};
  for (const [k, v] of Object.entries(override)) overrideLower[normalizeName(k)] = v;
  const fromOverride = pick(names, overrideLower);
  if (fromOverride) return fromOverride;
  return pick(names, DEFAULTS) ?? 'feature';
}

function pick(names: readonly string[], table: Record<string, ItemType>): ItemType | undefined {
  const found = new Set<ItemType>();
  for (const name of names) {
    const t = lookup(name, table);
    if (t) found.add(t);
  }
  return PRIORITY.find((t) => found.has(t));
}
