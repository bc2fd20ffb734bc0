/**
 * The delivery chaos run: the weekly check-in of N channels (half Slack, half Teams) on real
 * Postgres, delivered by R replica processes to fakes that misbehave on a share of calls; one
 * replica is SIGKILLed mid-run and started again. Counted at the fakes: each channel's agenda
 * text and each of its charts, how many arrived twice (duplicates) or never (lost), and how long
 * the outbox took to drain. Used by `npm run bench delivery` and test/nudges/delivery-chaos.test.ts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadDemo } from '../src/demo/load-demo.ts';
import { parseNudge } from '../src/nudges/nudge-payload.ts';
import { bindChannel } from '../src/store/channel-bindings.ts';
import { saveConversationRef } from '../src/store/conversation-refs.ts';
import { openPostgresStore } from '../src/store/database.ts';
import { countOutboxByState, listOutbox } from '../src/store/outbox.ts';
import { startChaosConnector, startChaosSlack, type ChaosCounts } from './chaos-fakes.ts';

/** Monday 19 Oct 2026, 10:00 in Berlin: past every channel's default check-in (Monday 09:30). */
export const CHECKIN_AT = Date.parse('2026-10-19T08:00:00Z');
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

export interface ChaosRunOptions {
  databaseUrl: string;
  channels: number;
  replicas: number;
  failureShare: number;
  /** SIGKILL one replica once this share of agendas has arrived (and start it again); null: no kill */
  killAt: number | null;
  timeoutMs?: number;
  /** where the replicas' logs go (default: a file in the temp directory) */
  logFile?: string;
}

export interface ChaosRunResult {
  channels: number;
  replicas: number;
  failureShare: number;
  callsAtFakes: number;
  troubledCalls: number;
  troubledShare: number;
  killed: boolean;
  agendaDuplicates: number;
  agendaLost: number;
  chartDuplicates: number;
  chartLost: number;
  expectedCharts: number;
  drainSeconds: number;
  outbox: Record<string, number>;
  logFile: string;
}

async function admin(url: string, query: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(query);
  } finally {
    await client.end();
  }
}

const slackChannel = (i: number) => `C-BENCH-${i}`;
const teamsChannel = (i: number) => `19:bench-${i}@thread.tacv2`;

/** Duplicates and losses of one kind of thing (agenda text, charts) over every channel. */
function tally(counted: Map<string, Map<string, number>>, channels: string[], expect: (channel: string, what: Map<string, number>) => number): { duplicates: number; lost: number } {
  let duplicates = 0;
  let lost = 0;
  for (const channel of channels) {
    const what = counted.get(channel) ?? new Map<string, number>();
    for (const n of what.values()) duplicates += Math.max(0, n - 1);
    lost += Math.max(0, expect(channel, what) - what.size);
  }
  return { duplicates, lost };
}

