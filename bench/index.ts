/**
 * `npm run bench [part...]`: prints the measured figures of every part. Each part is a
 * module exporting one async function that returns its figures. With several parts, each runs
 * in its own process, so one part's memory does not show up in another's peak RSS.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const parts: [string, string, string][] = [
  ['foundation', './foundation.ts', 'benchFoundation'],
  ['charts', './charts.ts', 'benchCharts'],
  ['webhooks', './webhooks.ts', 'benchWebhooks'],
  ['slack', './slack.ts', 'benchSlack'],
  ['nudges', './nudges.ts', 'benchNudges'],
  ['delivery', './delivery.ts', 'benchDelivery'],
  ['signals', './signal-replicas.ts', 'benchSignalReplicas'],
  ['edge', './edge.ts', 'benchEdge'],
  ['scale', './scale.ts', 'benchScale'],
];

// as the launcher does (bin/flow-nudge.js): resvg's allocator keeps freed memory 200 ms, and child
// processes run with --expose-gc, so the figures are the bot's own
process.env.MIMALLOC_PURGE_DELAY ??= '200';

// `--name=value` arguments are the parts' own flags (e.g. delivery's --channels=N)
const asked = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const chosen = parts.filter(([name, file]) => (asked.length === 0 || asked.includes(name)) && existsSync(fileURLToPath(new URL(file, import.meta.url))));
const unknown = asked.filter((name) => !parts.some(([known]) => known === name));
if (unknown.length > 0) {
  process.stderr.write(`bench: unknown part ${unknown.join(', ')}; the parts are ${parts.map(([name]) => name).join(', ')}\n`);
  process.exit(2);
}

if (chosen.length > 1) {
  const runner = fileURLToPath(new URL('../bin/run-ts.js', import.meta.url));
  for (const [name] of chosen) {
    const child = spawnSync(process.execPath, ['--expose-gc', runner, fileURLToPath(import.meta.url), name], { stdio: 'inherit' });
    if (child.status !== 0) process.exitCode = child.status ?? 1;
  }
} else {
  for (const [name, file, exported] of chosen) {
    const module = (await import(file)) as Record<string, () => Promise<Record<string, number | string>>>;
    process.stdout.write(`\n## ${name}\n`);
    const started = performance.now();
    const figures = await module[exported]();
    for (const [label, value] of Object.entries(figures)) process.stdout.write(`  ${label}: ${typeof value === 'number' ? value.toLocaleString('en-US') : value}\n`);
    process.stdout.write(`  (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
  }
}
