/**
 * A running flow-nudge HTTP server for tests: real store (SQLite or Postgres),
 * a config with one source per vendor, an ephemeral port on 127.0.0.1.
 */
import { parseConfig, type Config } from '../../../src/config/load-config.ts';
import type { Store } from '../../../src/store/database.ts';
import { startServer, type RunningServer } from '../../../src/http/start-server.ts';
import type { Logger } from '../../../src/log/logger.ts';
import type { Vendor } from '../../../src/trackers/tracker-event.ts';

export const SECRETS = {
  JIRA_SECRET: 'jira-secret-1',
  JIRA_RU_SECRET: 'jira-secret-ru',
  GITHUB_SECRET: 'github-secret-1',
  GITLAB_SECRET: 'gitlab-token-1',
  LINEAR_SECRET: 'linear-secret-1',
  AZURE_SECRET: 'azure-password-1',
};

export const SECRET_OF: Record<Vendor, string> = {
  jira: SECRETS.JIRA_SECRET,
  github: SECRETS.GITHUB_SECRET,
  gitlab: SECRETS.GITLAB_SECRET,
  linear: SECRETS.LINEAR_SECRET,
  'azure-devops': SECRETS.AZURE_SECRET,
};

const MAP = {
  timeZone: 'UTC',
  stages: [
    { name: 'Backlog', kind: 'backlog', statuses: ['To Do', 'New', 'open', 'opened', 'Todo', 'Backlog'] },
    { name: 'Development', kind: 'touch', statuses: ['In Progress', 'Approved'] },
    { name: 'Review', kind: 'wait', statuses: ['In Review'] },
    { name: 'Done', kind: 'done', statuses: ['Done', 'closed'] },
  ],
};

export const TEST_CONFIG = {
  streams: [
    {
      name: 'web',
      map: MAP,
      sources: [
        { vendor: 'jira', project: 'TES', secretEnv: 'JIRA_SECRET' },
        { vendor: 'github', secretEnv: 'GITHUB_SECRET' },
        { vendor: 'gitlab', project: 'indev/gitlabtomatrix', secretEnv: 'GITLAB_SECRET' },
        { vendor: 'linear', team: 'WEB', secretEnv: 'LINEAR_SECRET' },
        { vendor: 'azure-devops', secretEnv: 'AZURE_SECRET' },
      ],
    },
    { name: 'ru', map: MAP, sources: [{ vendor: 'jira', project: 'DTP', secretEnv: 'JIRA_RU_SECRET' }] },
  ],
};

export async function testConfig(raw: unknown = TEST_CONFIG): Promise<Config> {
  return parseConfig(raw, { path: null, env: { ...SECRETS } });
}

/** Collects log lines so a test can assert on them (and the run stays quiet). */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const at = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push(`${level} ${message}${fields ? ` ${JSON.stringify(fields)}` : ''}`);
  };
  return { lines, info: at('info'), warn: at('warn'), error: at('error') };
}

export interface TestServer extends RunningServer {
  url: string;
  log: ReturnType<typeof memoryLogger>;
  transitions: { stream: string; keys: string[] }[];
  post(vendor: Vendor | string, body: string, headers: Record<string, string>): Promise<{ status: number; json: any }>;
}

export async function startTestServer(store: Store, config?: Config): Promise<TestServer> {
  const log = memoryLogger();
  const transitions: { stream: string; keys: string[] }[] = [];
  const running = await startServer({
    store,
    config: config ?? (await testConfig()),
    port: 0,
    host: '127.0.0.1',
    log,
    onTransitions: (stream, keys) => {
      transitions.push({ stream, keys });
    },
  });
  const url = `http://127.0.0.1:${running.port}`;
  return {
    ...running,
    url,
    log,
    transitions,
    async post(vendor, body, headers) {
      const response = await fetch(`${url}/webhooks/${vendor}`, { method: 'POST', body, headers });
      const text = await response.text();
      let json: any = text;
      try {
        json = JSON.parse(text);
      } catch {
        // keep the text
      }
      return { status: response.status, json };
    },
  };
}