export async function runDeliveryChaos(options: ChaosRunOptions): Promise<ChaosRunResult> {
  const { databaseUrl: url, channels } = options;
  const schema = `bench_${randomBytes(5).toString('hex')}`;
  const logFile = options.logFile ?? join(tmpdir(), `flow-nudge-delivery-chaos-${schema}.log`);
  const logs = createWriteStream(logFile);
  await admin(url, `CREATE SCHEMA ${schema}`);
  const store = await openPostgresStore({ connectionString: url, options: `-c search_path=${schema}`, max: 3 });
  const slack = await startChaosSlack({ failureShare: options.failureShare, seed: 11 });
  const connector = await startChaosConnector({ failureShare: options.failureShare, seed: 23 });
  const children = new Set<ChildProcess>();
  try {
    const { streamId } = await loadDemo(store, { now: CHECKIN_AT });
    const slackIds: string[] = [];
    const teamsIds: string[] = [];
    for (let i = 0; i < channels; i++) {
      if (i % 2 === 0) {
        slackIds.push(slackChannel(i));
        await bindChannel(store.db, { platform: 'slack', channelId: slackChannel(i), streamId }, CHECKIN_AT - 86_400_000);
      } else {
        const id = teamsChannel(i);
        teamsIds.push(id);
        await saveConversationRef(
          store.db,
          {
            conversationId: id,
            tenantId: TENANT,
            conversationType: 'channel',
            teamId: '19:benchteam@thread.tacv2',
            channelId: id,
            userId: null,
            userAadId: null,
            serviceUrl: connector.url,
            reference: { channelId: 'msteams', serviceUrl: connector.url, conversation: { id, conversationType: 'channel', isGroup: true, tenantId: TENANT }, agent: { id: '28:bench-bot', name: 'flow' } },
          },
          CHECKIN_AT - 86_400_000,
        );
        await bindChannel(store.db, { platform: 'teams', channelId: id, streamId }, CHECKIN_AT - 86_400_000);
      }
    }

    const start = (id: string): ChildProcess => {
      const child = spawn(process.execPath, ['bin/run-ts.js', 'bench/delivery-replica.ts', id, url, schema, slack.apiUrl, String(CHECKIN_AT)], { stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout!.pipe(logs, { end: false });
      child.stderr!.pipe(logs, { end: false });
      children.add(child);
      child.on('exit', () => children.delete(child));
      return child;
    };
    const started = performance.now();
    const replicas = Array.from({ length: options.replicas }, (_, i) => start(`r${i + 1}`));
    const agendasArrived = () =>
      slackIds.filter((c) => slack.counts.texts.get(c)?.size).length + teamsIds.filter((c) => [...(connector.counts.texts.get(c)?.keys() ?? [])].some((t) => t.startsWith('Weekly check-in'))).length;

    let killed = false;
    const deadline = Date.now() + (options.timeoutMs ?? 15 * 60_000);
    let drainSeconds = NaN;
    for (;;) {
      await new Promise((r) => setTimeout(r, 200));
      if (!killed && options.killAt !== null && agendasArrived() >= options.killAt * channels) {
        const victim = replicas[replicas.length - 1]!;
        victim.kill('SIGKILL');
        await new Promise((r) => (victim.exitCode !== null || victim.signalCode !== null ? r(null) : victim.once('exit', r)));
        killed = true;
        logs.write(`${new Date().toISOString()} bench: SIGKILLed ${replicas.length}, starting it again\n`);
        start(`r${replicas.length}-restarted`);
      }
      const states = await countOutboxByState(store.db);
      const total = Object.values(states).reduce((a, b) => a + b, 0);
      if (total === channels && states.pending === 0 && states.sending === 0 && (killed || options.killAt === null)) {
        drainSeconds = (performance.now() - started) / 1000;
        break;
      }
      if (Date.now() > deadline) break;
      if (children.size === 0) throw new Error(`every replica ended by itself: see ${logFile}`);
    }
    // let any late duplicate arrive before counting
    await new Promise((r) => setTimeout(r, 1_500));
    const rows = await listOutbox(store.db);
    const sample = rows.find((r) => r.payloadJson !== '');
    const message = sample ? parseNudge(sample.payloadJson) : null;
    const expectedCharts = message ? (message.chart ? 1 : 0) + (message.moreCharts?.length ?? 0) : 0;

    const agendaSlack = tally(slack.counts.texts, slackIds, () => 1);
    // Teams: the agenda card (summary "Weekly check-in…") and one card per further chart
    const teamsAgenda = new Map([...connector.counts.texts].map(([c, m]) => [c, new Map([...m].filter(([t]) => t.startsWith('Weekly check-in')))]));
    const agendaTeams = tally(teamsAgenda, teamsIds, () => 1);
    const chartSlack = tally(slack.counts.charts, slackIds, () => expectedCharts);
    const chartTeams = tally(connector.counts.charts, teamsIds, () => expectedCharts);
    const troubled = (c: ChaosCounts) => Object.values(c.troubled).reduce((a, b) => a + b, 0);
    const calls = slack.counts.calls + connector.counts.calls;
    return {
      channels,
      replicas: options.replicas,
      failureShare: options.failureShare,
      callsAtFakes: calls,
      troubledCalls: troubled(slack.counts) + troubled(connector.counts),
      troubledShare: calls === 0 ? 0 : (troubled(slack.counts) + troubled(connector.counts)) / calls,
      killed,
      agendaDuplicates: agendaSlack.duplicates + agendaTeams.duplicates,
      agendaLost: agendaSlack.lost + agendaTeams.lost,
      chartDuplicates: chartSlack.duplicates + chartTeams.duplicates,
      chartLost: chartSlack.lost + chartTeams.lost,
      expectedCharts,
      drainSeconds,
      outbox: await countOutboxByState(store.db),
      logFile,
    };
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all([...children].map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))));
    await slack.close();
    await connector.close();
    await store.close();
    await admin(url, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    logs.end();
  }
}
