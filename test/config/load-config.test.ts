import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEnv } from '../../src/config/env.ts';
import { ConfigError, loadConfig } from '../../src/config/load-config.ts';

const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'flow-nudge.yaml');
const EXAMPLE_SECRETS = {
  JIRA_WEBHOOK_SECRET: 'a', GITHUB_WEBHOOK_SECRET: 'b', GITLAB_WEBHOOK_TOKEN: 'c', LINEAR_WEBHOOK_SECRET: 'd', AZURE_DEVOPS_HOOK_PASSWORD: 'e',
};

function writeConfig(text: string, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'flow-nudge-config-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  const path = join(dir, 'flow-nudge.yaml');
  writeFileSync(path, text);
  return path;
}

async function configError(env: NodeJS.ProcessEnv): Promise<string> {
  try {
    await loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('loads the example with its secrets from the environment', async () => {
    const config = await loadConfig({ FLOW_NUDGE_CONFIG: EXAMPLE, ...EXAMPLE_SECRETS });
    expect(config.streams.map((s) => s.name)).toEqual(['checkout', 'platform']);
    expect(config.streams[0].map).toMatchObject({ name: 'checkout', timeZone: 'Europe/Berlin' });
    expect(config.streams[0].sources[0]).toEqual({
      vendor: 'jira', project: 'CHK', secretEnv: 'JIRA_WEBHOOK_SECRET', secret: 'a', typeMap: { Spike: 'debt', Vulnerability: 'risk' },
    });
  });

  it('a missing default file is an empty config; a missing named file is an error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flow-nudge-none-'));
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      expect(await loadConfig({})).toEqual({ path: null, streams: [] });
    } finally {
      process.chdir(cwd);
    }
    expect(await configError({ FLOW_NUDGE_CONFIG: join(dir, 'nope.yaml') })).toContain('does not exist');
  });

  it('an unset secret names the key, the variable and where the secret comes from', async () => {
    const { JIRA_WEBHOOK_SECRET: _, ...rest } = EXAMPLE_SECRETS;
    const message = await configError({ FLOW_NUDGE_CONFIG: EXAMPLE, ...rest });
    expect(message).toContain('streams[0].sources[0].secretEnv: environment variable JIRA_WEBHOOK_SECRET is not set');
    expect(message).toContain("Jira's webhook settings");
    // backfill does not need webhook secrets
    await expect(loadConfig({ FLOW_NUDGE_CONFIG: EXAMPLE, ...rest }, { requireSecrets: false })).resolves.toBeTruthy();
  });

  it('bad values name the key path and the accepted values', async () => {
    const path = writeConfig(`streams:\n  - name: a\n    map: {timeZone: UTC, stages: [{name: Done, kind: done, statuses: [Done]}]}\n    sources:\n      - { vendor: trello, secretEnv: X }\n      - { vendor: jira, repo: a/b, secretEnv: Y }\n`);
    const message = await configError({ FLOW_NUDGE_CONFIG: path, X: '1', Y: '2' });
    expect(message).toContain('streams[0].sources[0].vendor: must be one of jira, github, gitlab, linear, azure-devops');
    expect(message).toContain('streams[0].sources[1].repo: jira sources select deliveries by project, not repo');
  });

  it('a secret pasted where the variable name goes is refused', async () => {
    const path = writeConfig(`streams:\n  - name: a\n    map: {timeZone: UTC, stages: [{name: Done, kind: done, statuses: [Done]}]}\n    sources: [{ vendor: github, secretEnv: "s3cr3t-value!" }]\n`);
    expect(await configError({ FLOW_NUDGE_CONFIG: path })).toContain('streams[0].sources[0].secretEnv: must be the NAME of an environment variable');
  });

  it('tokenEnv and apiUrl: a token pasted where the variable name goes, or an apiUrl that is no URL, names the key and the fix; the token is read from its variable', async () => {
    const base = 'streams:\n  - name: a\n    map: {timeZone: UTC, stages: [{name: Done, kind: done, statuses: [Done]}]}\n    sources: ';
    const pasted = writeConfig(`${base}[{ vendor: gitlab, project: acme/x, secretEnv: S, tokenEnv: "glpat-abc.def" }]\n`);
    expect(await configError({ FLOW_NUDGE_CONFIG: pasted, S: '1' })).toContain('streams[0].sources[0].tokenEnv: must be the NAME of an environment variable');
    const badUrl = writeConfig(`${base}[{ vendor: gitlab, project: acme/x, secretEnv: S, apiUrl: gitlab.example.com }]\n`);
    expect(await configError({ FLOW_NUDGE_CONFIG: badUrl, S: '1' })).toContain('streams[0].sources[0].apiUrl: must be an http(s) URL, e.g. https://gitlab.example.com/api/v4');
    const good = writeConfig(`${base}[{ vendor: github, organization: acme, secretEnv: S, tokenEnv: GH_PROJECTS, apiUrl: "https://ghe.example.com/api" }]\n`);
    const config = await loadConfig({ FLOW_NUDGE_CONFIG: good, S: '1', GH_PROJECTS: ' ghp-x ' });
    expect(config.streams[0].sources[0]).toMatchObject({ tokenEnv: 'GH_PROJECTS', token: 'ghp-x', apiUrl: 'https://ghe.example.com/api' });
  });

  it('a map path is read relative to the config file; a bad map names the key and the map problem', async () => {
    const path = writeConfig('streams:\n  - { name: a, map: maps.yaml }\n', { 'maps.yaml': 'timeZone: UTC\nstages:\n  - { name: Done, kind: done, statuses: [Done] }\n' });
    expect((await loadConfig({ FLOW_NUDGE_CONFIG: path })).streams[0].map.stages[0].name).toBe('Done');
    const bad = writeConfig('streams:\n  - { name: a, map: { timeZone: UTC, stages: [] } }\n');
    expect(await configError({ FLOW_NUDGE_CONFIG: bad })).toMatch(/streams\[0\]\.map/);
  });

  it('invalid YAML and duplicate stream names are refused', async () => {
    expect(await configError({ FLOW_NUDGE_CONFIG: writeConfig('streams: [') })).toContain('not valid YAML');
    const map = '{timeZone: UTC, stages: [{name: Done, kind: done, statuses: [Done]}]}';
    expect(await configError({ FLOW_NUDGE_CONFIG: writeConfig(`streams:\n  - { name: a, map: ${map} }\n  - { name: a, map: ${map} }\n`) })).toContain('listed twice');
  });
});

describe('readEnv', () => {
  it('defaults PORT to 3000 and refuses a bad one with what it should hold', () => {
    expect(readEnv({}).PORT).toBe(3000);
    expect(() => readEnv({ PORT: 'eighty' })).toThrow(/PORT="eighty" is not valid .*TCP port/);
  });
});
