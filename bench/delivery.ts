/**
 * `npm run bench delivery [-- --channels=N --replicas=R --failures=SHARE]`: the weekly
 * check-in of N channels (default 1,000; half Slack, half Teams) delivered by R replica
 * processes (default 3) on the real Postgres (TEST_DATABASE_URL or DATABASE_URL) to a fake
 * Slack and a fake Teams connector that answer 429, 500, slowly or reset the connection on
 * SHARE of the calls (default 0.25), one replica SIGKILLed when a quarter of the agendas have
 * arrived and started again; then the same at 0% failures. Counted at the fakes.
 */
import { runDeliveryChaos, type ChaosRunResult } from './delivery-chaos.ts';

function flag(name: string, fallback: number): number {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  if (!arg) return fallback;
  const value = Number(arg.slice(name.length + 3));
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name}=${arg.slice(name.length + 3)} is not a number: use e.g. --${name}=${fallback}`);
  return value;
}

export async function benchDelivery(): Promise<Record<string, number | string>> {
  const databaseUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  if (!databaseUrl?.startsWith('postgres')) throw new Error('bench delivery needs Postgres: set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test');
  const channels = Math.round(flag('channels', 1000));
  const replicas = Math.max(2, Math.round(flag('replicas', 3)));
  const failureShare = flag('failures', 0.25);
  const figures: Record<string, number | string> = { channels, replicas };
  const put = (label: string, r: ChaosRunResult) => {
    figures[`${label}: calls at the fakes`] = r.callsAtFakes;
    figures[`${label}: troubled calls (429, 500, slow, reset)`] = `${r.troubledCalls} (${(r.troubledShare * 100).toFixed(1)}%)`;
    figures[`${label}: replica SIGKILLed and restarted`] = r.killed ? 'yes' : 'no';
    figures[`${label}: agenda duplicates`] = r.agendaDuplicates;
    figures[`${label}: agendas lost`] = r.agendaLost;
    figures[`${label}: chart duplicates`] = r.chartDuplicates;
    figures[`${label}: charts lost (of ${r.expectedCharts} per channel)`] = r.chartLost;
    figures[`${label}: time to drain (s)`] = Number(r.drainSeconds.toFixed(1));
    figures[`${label}: outbox`] = Object.entries(r.outbox).map(([k, v]) => `${k} ${v}`).join(', ');
  };
  put(`${Math.round(failureShare * 100)}% failures`, await runDeliveryChaos({ databaseUrl, channels, replicas, failureShare, killAt: 0.25 }));
  put('0% failures', await runDeliveryChaos({ databaseUrl, channels, replicas, failureShare: 0, killAt: 0.25 }));
  return figures;
}
