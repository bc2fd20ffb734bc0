/**
 * `flow-nudge verify` (issue 18): after the demo import every item's stored last move matches its
 * transitions; an item whose row was changed behind the bot's back is named with both readings,
 * exit 1, and `--repair` rewrites it from its transitions.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/database.ts';
import { getStream } from '../../src/store/value-streams.ts';
import { freshDatabaseUrl, runCliInProcess as runCli } from './support/run-cli.ts';

describe('flow-nudge verify', () => {
  let env: Record<string, string>;
  beforeAll(async () => {
    env = { DATABASE_URL: freshDatabaseUrl() };
    expect((await runCli(['demo'], { env })).code).toBe(0);
  });

  it('finds no difference after an import, names a changed row, and repairs it', async () => {
    const clean = await runCli(['verify', '--stream', 'demo'], { env });
    expect(clean.code).toBe(0);
    expect(clean.stdout).toMatch(/^demo: \d+ items checked, no difference between their summaries and their transitions\.$/m);

    const store = await openStore(env.DATABASE_URL!);
    try {
      const id = (await getStream(store.db, 'demo'))!.id;
      await store.db.updateTable('work_item').set({ last_moved_at: 0, last_status: 'Done' }).where('stream_id', '=', id).where('key', '=', 'DEMO-7').execute();
    } finally {
      await store.close();
    }
    const broken = await runCli(['verify'], { env });
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/DEMO-7: stored 1970-01-01T00:00:00\.000Z → Done, transitions give 20\d\d-.+ → /);
    expect(broken.stderr).toContain('1 item differ from their transitions, so windowed answers may leave them out; flow-nudge verify --repair rewrites them.');

    expect((await runCli(['verify', '--repair'], { env })).stdout).toContain('repaired: 1 item rewritten from their transitions.');
    expect((await runCli(['verify', '--stream', 'demo'], { env })).code).toBe(0);
  });

  it('names the streams there are when the one asked for does not exist', async () => {
    const run = await runCli(['verify', '--stream', 'nope'], { env });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('stream "nope" does not exist (known streams: demo)');
  });
});
