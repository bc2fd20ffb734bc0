/**
 * Import at scale (issue 18, item 4): a generated transitions CSV goes through the plain
 * better-sqlite3 reference loader (./import-reference.mjs) and through `flow-nudge import` (the
 * built CLI), each in its own child process with the same migrated empty database, so each
 * peak RSS is that process's own. Figures: rates, peak RSS and both ratios, at two file sizes
 * (memory should not grow with the file). After each import, `flow-nudge verify` (the built CLI,
 * on the same database) must find every item's stored last move equal to its transitions'.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, copyFileSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { openStore } from '../src/store/database.ts';
import { createRandom } from '../src/core/random.ts';
import { LAUNCHER_FLAGS } from './launcher-flags.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PEAK_RSS = fileURLToPath(new URL('./peak-rss.mjs', import.meta.url));
const REFERENCE = fileURLToPath(new URL('./import-reference.mjs', import.meta.url));
const CLI = join(ROOT, 'bin', 'flow-nudge.js');
const HEADER = 'key,type,title,parent,created_at,from_status,to_status,at';
const HOUR = 3_600_000;

const MAP = {
  name: 'scale',
  timeZone: 'Europe/Berlin',
  stages: [
    { name: 'Backlog', kind: 'backlog', statuses: ['Backlog'] },
    { name: 'Ready', kind: 'wait', statuses: ['Ready'] },
    { name: 'Build', kind: 'touch', statuses: ['In Progress'] },
    { name: 'Review', kind: 'wait', statuses: ['In Review'] },
    { name: 'Test', kind: 'touch', statuses: ['Testing'] },
    { name: 'Done', kind: 'done', statuses: ['Done'] },
  ],
};
const TYPES = ['feature', 'feature', 'feature', 'defect', 'risk', 'debt'];

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/**
 * Writes a transitions CSV of about `transitions` rows: items of ~10 transitions each (the
 * path Backlog → Ready → In Progress → In Review → Testing → Done with 0–4 review round trips),
 * rows of an item together as exports have them, one title in 7 quoted (it holds a comma).
 */
export function writeTransitionsCsv(path: string, transitions: number): { items: number; transitions: number } {
  // seeded, so every run reads the same file
  const next = createRandom(18);
  const fd = openSync(path, 'w');
  const end = Date.UTC(2026, 10, 24);
  let written = 0;
  let items = 0;
  let lines: string[] = [HEADER];
  while (written < transitions) {
    items += 1;
    const key = `SCL-${items}`;
    const type = TYPES[items % TYPES.length];
    const title = items % 7 === 0 ? `"Checkout, step ${items}"` : `Item ${items} of the scale bench`;
    const created = end - Math.floor(next() * 730 * 24) * HOUR;
    const head = `${key},${type},${title},,${iso(created)}`;
    const moves: [string, string][] = [['', 'Backlog'], ['Backlog', 'Ready'], ['Ready', 'In Progress'], ['In Progress', 'In Review']];
    for (let loop = Math.floor(next() * 5); loop > 0; loop -= 1) moves.push(['In Review', 'In Progress'], ['In Progress', 'In Review']);
    moves.push(['In Review', 'Testing'], ['Testing', 'Done']);
    let at = created;
    for (const [from, to] of moves) {
      lines.push(`${head},${from},${to},${iso(at)}`);
      at += (1 + Math.floor(next() * 48)) * HOUR;
    }
    written += moves.length;
    if (lines.length >= 10_000) {
      writeSync(fd, `${lines.join('\n')}\n`);
      lines = [];
    }
  }
  writeSync(fd, `${lines.join('\n')}\n`);
  closeSync(fd);
  return { items, transitions: written };
}

interface ChildRun {
  seconds: number;
  peakRssMb: number;
  stdout: string;
}

/** Runs `node --import peak-rss.mjs ARGS` and returns its wall time, peak RSS and stdout. */
function runChild(args: string[], env: Record<string, string> = {}): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', PEAK_RSS, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = (performance.now() - started) / 1000;
      const peak = /peak-rss-kib (\d+)/.exec(stderr);
      if (code !== 0 || !peak) reject(new Error(`${args.join(' ')} exited ${code}: ${stderr.slice(-2000)}`));
      else resolve({ seconds, peakRssMb: Math.round(Number(peak[1]) / 1024), stdout });
    });
  });
}

/**
 * Runs `flow-nudge verify --stream NAME` on the store at `databaseUrl` and reads how many items it
 * checked and how many differ; throws when it exits non-zero (it does when any differ).
 */
function runVerify(databaseUrl: string, stream: string): { items: number; differences: number; seconds: number } {
  const started = performance.now();
  const run = spawnSync(process.execPath, ['--expose-gc', CLI, 'verify', '--stream', stream], { env: { ...process.env, DATABASE_URL: databaseUrl }, encoding: 'utf8' });
  const seconds = (performance.now() - started) / 1000;
  const said = `${run.stdout}${run.stderr}`.slice(-2000);
  if (run.status !== 0) throw new Error(`flow-nudge verify --stream ${stream} exited ${run.status} after the import: ${said}`);
  const clean = new RegExp(`^${stream}: (\\d+) items checked, no difference between their summaries and their transitions\\.$`, 'm').exec(run.stdout);
  if (!clean) throw new Error(`flow-nudge verify --stream ${stream} exited 0 but did not say it found no difference: ${said}`);
  return { items: Number(clean[1]), differences: 0, seconds };
}

