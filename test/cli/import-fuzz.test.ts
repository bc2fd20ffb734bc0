/**
 * Issue 15, done when: 2,000 generated transitions CSV files, each with one to three invalid
 * cells (impossible or malformed dates, unknown types, statuses the map does not name, broken
 * quoting, bytes that are not UTF-8, a UTF-16 file, a wrong number of columns) among valid rows,
 * blank lines and CRLF endings. Every file is refused as bad input (exit 2, never 1), naming the
 * lines of its bad cells and no other line, and the database is unchanged (by checksum).
 * In process through importHistory (what `flow-nudge import` runs after reading the file), so
 * the run stays short; a few of the files also go through the real CLI.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importHistory } from '../../src/cli/import-history.ts';
import { describeFailure } from '../../src/cli/main.ts';
import { openStore, type Store } from '../../src/store/database.ts';
import { databaseChecksum } from './support/db-checksum.ts';
import { freshDatabaseUrl, runCli, runCliInProcess } from './support/run-cli.ts';
import { impossibleDate } from '../support/date-arbitraries.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/import/${name}`, import.meta.url));
const HEADER = 'key,type,title,parent,created_at,from_status,to_status,at';
const MAP_STATUSES = ['backlog', 'in progress', 'in review', 'done'];
const MOVES: [string, string][] = [['', 'Backlog'], ['Backlog', 'In Progress'], ['In Progress', 'In Review'], ['In Review', 'Done'], ['In Review', 'In Progress']];
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** A cell of a row: text, or raw bytes that are not UTF-8. */
type Cell = string | Buffer;
type Corruption = 'date' | 'type' | 'status' | 'quote' | 'bytes' | 'columns';

const validRow = fc.record({
  type: fc.constantFrom('feature', 'defect', 'risk', 'debt', 'Feature'),
  title: fc.stringMatching(/^[A-Za-z][A-Za-z0-9 ]{0,15}$/),
  quoted: fc.boolean(),
  createdDay: fc.integer({ min: 0, max: 500 }),
  hours: fc.integer({ min: 1, max: 400 }),
  move: fc.constantFrom(...MOVES),
  declareOnly: fc.boolean(),
});

const badDate = fc.oneof(
  impossibleDate.map((date) => `${date}T10:00:00Z`),
  impossibleDate.map((date) => `${date}T10:00:00+02:00`),
  fc.constantFrom('yesterday', '2026-1-5T10:00:00Z', '05/01/2026', '2026-01-05T25:00:00Z', '2026-01-05T10:61:00Z', '2026-02-29T10:00:00Z', 'NaN', '1e12'),
);
const badType = fc.stringMatching(/^[A-Za-z]{1,10}$/).filter((t) => !['feature', 'defect', 'risk', 'debt', 'epic'].includes(t.toLowerCase()));
const badStatus = fc.stringMatching(/^[A-Za-z][A-Za-z ]{0,12}[A-Za-z]$/).filter((s) => !MAP_STATUSES.includes(s.trim().toLowerCase().replace(/\s+/g, ' ')));
const badBytes = fc.constantFrom(Buffer.from([0xc3, 0x28]), Buffer.from([0xff]), Buffer.from([0xe2, 0x82]), Buffer.from([0x80, 0x80]));

const corruption = fc.record({
  kind: fc.constantFrom<Corruption>('date', 'type', 'status', 'quote', 'bytes', 'columns'),
  column: fc.constantFrom('created_at', 'at'),
  date: badDate,
  type: badType,
  status: badStatus,
  statusColumn: fc.constantFrom('from', 'to'),
  quote: fc.constantFrom('"unclosed title', '"closed"then more'),
  bytes: badBytes,
  extra: fc.boolean(),
});

const generatedFile = fc
  .record({
    rows: fc.array(validRow, { minLength: 1, maxLength: 12 }),
    blanks: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 12, maxLength: 12 }),
    crlf: fc.boolean(),
    utf16: fc.integer({ min: 0, max: 39 }).map((n) => n === 0),
  })
  .chain((file) =>
    fc.record({
      file: fc.constant(file),
      corrupt: fc.uniqueArray(fc.integer({ min: 0, max: file.rows.length - 1 }), { minLength: 1, maxLength: Math.min(3, file.rows.length) }),
      how: fc.array(corruption, { minLength: 3, maxLength: 3 }),
    }),
  );

type GeneratedFile = typeof generatedFile extends fc.Arbitrary<infer T> ? T : never;

