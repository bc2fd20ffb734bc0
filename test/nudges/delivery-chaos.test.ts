/**
 * The delivery chaos run, small (bench/delivery-chaos.ts; `npm run bench delivery` runs the
 * large one): the weekly check-in of 30 channels, half Slack, half Teams, on the real Postgres,
 * delivered by two replica processes to a fake Slack and a fake Teams connector that answer
 * 429 with Retry-After, 500, slowly or reset the connection on a quarter of the calls. Counted
 * at the fakes.
 */
import { describe, expect, it } from 'vitest';
import { runDeliveryChaos } from '../../bench/delivery-chaos.ts';

const url = process.env.TEST_DATABASE_URL;

describe.skipIf(!url)('delivery under 429s, 500s, slow answers and connection resets', () => {
  it('every channel gets its agenda and each chart exactly once', async () => {
    const run = await runDeliveryChaos({ databaseUrl: url!, channels: 30, replicas: 2, failureShare: 0.25, killAt: null, timeoutMs: 240_000 });
    expect(run.troubledShare).toBeGreaterThanOrEqual(0.15);
    expect(run.expectedCharts).toBe(2);
    expect(run.outbox).toEqual({ pending: 0, sending: 0, sent: 30, failed: 0 });
    expect({ agendaDuplicates: run.agendaDuplicates, agendaLost: run.agendaLost, chartDuplicates: run.chartDuplicates, chartLost: run.chartLost }).toEqual({
      agendaDuplicates: 0,
      agendaLost: 0,
      chartDuplicates: 0,
      chartLost: 0,
    });
  }, 300_000);

  it('with one replica SIGKILLed mid-run and started again, nothing is lost, and only a call in flight at the kill can repeat', async () => {
    const run = await runDeliveryChaos({ databaseUrl: url!, channels: 30, replicas: 2, failureShare: 0.25, killAt: 0.25, timeoutMs: 240_000 });
    expect(run.killed).toBe(true);
    expect(run.outbox).toEqual({ pending: 0, sending: 0, sent: 30, failed: 0 });
    expect({ agendaLost: run.agendaLost, chartLost: run.chartLost }).toEqual({ agendaLost: 0, chartLost: 0 });
    // the killed replica sent at most 6 rows at once (its outbox concurrency): at most one
    // repeated call each, the one whose answer came back after the kill and before its record
    expect(run.agendaDuplicates + run.chartDuplicates).toBeLessThanOrEqual(6);
  }, 300_000);
});
