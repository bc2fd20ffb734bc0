/**
 * Every environment variable flow-nudge reads, documented once. Later issues
 * add the Slack and Teams ones here. Secrets of tracker webhooks are named in
 * flow-nudge.yaml (`secretEnv`), so they are not listed.
 */
import { z } from 'zod';
import { ConfigError, formatKeyPath } from './config-error.ts';

const optionalText = z.string().trim().min(1).optional();

export const envSchema = z.object({
  PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65535)
    .default(3000)
    .describe('TCP port of the HTTP server (webhooks, Slack, Teams, health). Default 3000; 0 picks a free port.'),
  DATABASE_URL: optionalText.describe(
    'Where data lives: unset → file:./data/flow-nudge.db (SQLite); file:PATH; or postgres://user:password@host:5432/db.',
  ),
  FLOW_NUDGE_CONFIG: optionalText.describe('Path of flow-nudge.yaml (value streams and their tracker sources). Default ./flow-nudge.yaml.'),
  JIRA_EMAIL: optionalText.describe('Backfill from Jira Cloud: the Atlassian account e-mail that owns JIRA_API_TOKEN.'),
  JIRA_API_TOKEN: optionalText.describe('Backfill from Jira Cloud: an API token (id.atlassian.com → Security → API tokens).'),
  GITHUB_TOKEN: optionalText.describe('Backfill from GitHub: a token with read access to the repository issues.'),
  GITLAB_TOKEN: optionalText.describe('Backfill from GitLab (unless a source names another variable in tokenEnv): a personal, group or project access token with the read_api scope.'),
  FLOW_NUDGE_RETENTION_DAYS: z.coerce
    .number()
    .int()
    .min(1)
    .max(3650)
    .default(30)
    .describe(
      'Days the bot keeps what it may forget (sent nudges, processed webhook deliveries, spent nudge keys, finished slash-command jobs, claims of past job periods); a whole number from 1 to 3650. Default 30.',
    ),
  FLOW_NUDGE_HISTORY_CACHE_MB: z.coerce
    .number()
    .int()
    .min(0)
    .max(65536)
    .default(128)
    .describe(
      'Megabytes of stream histories the bot keeps in memory per process to answer questions (estimated from their items and transitions; at most 8 streams); a whole number from 0 (keep none) to 65536. Default 128.',
    ),
  LINEAR_API_KEY: optionalText.describe('Backfill from Linear (unless a source names another variable in tokenEnv): a personal API key with read access, or an OAuth token with the read scope.'),
  AZURE_DEVOPS_TOKEN: optionalText.describe('Backfill from Azure DevOps (unless a source names another variable in tokenEnv): a personal access token with the Work Items (Read) scope.'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info').describe('Least severe log level printed: debug, info, warn or error.'),
});

export type Env = z.infer<typeof envSchema>;

/** Validates the environment once at start; an error names the variable and what it should hold. */
export function readEnv(env: NodeJS.ProcessEnv): Env {
  const result = envSchema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const name = formatKeyPath(issue.path);
    const description = (envSchema.shape as Record<string, z.ZodType>)[name]?.description ?? '';
    return `${name}=${JSON.stringify(env[name] ?? '')} is not valid (${issue.message}). ${description}`;
  });
  throw new ConfigError(`environment: ${lines.join(' ')}`);
}

/** FLOW_NUDGE_RETENTION_DAYS alone (the nudge system reads it where it is wired); a bad value is a ConfigError naming it. */
export function retentionDaysOf(env: NodeJS.ProcessEnv): number {
  return readEnv({ FLOW_NUDGE_RETENTION_DAYS: env.FLOW_NUDGE_RETENTION_DAYS }).FLOW_NUDGE_RETENTION_DAYS;
}

/** FLOW_NUDGE_HISTORY_CACHE_MB alone, in bytes (the history cache reads it when a store first uses it); a bad value is a ConfigError naming it. */
export function historyCacheBytesOf(env: NodeJS.ProcessEnv): number {
  return readEnv({ FLOW_NUDGE_HISTORY_CACHE_MB: env.FLOW_NUDGE_HISTORY_CACHE_MB }).FLOW_NUDGE_HISTORY_CACHE_MB * 1024 * 1024;
}