function countRows(dbPath: string): { items: number; transitions: number } {
  const db = new BetterSqlite3(dbPath, { readonly: true });
  try {
    const items = (db.prepare('select count(*) as n from work_item').get() as { n: number }).n;
    const transitions = (db.prepare('select count(*) as n from "transition"').get() as { n: number }).n;
    return { items, transitions };
  } finally {
    db.close();
  }
}

/** `--transitions=N` sets the larger file (default 1,000,000); the smaller one is a quarter of it. */
function largestSize(): number {
  const flag = process.argv.find((arg) => arg.startsWith('--transitions='));
  const value = flag ? Number(flag.slice('--transitions='.length)) : 1_000_000;
  if (!Number.isSafeInteger(value) || value < 1_000) throw new Error(`--transitions=${flag}: give a whole number of at least 1000`);
  return value;
}

export async function benchImportScale(): Promise<Record<string, number | string>> {
  const figures: Record<string, number | string> = {};
  const build = spawnSync(process.execPath, [join(ROOT, 'bin', 'build.js')], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`npm run build failed: ${build.stderr}`);
  const dir = mkdtempSync(join(tmpdir(), 'flow-nudge-scale-'));
  try {
    const template = join(dir, 'template.db');
    await (await openStore(`file:${template}`)).close();
    const mapPath = join(dir, 'scale-map.json');
    writeFileSync(mapPath, JSON.stringify(MAP));
    // what each process holds before it reads a byte: the CLI loads every command's packages
    // (chat adapters, chart renderer) at start
    const idleCli = await runChild([...LAUNCHER_FLAGS, CLI, 'help']);
    const idleNode = await runChild(['-e', "require('better-sqlite3'); require('papaparse')"]);
    figures['start-up peak RSS: flow-nudge help / node with better-sqlite3 (MB)'] = `${idleCli.peakRssMb} / ${idleNode.peakRssMb}`;
    const largest = largestSize();
    for (const size of [Math.round(largest / 4), largest]) {
      const label = `${(size / 1000).toLocaleString('en-US')}k`;
      const csv = join(dir, `history-${size}.csv`);
      const generated = writeTransitionsCsv(csv, size);
      figures[`${label}: file`] = `${generated.items.toLocaleString('en-US')} items, ${generated.transitions.toLocaleString('en-US')} transitions, ${Math.round(statSync(csv).size / 1_048_576)} MiB`;
      const referenceDb = join(dir, `reference-${size}.db`);
      const importDb = join(dir, `import-${size}.db`);
      copyFileSync(template, referenceDb);
      copyFileSync(template, importDb);
      const reference = await runChild([REFERENCE, csv, referenceDb, 'scale', mapPath]);
      const imported = await runChild([...LAUNCHER_FLAGS, CLI, 'import', csv, '--stream', 'scale', '--workflow', mapPath, '--json'], { DATABASE_URL: `file:${importDb}` });
      const stored = countRows(importDb);
      const referenceStored = countRows(referenceDb);
      if (stored.transitions !== generated.transitions || referenceStored.transitions !== generated.transitions || stored.items !== referenceStored.items) {
        throw new Error(`the loaders stored different rows: import ${JSON.stringify(stored)}, reference ${JSON.stringify(referenceStored)}, file ${JSON.stringify(generated)}`);
      }
      const verified = runVerify(`file:${importDb}`, 'scale');
      if (verified.items !== stored.items) throw new Error(`flow-nudge verify checked ${verified.items} items, the import stored ${stored.items}`);
      const referenceRate = generated.transitions / reference.seconds;
      const importRate = generated.transitions / imported.seconds;
      figures[`${label}: reference loader (transitions/s, wall time of its process)`] = Math.round(referenceRate);
      figures[`${label}: flow-nudge import (transitions/s, wall time of its process)`] = Math.round(importRate);
      figures[`${label}: reference loader peak RSS (MB)`] = reference.peakRssMb;
      figures[`${label}: flow-nudge import peak RSS (MB)`] = imported.peakRssMb;
      figures[`${label}: import rate ÷ reference (target >= 0.8)`] = round(importRate / referenceRate);
      figures[`${label}: import peak RSS ÷ reference (target <= 1.5)`] = round(imported.peakRssMb / reference.peakRssMb);
      figures[`${label}: peak RSS above start-up, import / reference (MB)`] = `${imported.peakRssMb - idleCli.peakRssMb} / ${reference.peakRssMb - idleNode.peakRssMb}`;
      figures[`${label}: import: flow-nudge verify differences (0 expected)`] = verified.differences;
      figures[`${label}: flow-nudge verify wall time (s)`] = round(verified.seconds);
      rmSync(csv);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
