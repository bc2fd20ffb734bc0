/** `flow-nudge outcome`: the outcome form on the command line, with its key result; bad input exits 2 and stores nothing. */
import { beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/database.ts';
import { getStream } from '../../src/store/value-streams.ts';
import { getWorkItem } from '../../src/store/work-items.ts';
import { databaseChecksum } from './support/db-checksum.ts';
import { freshDatabaseUrl, runCliInProcess as runCli } from './support/run-cli.ts';

describe('flow-nudge outcome', () => {
  let env: Record<string, string>;
  beforeAll(async () => {
    env = { DATABASE_URL: freshDatabaseUrl() };
    expect((await runCli(['demo'], { env })).code).toBe(0);
  });
  const stored = async (key: string) => {
    const store = await openStore(env.DATABASE_URL!);
    try {
      return await getWorkItem(store.db, (await getStream(store.db, 'demo'))!.id, key);
    } finally {
      await store.close();
    }
  };

  it('stores the anticipated outcome with its key result', async () => {
    const run = await runCli(['outcome', '--stream', 'demo', 'DEMO-E12', 'Analysts', 'answer', 'funnel', 'questions', 'in', 'minutes', '--key-result', 'O4 KR1: decisions from data', '--json'], { env });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ stream: 'demo', epic: 'DEMO-E12', which: 'anticipated', outcome: 'Analysts answer funnel questions in minutes', observe: null, keyResult: 'O4 KR1: decisions from data' });
    const item = (await stored('DEMO-E12'))!;
    expect([item.anticipatedOutcome, item.keyResult]).toEqual(['Analysts answer funnel questions in minutes', 'O4 KR1: decisions from data']);
  });

  it('refuses a long key result, or one without an outcome, with exit 2 and the reason; nothing stored', async () => {
    const before = databaseChecksum(env.DATABASE_URL!);
    const long = await runCli(['outcome', '--stream', 'demo', 'DEMO-E9', 'Returns handled online for 70% of orders', '--key-result', 'K'.repeat(301)], { env });
    expect(long.code).toBe(2);
    expect(long.stderr).toContain('outcome: --key-result: Keep the key result under 300 characters (it has 301)');
    const empty = await runCli(['outcome', '--stream', 'demo', 'DEMO-E9', ' ', '--key-result', 'O3 KR1: return costs -20%'], { env });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('outcome: outcome: A key result goes with an anticipated outcome');
    const actual = await runCli(['outcome', '--stream', 'demo', 'DEMO-E6', 'Subscribers reached 1,400', '--actual', '--key-result', 'O1 KR2'], { env });
    expect(actual.code).toBe(2);
    expect(actual.stderr).toContain('--key-result goes with an anticipated outcome');
    expect(databaseChecksum(env.DATABASE_URL!)).toBe(before);
  });
});
