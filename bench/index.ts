/**
 * `npm run bench`: prints the measured figures of every part. Each part is a
 * module exporting one async function that returns its figures.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const parts: [string, string, string][] = [
  ['foundation', './foundation.ts', 'benchFoundation'],
  ['charts', './charts.ts', 'benchCharts'],
  ['webhooks', './webhooks.ts', 'benchWebhooks'],
  ['slack', './slack.ts', 'benchSlack'],
  ['nudges', './nudges.ts', 'benchNudges'],
];

const only = process.argv.slice(2);
for (const [name, file, exported] of parts) {
  if (only.length > 0 && !only.includes(name)) continue;
  if (!existsSync(fileURLToPath(new URL(file, import.meta.url)))) continue;
  const module = (await import(file)) as Record<string, () => Promise<Record<string, number | string>>>;
  process.stdout.write(`\n## ${name}\n`);
  const started = performance.now();
  const figures = await module[exported]();
  for (const [label, value] of Object.entries(figures)) process.stdout.write(`  ${label}: ${typeof value === 'number' ? value.toLocaleString('en-US') : value}\n`);
  process.stdout.write(`  (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
}
