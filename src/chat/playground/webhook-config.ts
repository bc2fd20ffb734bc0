/**
 * Tracker webhooks in the playground: with no flow-nudge.yaml, the demo stream takes Jira
 * deliveries of project DEMO (its items are DEMO-1, DEMO-2, …) signed with the secret in
 * PLAYGROUND_WEBHOOK_SECRET, "playground" when unset. A local demo only: a real stream is
 * configured in flow-nudge.yaml with its own secret.
 */
import type { StreamConfig } from '../../config/load-config.ts';
import { DEMO_MAP, DEMO_STREAM_NAME } from '../../demo/demo-stream.ts';
import { hmacSha256Hex } from '../../trackers/verify-hmac.ts';

export const PLAYGROUND_WEBHOOK_SECRET_ENV = 'PLAYGROUND_WEBHOOK_SECRET';
export const DEFAULT_PLAYGROUND_WEBHOOK_SECRET = 'playground';
/** the Jira project of the demo stream's items */
export const DEMO_JIRA_PROJECT = 'DEMO';

/**
 * The demo stream as a configured stream with one Jira source, for startServer's config
 * when flow-nudge.yaml names no stream "demo".
 * @example playgroundStreamConfig({}) // { name: 'demo', map: DEMO_MAP, sources: [{ vendor: 'jira', project: 'DEMO', secret: 'playground', … }] }
 */
export function playgroundStreamConfig(env: Record<string, string | undefined>): StreamConfig {
  const secret = env[PLAYGROUND_WEBHOOK_SECRET_ENV]?.trim() || DEFAULT_PLAYGROUND_WEBHOOK_SECRET;
  return {
    name: DEMO_STREAM_NAME,
    map: DEMO_MAP,
    mapOrigin: 'the built-in demo map (src/demo/demo-stream.ts)',
    sources: [{ vendor: 'jira', project: DEMO_JIRA_PROJECT, secretEnv: PLAYGROUND_WEBHOOK_SECRET_ENV, secret }],
  };
}

/** A Jira `jira:issue_updated` delivery moving one demo item between statuses, as Jira would send it. */
export function jiraStatusChangeBody(input: { key: string; title: string; from: string; to: string; at: number; type?: string }): string {
  return JSON.stringify({
    webhookEvent: 'jira:issue_updated',
    timestamp: input.at,
    issue: {
      key: input.key,
      fields: {
        summary: input.title,
        issuetype: { name: input.type ?? 'Story' },
        project: { key: DEMO_JIRA_PROJECT },
        status: { name: input.to },
      },
    },
    changelog: { items: [{ field: 'status', fieldId: 'status', fromString: input.from, toString: input.to }] },
  });
}

/** The X-Hub-Signature header Jira sends with a body signed by `secret`. */
export function jiraSignature(secret: string, body: string): string {
  return `sha256=${hmacSha256Hex(secret, body)}`;
}
