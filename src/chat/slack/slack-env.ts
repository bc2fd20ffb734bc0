import { z } from 'zod';

/** Unset, or text; an empty value counts as unset. */
const optionalText = z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.string().trim().min(1).optional());

/**
 * The environment variables of the Slack app, documented once (merge into src/config/env.ts).
 * Single-workspace mode: SLACK_SIGNING_SECRET + SLACK_BOT_TOKEN. Multi-workspace (OAuth):
 * SLACK_SIGNING_SECRET + SLACK_CLIENT_ID + SLACK_CLIENT_SECRET (+ FLOW_NUDGE_SECRET_KEY).
 */
export const slackEnvSchema = z.object({
  SLACK_SIGNING_SECRET: optionalText.describe("The app's Signing Secret (Basic Information page); every request from Slack is checked with it."),
  SLACK_BOT_TOKEN: optionalText.describe('Single-workspace mode: the xoxb- bot token (OAuth & Permissions page). Leave unset for multi-workspace OAuth.'),
  SLACK_CLIENT_ID: optionalText.describe('Multi-workspace mode: the Client ID (Basic Information page).'),
  SLACK_CLIENT_SECRET: optionalText.describe('Multi-workspace mode: the Client Secret (Basic Information page).'),
  SLACK_STATE_SECRET: optionalText.describe('Signs the OAuth state parameter; default: derived from FLOW_NUDGE_SECRET_KEY.'),
  SLACK_REDIRECT_URI: optionalText.describe('The public URL of /slack/oauth_redirect, exactly as in the app config (e.g. https://flow.example.com/slack/oauth_redirect).'),
  SLACK_APP_TOKEN: optionalText.describe('Socket Mode (local use without a public URL): an xapp- app-level token with connections:write.'),
  SLACK_API_URL: optionalText.describe('Base URL of the Slack Web API, with the trailing slash. Default https://slack.com/api/ (tests point it at a fake).'),
  FLOW_NUDGE_SECRET_KEY: optionalText.describe('32 bytes (base64 or hex) that encrypt stored Slack tokens (AES-256-GCM). Required in production with OAuth.'),
  NODE_ENV: optionalText,
});
export type SlackEnv = z.infer<typeof slackEnvSchema>;

/** True when the environment has what the Slack app needs to start. */
export function hasSlackCredentials(env: Record<string, string | undefined>): boolean {
  return Boolean((env.SLACK_SIGNING_SECRET || env.SLACK_APP_TOKEN) && (env.SLACK_BOT_TOKEN || (env.SLACK_CLIENT_ID && env.SLACK_CLIENT_SECRET)));
}

/** Reads the Slack variables; an error names the variable and the fix. */
export function readSlackEnv(env: Record<string, string | undefined>): SlackEnv & { mode: 'single' | 'oauth' } {
  const result = slackEnvSchema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const name = String(issue.path[0]);
    throw new Error(`${name} is not valid (${issue.message}): ${slackEnvSchema.shape[name as keyof typeof slackEnvSchema.shape]?.description ?? ''}`);
  }
  const parsed = result.data;
  if (!parsed.SLACK_SIGNING_SECRET && !parsed.SLACK_APP_TOKEN) {
    throw new Error('SLACK_SIGNING_SECRET is not set: copy the Signing Secret from your Slack app (Basic Information page) into it (or use Socket Mode with SLACK_APP_TOKEN).');
  }
  if (parsed.SLACK_BOT_TOKEN) return { ...parsed, mode: 'single' };
  if (parsed.SLACK_CLIENT_ID && parsed.SLACK_CLIENT_SECRET) return { ...parsed, mode: 'oauth' };
  throw new Error(
    'Slack needs either SLACK_BOT_TOKEN (one workspace: the xoxb- token of the OAuth & Permissions page) or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET (installs in many workspaces through /slack/install).',
  );
}
