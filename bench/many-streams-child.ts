/** The bot's side of ./many-streams.ts: answers every question about every stream, twice; prints its figures as one JSON line. */
import { createChartRenderer } from '../src/charts/index.ts';
import { flowHistoryCacheOf } from '../src/commands/flow-history-cache.ts';
import { runCommand } from '../src/commands/index.ts';
import { keepHeapNearLive } from '../src/jobs/release-memory.ts';
import { openStore } from '../src/store/database.ts';
import { END, QUESTIONS, STREAMS } from './many-streams.ts';

const mb = () => Math.round(process.memoryUsage().rss / 2 ** 20);
// as the bot does at start (src/http/start-bot.ts); FLOW_NUDGE_BENCH_DEFAULT_HEAP=1 measures without it
if (process.env.FLOW_NUDGE_BENCH_DEFAULT_HEAP !== '1') keepHeapNearLive();
const store = await openStore(process.argv[2]!);
const charts = createChartRenderer();
const startMb = mb();
const times: number[] = [];
const rounds: number[] = [];
for (let round = 0; round < 2; round += 1) {
  for (let i = 0; i < STREAMS; i += 1) {
    for (const question of QUESTIONS) {
      const started = performance.now();
      const reply = await runCommand({ store, charts, platform: 'slack', channelId: `C-TEAM-${i}`, teamId: 'T1', userId: 'U1', now: END }, question);
      times.push(performance.now() - started);
      if (/no value stream|not bound|went wrong/i.test(reply.text)) throw new Error(`${question} in C-TEAM-${i}: ${reply.text}`);
    }
  }
  rounds.push(mb());
}
const sorted = [...times].sort((a, b) => a - b);
const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * q) - 1)]!);
const cacheMb = Math.round((flowHistoryCacheOf(store)?.bytes ?? 0) / 2 ** 20);
await charts.close();
await store.close();
process.stdout.write(`${JSON.stringify({ startMb, round1Mb: rounds[0], round2Mb: rounds[1], answers: times.length, p50: at(0.5), p95: at(0.95), max: at(1), cacheMb })}\n`);
