/**
 * What a Slack user reads: a notice only for answers with a chart, every chart of an answer,
 * mentions Slack renders as mentions, help in groups. Signed slash commands over real HTTP
 * against a fake Slack Web API on 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findOwnerMappings } from '../../../src/nudges/owner-directory.ts';
import { listFlowEvents } from '../../../src/store/flow-events.ts';
import { getStream } from '../../../src/store/value-streams.ts';
import { blockKitProblems } from './support/block-kit-limits.ts';
import { startSlackHarness, type SlackHarness } from './support/harness.ts';

describe('Slack replies, complete and in Slack words', () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness();
    await h.command('bind demo', { channel_id: 'C-WORDS' });
    await h.fake.waitFor('chat.postMessage', (c) => c.params.channel === 'C-WORDS' && /now follows the value stream demo/.test(c.params.text));
  });
  afterAll(async () => {
    await h?.close();
  });

  it('says "Working on…" only for a command with a chart', async () => {
    const ffr = await h.command('ffr', { channel_id: 'C-WORDS' });
    expect(ffr.status).toBe(200);
    expect(ffr.text).toBe('');
    await h.fake.waitFor('chat.postMessage', (c) => c.params.channel === 'C-WORDS' && /Feature Factory Ratio/.test(c.params.text));
    const xmr = await h.command('xmr leadtime', { channel_id: 'C-WORDS' });
    expect(JSON.parse(xmr.text)).toEqual({ response_type: 'ephemeral', text: 'Working on /flow xmr leadtime…' });
    await h.fake.waitFor('files.completeUploadExternal', (c) => c.params.channel_id === 'C-WORDS', { timeoutMs: 20_000 });
  });

  it('posts every chart of "/flow checkin now" in the channel', async () => {
    const before = h.fake.callsTo('files.completeUploadExternal').length;
    await h.command('checkin now', { channel_id: 'C-WORDS' });
    const [message] = await h.fake.waitFor('chat.postMessage', (c) => c.params.channel === 'C-WORDS' && /Weekly check-in for demo/.test(c.params.text), { timeoutMs: 20_000 });
    expect(message).toBeDefined();
    const isNew = (c: { params: Record<string, unknown> }) => h.fake.callsTo('files.completeUploadExternal').indexOf(c as never) >= before;
    const uploads = await h.fake.waitFor('files.completeUploadExternal', (c) => c.params.channel_id === 'C-WORDS' && isNew(c), { count: 2, timeoutMs: 30_000 });
    // the lead-time XmR chart and the aging chart, each with its own file and summary
    const names = h.fake.callsTo('files.getUploadURLExternal').slice(-2).map((c) => String(c.params.filename));
    expect(uploads).toHaveLength(2);
    expect(names.join(' ')).toMatch(/xmr/);
    expect(names.join(' ')).toMatch(/aging/);
  });

  it('takes an owner as Slack escapes it (a mailto link and a user mention) and answers with a real mention', async () => {
    await h.command('owner <mailto:ana@example.com|ana@example.com> <@U0ANA|ana>', { channel_id: 'C-WORDS', user_id: 'U-LEAD' });
    const [call] = await h.fake.waitFor('chat.postEphemeral', (c) => c.params.user === 'U-LEAD' && /Noted/.test(c.params.text));
    const blocks = JSON.stringify(call!.params.blocks);
    expect(blocks).toContain('direct message to <@U0ANA> here');
    expect(blocks).not.toContain('&lt;@');
    expect(call!.params.text).toContain('<@U0ANA>');
    expect(await findOwnerMappings(h.store.db, 'ana@example.com')).toEqual([{ platform: 'slack', userRef: 'U0ANA' }]);
  });

  it('keeps a mention in free text as the name, not as Slack\'s escaped id', async () => {
    await h.command('event Pairing with <@U0BO|bo> on every review', { channel_id: 'C-WORDS' });
    const stream = (await getStream(h.store.db, 'demo'))!;
    await expect.poll(async () => (await listFlowEvents(h.store.db, stream.id)).map((e) => e.text), { timeout: 10_000 }).toContain('Pairing with @bo on every review');
  });

  it('takes a chat e-mail for the owner, and lists what it accepts when the person is missing', async () => {
    await h.command('owner 5b912f5c8a96e82b9549361c <mailto:bo@example.com|bo@example.com>', { channel_id: 'C-WORDS', user_id: 'U-LEAD2' });
    await h.fake.waitFor('chat.postEphemeral', (c) => c.params.user === 'U-LEAD2' && /Noted/.test(c.params.text));
    expect(await findOwnerMappings(h.store.db, '5b912f5c8a96e82b9549361c')).toEqual([{ platform: 'slack', userRef: 'bo@example.com' }]);
    await h.command('owner', { channel_id: 'C-WORDS', user_id: 'U-LEAD3' });
    const [bare] = await h.fake.waitFor('chat.postEphemeral', (c) => c.params.user === 'U-LEAD3');
    expect(bare!.params.text).toMatch(/^\/flow owner needs the owner as the tracker names them and the person in chat\. Use \/flow owner EMAIL PERSON/);
    expect(bare!.params.text).toContain('a mention of them (@ana, picked from the list) or their chat e-mail');
  });

  it('kept every message it posted in this suite inside Slack\'s limits', () => {
    const posted = [...h.fake.callsTo('chat.postMessage'), ...h.fake.callsTo('chat.postEphemeral')].filter((c) => Array.isArray(c.params.blocks));
    expect(posted.length).toBeGreaterThan(5);
    for (const call of posted) expect(blockKitProblems('message', { text: call.params.text, blocks: call.params.blocks }), call.params.text).toEqual([]);
  });

  it('answers help as one section per group of commands, one example each', async () => {
    await h.command('help', { channel_id: 'C-WORDS', user_id: 'U-HELP' });
    const [call] = await h.fake.waitFor('chat.postEphemeral', (c) => c.params.user === 'U-HELP');
    const sections = (call!.params.blocks as { type: string; text?: { text: string } }[]).filter((b) => b.type === 'section').slice(1);
    expect(sections.map((s) => s.text!.text.split('\n')[0])).toEqual(['*Metrics*', '*XmR and forecast*', '*Outcomes and experiments*', '*Check-in and setup*']);
    // one line per command: its example, a dash, what it answers
    const xmrLines = sections[1]!.text!.text.split('\n').slice(1);
    expect(xmrLines.some((l) => l.startsWith('/flow xmr throughput — process behaviour chart'))).toBe(true);
    expect(xmrLines).toContain('/flow forecast 30 items — Monte Carlo: when 30 items are done (or: forecast 14 days)');
    for (const line of xmrLines) expect(line).toMatch(/^\/flow \S.* — \S/);
  });
});

