/**
 * Reads flow-nudge.yaml (FLOW_NUDGE_CONFIG, default ./flow-nudge.yaml),
 * validates it, loads each stream's map and reads each source's secret from
 * the environment. A missing file is an empty config. Errors name the key and the fix.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { StreamMap } from '../core/types.ts';
import type { ItemType } from '../core/types.ts';
import type { TypeMap } from '../trackers/map-item-type.ts';
import type { Vendor } from '../trackers/tracker-event.ts';
import { ConfigError, formatKeyPath } from './config-error.ts';
import { configFileSchema } from './config-schema.ts';
import { resolveStreamMap } from './resolve-stream-map.ts';

export interface SourceConfig {
  vendor: Vendor;
  project?: string;
  repo?: string;
  team?: string;
  organization?: string;
  secretEnv: string;
  /** the variable holding the API token for backfill and lookups */
  tokenEnv?: string;
  /** its value, when tokenEnv is set (GitHub Projects v2 Status lookups use it while processing deliveries) */
  token?: string;
  /** the tracker's API root when it is not the vendor's cloud */
  apiUrl?: string;
  /** the value of secretEnv; '' when it is not set and secrets were not required */
  secret: string;
  typeMap?: TypeMap;
}

export interface StreamConfig {
  name: string;
  map: StreamMap;
  /** where the map came from (its file, or the config key), for messages */
  mapOrigin: string;
  sources: SourceConfig[];
}

export interface Config {
  /** the file read, or null when there was none */
  path: string | null;
  streams: StreamConfig[];
}

const SECRET_HELP: Record<Vendor, string> = {
  jira: "the secret you entered in Jira's webhook settings (System → WebHooks); for a Connect app, the installation's sharedSecret (Authorization: JWT); for an OAuth 2.0 app's dynamic webhooks, the app's client secret (Authorization: Bearer)",
  github: "the secret you entered in the GitHub webhook settings",
  gitlab: "the secret token you entered in the GitLab webhook settings",
  linear: "the signing secret Linear shows for the webhook",
  'azure-devops': 'the password (or username:password) set as Basic authentication on the Azure DevOps service hook',
};

/**
 * @param env process.env (FLOW_NUDGE_CONFIG and the secrets named by secretEnv)
 * @param options.requireSecrets default true: an unset secretEnv is an error (the server needs them; backfill does not)
 */
export async function loadConfig(env: NodeJS.ProcessEnv, options: { requireSecrets?: boolean } = {}): Promise<Config> {
  const explicit = env.FLOW_NUDGE_CONFIG?.trim();
  const path = resolve(explicit || 'flow-nudge.yaml');
  if (!existsSync(path)) {
    if (explicit) throw new ConfigError(`FLOW_NUDGE_CONFIG names ${path}, which does not exist; create it (see examples/flow-nudge.yaml) or unset FLOW_NUDGE_CONFIG`);
    return { path: null, streams: [] };
  }
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`${path} is not valid YAML: ${(error as Error).message}`);
  }
  return parseConfig(raw ?? {}, { path, env, requireSecrets: options.requireSecrets ?? true });
}

/** Validates an already-parsed config object (the YAML document). */
export async function parseConfig(
  raw: unknown,
  options: { path: string | null; env: NodeJS.ProcessEnv; requireSecrets?: boolean },
): Promise<Config> {
  const where = options.path ?? 'flow-nudge.yaml';
  const result = configFileSchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.slice(0, 5).map((issue) => `${formatKeyPath(issue.path)}: ${issue.message}`);
    throw new ConfigError(`${where}: ${lines.join('; ')}`);
  }
  const baseDir = options.path ? dirname(options.path) : process.cwd();
  const streams: StreamConfig[] = [];
  for (const [i, stream] of result.data.streams.entries()) {
    const { map, origin } = await resolveStreamMap(stream.map, { name: stream.name, baseDir, keyPath: `${where}: streams[${i}].map` });
    const sources: SourceConfig[] = stream.sources.map((source, j) => {
      const vendor = source.vendor as Vendor;
      const secret = options.env[source.secretEnv] ?? '';
      if (secret === '' && options.requireSecrets !== false) {
        throw new ConfigError(
          `${where}: streams[${i}].sources[${j}].secretEnv: environment variable ${source.secretEnv} is not set; set it to ${SECRET_HELP[vendor]}`,
        );
      }
      return {
        vendor,
        ...(source.project !== undefined && { project: source.project }),
        ...(source.repo !== undefined && { repo: source.repo }),
        ...(source.team !== undefined && { team: source.team }),
        ...(source.organization !== undefined && { organization: source.organization }),
        secretEnv: source.secretEnv,
        ...(source.tokenEnv !== undefined && { tokenEnv: source.tokenEnv }),
        ...(source.tokenEnv !== undefined && options.env[source.tokenEnv]?.trim() && { token: options.env[source.tokenEnv]!.trim() }),
        ...(source.apiUrl !== undefined && { apiUrl: source.apiUrl }),
        secret,
        ...(source.typeMap !== undefined && { typeMap: source.typeMap as Record<string, ItemType> }),
      };
    });
    streams.push({ name: stream.name, map, mapOrigin: origin, sources });
  }
  return { path: options.path, streams };
}

export { ConfigError, formatKeyPath };
