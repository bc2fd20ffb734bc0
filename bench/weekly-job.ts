/**
 * The weekly check-in job in a process of its own, started the way `npm start` starts the bot:
 * from the build (bin/build.js), with the bot's whole module graph loaded (Slack, Teams, charts,
 * the HTTP server). Run by bench/nudges.ts: `node dist/bench-weekly-job.mjs DATABASE_URL DUE_ISO`.
 * Prints one JSON line: the job's figures and the process's memory.
 */
import '../src/http/start-bot.ts';
import { createChartRenderer } from '../src/charts/index.ts';
import { checkinJob } from '../src/jobs/nudge-jobs.ts';
import { createJobRunner } from '../src/jobs/run-due-jobs.ts';
import { createNudgeCharts } from '../src/nudges/nudge-charts.ts';
import { openStore } from '../src/store/database.ts';

const MB = 1_048_576;
const [url, dueIso] = process.argv.slice(2);
const store = await openStore(url);
const charts = createChartRenderer();
try {
  const idleMb = process.memoryUsage().rss / MB;
  const runner = createJobRunner({ store, charts: createNudgeCharts(charts), replicaId: 'bench' }, [checkinJob]);
  const started = performance.now();
  const results = await runner.runDueJobs(Date.parse(dueIso!));
  const seconds = (performance.now() - started) / 1000;
  const heap = process.memoryUsage();
  process.stdout.write(
    `${JSON.stringify({
      seconds,
      ran: results.filter((r) => r.status === 'ran').length,
      failed: results.filter((r) => r.status === 'failed').length,
      idleMb,
      // the kernel's high-water mark of this process: the job is the only work it did
      maxRssMb: process.resourceUsage().maxRSS / 1024,
      heapTotalMbAtEnd: heap.heapTotal / MB,
    })}\n`,
  );
} finally {
  await charts.close();
  await store.close();
}
