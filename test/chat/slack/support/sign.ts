import { createHmac } from 'node:crypto';

/** Headers signed exactly as Slack signs a request: v0=HMAC-SHA256(secret, `v0:${ts}:${body}`). */
export function slackSignatureHeaders(secret: string, body: string, timestampSeconds = Math.floor(Date.now() / 1000)): Record<string, string> {
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestampSeconds}:${body}`).digest('hex')}`;
  return { 'x-slack-request-timestamp': String(timestampSeconds), 'x-slack-signature': signature };
}

/** The form body of a `/flow` slash command as Slack sends it. */
export function slashCommandBody(fields: { text: string; channel_id?: string; user_id?: string; team_id?: string; response_url?: string; trigger_id?: string }): string {
  return new URLSearchParams({
    token: 'legacy-verification-token',
    team_id: fields.team_id ?? 'T0FAKE',
    team_domain: 'fake',
    channel_id: fields.channel_id ?? 'C0FLOW',
    channel_name: 'flow',
    user_id: fields.user_id ?? 'U0ASKER',
    user_name: 'asker',
    command: '/flow',
    text: fields.text,
    api_app_id: 'A0FAKE',
    is_enterprise_install: 'false',
    response_url: fields.response_url ?? 'http://127.0.0.1:9/response',
    trigger_id: fields.trigger_id ?? '123.456.abcdef',
  }).toString();
}

/** The form body of an interactivity payload (block_actions, view_submission). */
export function interactivityBody(payload: unknown): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** POSTs a signed request and returns status and body text. */
export async function postSigned(
  url: string,
  secret: string,
  body: string,
  options: { contentType?: string; timestampSeconds?: number; tamper?: boolean } = {},
): Promise<{ status: number; text: string; ms: number }> {
  const headers = slackSignatureHeaders(secret, body, options.timestampSeconds);
  const sent = options.tamper ? `${body.replace(/text=[^&]*/, 'text=leaderboard')}&x=1` : body;
  const started = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': options.contentType ?? 'application/x-www-form-urlencoded', ...headers },
    body: sent,
  });
  const text = await res.text();
  return { status: res.status, text, ms: performance.now() - started };
}