/** The file's bytes, and the lines a correct refusal names (exactly, or at least the first of them when a quote swallows the rest). */
function buildFile(generated: GeneratedFile) {
  const { file, corrupt, how } = generated;
  const eol = file.crlf ? '\r\n' : '\n';
  const parts: Cell[] = [HEADER, eol];
  let line = 1;
  const badLines: number[] = [];
  let swallowedFrom: number | null = null;
  const base = Date.parse('2025-06-02T08:00:00Z');
  file.rows.forEach((row, index) => {
    for (let b = 0; b < file.blanks[index]!; b += 1) {
      parts.push(eol);
      line += 1;
    }
    line += 1;
    const created = base + row.createdDay * 86_400_000;
    const cells: Cell[] = [
      `F-${index + 1}`,
      row.type,
      row.quoted ? `"${row.title}, quoted"` : row.title,
      '',
      iso(created),
      row.declareOnly ? '' : row.move[0],
      row.declareOnly ? '' : row.move[1],
      row.declareOnly ? '' : iso(created + row.hours * 3_600_000),
    ];
    const which = corrupt.indexOf(index);
    if (which >= 0) {
      const c = how[which]!;
      if (c.kind === 'date') {
        if (c.column === 'at' && !row.declareOnly) cells[7] = c.date;
        else cells[4] = c.date;
      } else if (c.kind === 'type') cells[1] = c.type;
      else if (c.kind === 'status') {
        if (row.declareOnly) cells[7] = iso(created + 3_600_000);
        cells[6] = c.status;
        if (c.statusColumn === 'from') [cells[5], cells[6]] = [c.status, 'Done'];
      } else if (c.kind === 'quote') {
        cells[2] = c.quote;
        swallowedFrom ??= line;
      } else if (c.kind === 'bytes') cells[2] = Buffer.concat([Buffer.from(row.title), c.bytes, Buffer.from('x')]);
      else if (c.extra) cells.push('extra');
      else cells.pop();
      badLines.push(line);
    }
    cells.forEach((cell, i) => {
      parts.push(...(i > 0 ? [','] : []), cell);
    });
    parts.push(eol);
  });
  const bytes = Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'utf8') : part)));
  if (file.utf16) return { bytes: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(bytes.toString('latin1'), 'utf16le')]), lines: [1], swallowedFrom: null };
  return { bytes, lines: badLines, swallowedFrom };
}

/** The lines a refusal names ("line N: …"). */
const namedLines = (message: string) => [...message.matchAll(/^\s*line (\d+):/gm)].map((m) => Number(m[1]));

describe('fuzz: 2,000 generated CSV files with invalid cells', () => {
  let url: string;
  let store: Store;
  let before: string;
  beforeAll(async () => {
    url = freshDatabaseUrl();
    const imported = await runCliInProcess(['import', fixture('history.csv'), '--stream', 'checkout', '--workflow', fixture('checkout.yaml')], { env: { DATABASE_URL: url } });
    expect(imported.code).toBe(0);
    before = databaseChecksum(url);
    store = await openStore(url);
  });
  afterAll(async () => {
    await store?.close();
  });

  it('refuses every one with the lines of its bad cells, exit 2, and leaves the database unchanged', async () => {
    let files = 0;
    await fc.assert(
      fc.asyncProperty(generatedFile, async (generated) => {
        files += 1;
        const { bytes, lines, swallowedFrom } = buildFile(generated);
        let failure: { exitCode: number; message: string } | null = null;
        try {
          // as `flow-nudge import` reads the file: as UTF-8
          await importHistory(store, { text: bytes.toString('utf8'), fileName: 'generated.csv', stream: 'checkout' });
        } catch (error) {
          failure = describeFailure(error);
        }
        expect(failure, 'the file was imported').not.toBeNull();
        expect(failure!.exitCode, failure!.message).toBe(2);
        const named = namedLines(failure!.message);
        if (swallowedFrom === null) expect(named, failure!.message).toEqual(lines);
        else {
          // an unclosed quote runs to the end of the file: its line is named, and no line that is fine
          expect(named, failure!.message).toContain(swallowedFrom);
          for (const n of named) expect(lines, failure!.message).toContain(n);
        }
      }),
      { numRuns: 2_000 },
    );
    expect(files).toBe(2_000);
    expect(databaseChecksum(url)).toBe(before);
  }, 120_000);

  it('refuses a few of them through the real CLI too: exit 2, the line, nothing changed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flow-nudge-fuzz-'));
    const samples = fc.sample(generatedFile, { numRuns: 4, seed: 15 });
    for (const [i, generated] of samples.entries()) {
      const { bytes, lines } = buildFile(generated);
      const path = join(dir, `sample-${i}.csv`);
      writeFileSync(path, bytes);
      const run = runCli(['import', path, '--stream', 'checkout'], { env: { DATABASE_URL: url } });
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toContain(`line ${lines[0]}:`);
      expect(run.stderr).not.toContain('unexpected failure');
    }
    expect(databaseChecksum(url)).toBe(before);
  }, 120_000);
});
