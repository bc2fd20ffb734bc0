import type { Store } from '../../../src/store/database.ts';

/** Row counts of the tables webhook ingest writes: equal snapshots mean nothing changed. */
export async function dbSnapshot(store: Store): Promise<{ deliveries: number; items: number; transitions: number }> {
  const count = async (table: 'webhook_delivery' | 'work_item' | 'transition') =>
    Number((await store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return { deliveries: await count('webhook_delivery'), items: await count('work_item'), transitions: await count('transition') };
}
