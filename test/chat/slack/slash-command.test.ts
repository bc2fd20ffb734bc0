import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getBinding } from '../../../src/store/channel-bindings.ts';
import { postSigned, slashCommandBody } from './support/sign.ts';
import { SIGNING_SECRET, startSlackHarness, type SlackHarness } from './support/harness.ts';

/** The stored command jobs (their payloads) of a channel: every command that will run has one. */
async function commandJobsFor(h: SlackHarness, channelId: string): Promise<{ payload: string; state: string }[]> {
  const rows = await h.store.db.selectFrom('command_job').select(['payload_json', 'state']).execute();
  return rows.filter((row) => row.payload_json.includes(channelId)).map((row) => ({ payload: row.payload_json, state: row.state }));
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('Slack slash commands over real HTTP, signed as Slack signs them', () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('refuses a bad signature, a request more than 5 minutes old or ahead, and a missing signature with 401, and runs nothing', async () => {
    const body = slashCommandBody({ text: 'bind demo', channel_id: 'C-REFUSED' });
    const tampered = await postSigned(`${h.url}/slack/commands`, SIGNING_SECRET, body, { tamper: true });
    expect(tampered.status).toBe(401);
    expect(tampered.text).toContain('signature mismatch');
    const wrongSecret = await postSigned(`${h.url}/slack/commands`, 'not-the-secret', body);
    expect(wrongSecret.status).toBe(401);
    const stale = await postSigned(`${h.url}/slack/commands`, SIGNING_SECRET, body, { timestampSeconds: Math.floor(Date.now() / 1000) - 301 });
    expect(stale.status).toBe(401);
    expect(stale.text).toContain('5 minutes');
    // bolt looks only at the past: dated ahead of now is refused too, just past the window and far off.
    for (const ahead of [301, 365 * 24 * 3600]) {
      const future = await postSigned(`${h.url}/slack/commands`, SIGNING_SECRET, body, { timestampSeconds: Math.floor(Date.now() / 1000) + ahead });
      expect(future.status, `+${ahead} s`).toBe(401);
      expect(future.text).toContain('ahead of this server');
    }
    const unsigned = await fetch(`${h.url}/slack/commands`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    expect(unsigned.status).toBe(401);
    expect(await unsigned.text()).toContain('X-Slack-Signature');
    // work a command would do is committed as a job before any answer goes out: none was made
    expect(await commandJobsFor(h, 'C-REFUSED')).toEqual([]);
    expect(await getBinding(h.store.db, 'slack', 'C-REFUSED')).toBeNull();
    expect(h.fake.calls.filter((c) => c.method !== 'auth.test')).toHaveLength(0);
  });

  it('tells an unbound channel, to the asking user only, how to bind', async () => {
    const res = await h.command('leadtime', { channel_id: 'C-NEW', user_id: 'U-ASKER' });
    expect(res.status).toBe(200);
    const [call] = await h.fake.waitFor('chat.postEphemeral', (c) => c.params.channel === 'C-NEW');
    expect(call!.params.user).toBe('U-ASKER');
    expect(call!.params.text).toContain('/flow bind');
    expect(call!.token).toBe('xoxb-single-workspace');
    expect(h.fake.callsTo('chat.postMessage').filter((c) => c.params.channel === 'C-NEW')).toHaveLength(0);
  });

  it('binds the channel, then answers leadtime in the channel with the chart uploaded to that channel and its summary', async () => {
    const bind = await h.command('bind demo', { channel_id: 'C-TEAM' });
    expect(bind.status).toBe(200);
    expect(bind.text).toBe('');
    await h.fake.waitFor('chat.postMessage', (c) => c.params.channel === 'C-TEAM' && /now follows the value stream demo/.test(c.params.text));
    expect((await getBinding(h.store.db, 'slack', 'C-TEAM'))?.teamId).toBe('T0FAKE');

    const res = await h.command('leadtime 30d', { channel_id: 'C-TEAM' });
    expect(res.status).toBe(200);
    expect(res.ms).toBeLessThan(1000);
    expect(JSON.parse(res.text)).toEqual({ response_type: 'ephemeral', text: 'Working on /flow leadtime 30d…' });
    const [message] = await h.fake.waitFor('chat.postMessage', (c) => c.params.channel === 'C-TEAM' && /Lead time of demo, last 30 days/.test(c.params.text));
    expect(message!.params.blocks.some((b: { fields?: unknown[] }) => b.fields?.length === 4)).toBe(true);

    const [complete] = await h.fake.waitFor('files.completeUploadExternal', (c) => c.params.channel_id === 'C-TEAM', { timeoutMs: 20_000 });
    const fileId = complete!.params.files[0].id;
    const [upload] = h.fake.callsTo('upload').filter((c) => c.params.file_id === fileId);
    expect(upload!.bytes!.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    const [getUrl] = h.fake.callsTo('files.getUploadURLExternal').filter((c) => Number(c.params.length) === upload!.bytes!.length);
    expect(getUrl!.params.filename).toBe('demo-leadtime.png');
    expect(complete!.params.initial_comment).toMatch(/\d+/);
    expect(getUrl!.params.alt_text).toBe(complete!.params.initial_comment);
  });

  it('refuses a per-person request with the reason, only to the user, posting nothing in the channel', async () => {
    const before = h.fake.callsTo('chat.postMessage').length;
    const res = await h.command('cycletime by assignee', { channel_id: 'C-TEAM', user_id: 'U-CURIOUS' });
    expect(res.status).toBe(200);
    const [call] = await h.fake.waitFor('chat.postEphemeral', (c) => c.params.user === 'U-CURIOUS');
    expect(call!.params.text).toContain('does not report metrics per person');
    // the command's job is finished once the refusal went out: after that nothing of it can post
    await expect.poll(async () => (await commandJobsFor(h, 'C-TEAM')).filter((job) => job.payload.includes('assignee')).map((job) => job.state), { timeout: 10_000 }).toEqual(['done']);
    expect(h.fake.callsTo('chat.postMessage')).toHaveLength(before);
    expect(h.fake.callsTo('files.completeUploadExternal').filter((c) => /assignee/.test(JSON.stringify(c.params)))).toHaveLength(0);
  });

  it('retries a message Slack rate-limits after Retry-After, and drops nothing', async () => {
    h.fake.rateLimitNext('chat.postMessage', 1);
    const started = Date.now();
    const res = await h.command('streams', { channel_id: 'C-TEAM' }); // ephemeral: not rate-limited
    expect(res.status).toBe(200);
    await h.command('event list', { channel_id: 'C-TEAM' });
    const [posted] = await h.fake.waitFor('chat.postMessage', (c) => /events? logged for demo/.test(c.params.text), { timeoutMs: 15_000 });
    const limited = h.fake.calls.filter((c) => c.method === 'chat.postMessage' && c.rateLimited);
    expect(limited).toHaveLength(1);
    expect(posted!.at - limited[0]!.at).toBeGreaterThanOrEqual(1000);
    expect(posted!.at - started).toBeGreaterThanOrEqual(1000);
  });

  it('uploads a chart even when Slack rate-limits the upload completion once', async () => {
    h.fake.rateLimitNext('files.completeUploadExternal', 1);
    await h.command('stages 30d', { channel_id: 'C-TEAM' });
    const [complete] = await h.fake.waitFor('files.completeUploadExternal', (c) => /constraint|waiting|wait/i.test(String(c.params.initial_comment)) && c.params.channel_id === 'C-TEAM', { timeoutMs: 20_000 });
    const limited = h.fake.calls.filter((c) => c.method === 'files.completeUploadExternal' && c.rateLimited);
    expect(limited).toHaveLength(1);
    expect(complete!.at - limited[0]!.at).toBeGreaterThanOrEqual(1000);
  });

  it('answers help ephemerally with every command', async () => {
    await h.command('', { channel_id: 'C-TEAM', user_id: 'U-HELP' });
    const [call] = await h.fake.waitFor('chat.postEphemeral', (c) => c.params.user === 'U-HELP');
    expect(JSON.stringify(call!.params.blocks)).toContain('/flow forecast 30 items');
  });
});
