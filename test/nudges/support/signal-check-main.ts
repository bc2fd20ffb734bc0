/**
 * A bot process for the kill test: runs the signal check of every bound stream at NOW_MS on
 * the given store, with a chart renderer that says "rendering" and then never finishes, so
 * the test can SIGKILL it between the signal's detection and its post.
 * Usage: node bin/run-ts.js test/nudges/support/signal-check-main.ts NOW_MS STORE_URL [PG_SCHEMA]
 */
import { checkSignals } from '../../../src/nudges/signal-alert.ts';
import type { NudgeCharts } from '../../../src/nudges/nudge-charts.ts';
import { openPostgresStore, openStore } from '../../../src/store/database.ts';

const [nowMs, url, schema] = process.argv.slice(2);
if (!url || !nowMs) throw new Error('signal-check-main needs NOW_MS STORE_URL [PG_SCHEMA]');
const store = schema ? await openPostgresStore({ connectionString: url, options: `-c search_path=${schema}`, max: 2 }) : await openStore(url);
const hang = (): Promise<never> => {
  process.stdout.write('rendering\n');
  return new Promise(() => {});
};
const charts: NudgeCharts = { xmr: hang, aging: hang };
await checkSignals({ store, charts }, Number(nowMs));
process.stdout.write('checked\n');
await store.close();
