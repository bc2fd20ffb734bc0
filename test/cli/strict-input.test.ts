/**
 * The reproductions of issue 15 at the CLI: impossible dates, silent map replacement, every
 * bad row listed, usage errors that show the expected form. Each refusal exits 2 and changes
 * nothing (the database is compared by checksum).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { freshDatabaseUrl, runCliInProcess as runCli } from './support/run-cli.ts';
import { databaseChecksum } from './support/db-checksum.ts';
import { impossibleDate } from '../support/date-arbitraries.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/import/${name}`, import.meta.url));
const HEADER = 'key,type,title,parent,created_at,from_status,to_status,at';

describe('strict input at the CLI', () => {
  let env: Record<string, string>;
  let dir: string;
  const write = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const importHistory = () => runCli(['import', fixture('history.csv'), '--stream', 'checkout', '--workflow', fixture('checkout.yaml')], { env });
  beforeEach(async () => {
    env = { DATABASE_URL: freshDatabaseUrl() };
    dir = mkdtempSync(join(tmpdir(), 'flow-nudge-strict-'));
    expect((await importHistory()).code).toBe(0);
  });

  it('refuses 2026-09-31 in a transitions CSV with the line numbers, exit 2, nothing changed', async () => {
    const before = databaseChecksum(env.DATABASE_URL);
    const csv = write('sept.csv', [HEADER, 'N-1,feature,New,,2026-09-01T09:00:00Z,Backlog,In Progress,2026-09-31T10:00:00Z', 'N-1,feature,New,,2026-09-01T09:00:00Z,In Progress,Done,2026-09-31T10:00:00Z'].join('\n'));
    const run = await runCli(['import', csv, '--stream', 'checkout'], { env });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('line 2: at "2026-09-31T10:00:00Z" is not a date: September 2026 has 30 days');
    expect(run.stderr).toContain('line 3:');
    expect(run.stderr).toContain('2026-01-05T09:00:00Z');
    expect(databaseChecksum(env.DATABASE_URL)).toBe(before);
  });

  it('refuses event add --at 2026-11-31 (was logged on 2026-12-01)', async () => {
    const before = databaseChecksum(env.DATABASE_URL);
    const run = await runCli(['event', 'add', '--stream', 'checkout', '--at', '2026-11-31', 'WIP limit 3'], { env });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--at "2026-11-31" is not a date: November 2026 has 30 days');
    expect(databaseChecksum(env.DATABASE_URL)).toBe(before);
  });

  it('refuses report --from 2026-02-30 with exit 2 and the accepted forms, no stack trace', async () => {
    const run = await runCli(['report', 'leadtime', '--stream', 'checkout', '--from', '2026-02-30'], { env });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--from "2026-02-30" is not a date: February 2026 has 28 days; write YYYY-MM-DD');
    expect(run.stderr).not.toMatch(/unexpected failure|RangeError|\n\s+at /);
  });

  it('refuses generated impossible dates in every date option and CSV cell', async () => {
    const before = databaseChecksum(env.DATABASE_URL);
    await fc.assert(
      fc.asyncProperty(impossibleDate, fc.constantFrom('report', 'event', 'created_at', 'at'), async (date, where) => {
        let run: Awaited<ReturnType<typeof runCli>>;
        if (where === 'report') run = await runCli(['report', 'leadtime', '--stream', 'checkout', '--to', date], { env });
        else if (where === 'event') run = await runCli(['event', 'add', '--stream', 'checkout', '--at', `${date}T10:00:00Z`, 'x'], { env });
        else {
          const cells = where === 'created_at' ? [`${date}T09:00:00Z`, '2026-01-06T10:00:00Z'] : ['2026-01-05T09:00:00Z', `${date}T10:00:00+02:00`];
          const csv = write('gen.csv', [HEADER, `G-1,feature,Gen,,${cells[0]},Backlog,In Progress,${cells[1]}`].join('\n'));
          run = await runCli(['import', csv, '--stream', 'checkout'], { env });
          expect(run.stderr).toContain(`line 2: ${where} "`);
        }
        expect(run.code).toBe(2);
        expect(run.stderr).toContain(date);
      }),
      { numRuns: 60 },
    );
    expect(databaseChecksum(env.DATABASE_URL)).toBe(before);
  });

  it('refuses a different map for an existing stream with the diff and --replace-map, then replaces it when asked', async () => {
    const before = databaseChecksum(env.DATABASE_URL);
    const other = write('other.yaml', 'name: other\ntimeZone: Europe/Berlin\nstages:\n  - { name: Doing, kind: touch, statuses: [Backlog, In Progress, In Review] }\n  - { name: Done, kind: done, statuses: [Done] }\n');
    const run = await runCli(['import', fixture('history.csv'), '--stream', 'checkout', '--workflow', other], { env });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('other.yaml differs from the stored map of stream checkout');
    expect(run.stderr).toContain('- stage Code review (wait: In Review)');
    expect(run.stderr).toContain('+ stage Doing (touch: Backlog, In Progress, In Review)');
    expect(run.stderr).toContain('--replace-map');
    expect(databaseChecksum(env.DATABASE_URL)).toBe(before);
    // the same map again is no change
    expect((await importHistory()).code).toBe(0);
    const replaced = await runCli(['import', fixture('history.csv'), '--stream', 'checkout', '--workflow', other, '--replace-map'], { env });
    expect(replaced.code).toBe(0);
    const stages = JSON.parse((await runCli(['report', 'stages', '--stream', 'checkout', '--from', '2026-01-01', '--to', '2026-02-01', '--json'], { env })).stdout);
    expect(stages.stages.map((stage: { stage: string }) => stage.stage)).toEqual(['Doing']);
  });

  it('lists all 6 bad rows, the unknown status among them', async () => {
    const csv = write('six.csv', [
      HEADER,
      'B-1,story,Wrong type,,2026-01-05T09:00:00Z,Backlog,In Progress,2026-01-06T10:00:00Z',
      'B-2,feature,Bad time,,yesterday,Backlog,In Progress,2026-01-06T10:00:00Z',
      'B-3,feature,Too few,,2026-01-05T09:00:00Z',
      'B-4,feature,Unknown status,,2026-01-05T09:00:00Z,Backlog,QA Ready,2026-01-06T10:00:00Z',
      'B-5,feature,Impossible,,2026-01-05T09:00:00Z,Backlog,In Progress,2026-02-30T10:00:00Z',
      ',feature,No key,,2026-01-05T09:00:00Z,Backlog,In Progress,2026-01-06T10:00:00Z',
    ].join('\n'));
    const run = await runCli(['import', csv, '--stream', 'checkout'], { env });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('6 bad rows');
    for (const line of [2, 3, 4, 5, 6, 7]) expect(run.stderr).toContain(`line ${line}:`);
    expect(run.stderr).toContain("add 'QA Ready' to a stage in the map of stream checkout");
  });

  it('shows the transitions header when a CSV header is wrong', async () => {
    const csv = write('header.csv', ['id,kind,title,parent,created,from,to,when', 'X-1,feature,T,,2026-01-05T09:00:00Z,Backlog,Done,2026-01-06T10:00:00Z'].join('\n'));
    const run = await runCli(['import', csv, '--stream', 'checkout'], { env });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(HEADER);
  });
});
