/**
 * The real HTTP server with Teams mounted, a fresh store, and a fake connector: what the
 * Teams tests post Activities to.
 */
import { createChartRenderer } from '../../../../src/charts/index.ts';
import { mountTeams, type MountedTeams, type MountTeamsOptions } from '../../../../src/chat/teams/index.ts';
import { createHttpServer } from '../../../../src/http/server.ts';
import type { Store, StoreDialect } from '../../../../src/store/database.ts';
import { openTestStore } from '../../../support/databases.ts';
import { startFakeConnector, type FakeConnector } from './fake-connector.ts';

export interface TeamsHarness {
  store: Store;
  connector: FakeConnector;
  teams: MountedTeams;
  baseUrl: string;
  logs: { level: string; message: string }[];
  post(activity: object, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export const NOW = Date.parse('2026-11-20T10:00:00Z');

export async function startTeamsHarness(
  dialect: StoreDialect,
  options: Partial<Pick<MountTeamsOptions, 'runCommand' | 'env' | 'publicUrl' | 'clock' | 'chartTtlMs'>> & { store?: Store } = {},
): Promise<TeamsHarness> {
  const store = options.store ?? (await openTestStore(dialect));
  const connector = await startFakeConnector();
  const logs: { level: string; message: string }[] = [];
  const log = {
    info: (message: string) => logs.push({ level: 'info', message }),
    warn: (message: string) => logs.push({ level: 'warn', message }),
    error: (message: string, fields?: Record<string, unknown>) => logs.push({ level: 'error', message: `${message} ${JSON.stringify(fields ?? {})}` }),
  };
  const http = createHttpServer({ log });
  // Listen first: the chart URLs the cards carry point at this server.
  const port = await http.listen(0, '127.0.0.1');
  const baseUrl = `http://127.0.0.1:${port}`;
  const publicUrl = options.publicUrl ?? baseUrl;
  const charts = createChartRenderer();
  const teams = mountTeams({
    httpServer: http,
    store,
    charts,
    env: options.env ?? {},
    allowAnonymous: true,
    log,
    clock: options.clock ?? (() => NOW),
    ...(publicUrl ? { publicUrl } : {}),
    retry: { baseDelayMs: 20, maxDelayMs: 2000 },
    ...(options.runCommand ? { runCommand: options.runCommand } : {}),
    ...(options.chartTtlMs ? { chartTtlMs: options.chartTtlMs } : {}),
  });
  return {
    store,
    connector,
    teams,
    baseUrl,
    logs,
    async post(activity, headers = {}) {
      const res = await fetch(`${baseUrl}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(activity) });
      const text = await res.text();
      let body: any = text;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        /* text */
      }
      return { status: res.status, body };
    },
    async close() {
      await teams.stop();
      await http.close();
      await charts.close();
      await connector.close();
      if (!options.store) await store.close();
    },
  };
}
