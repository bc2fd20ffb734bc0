/**
 * The Teams tables of migration 0004 on both dialects: conversation references and chart images.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadChartImage, pruneChartImages, saveChartImage } from '../../../src/chat/teams/chart-images.ts';
import {
  deleteConversationRef,
  findPersonalConversationRef,
  getConversationRef,
  listConversationRefs,
  markConversationRefStale,
  saveConversationRef,
  type ConversationRefInput,
} from '../../../src/store/conversation-refs.ts';
import type { Store } from '../../../src/store/database.ts';
import { openTestStore, testDialects } from '../../support/databases.ts';

const channel: ConversationRefInput = {
  conversationId: '19:c1@thread.tacv2',
  tenantId: 't1',
  conversationType: 'channel',
  teamId: '19:team@thread.tacv2',
  channelId: '19:c1@thread.tacv2',
  userId: null,
  userAadId: null,
  serviceUrl: 'https://smba.trafficmanager.net/emea/',
  reference: { channelId: 'msteams', conversation: { id: '19:c1@thread.tacv2' }, agent: { id: '28:bot' } },
};
const personal: ConversationRefInput = {
  ...channel,
  conversationId: 'a:1personal',
  conversationType: 'personal',
  teamId: null,
  channelId: null,
  userId: '29:u1',
  userAadId: 'aad-u1',
  reference: { channelId: 'msteams', conversation: { id: 'a:1personal' } },
};

let store: Store | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

describe.each(testDialects())('Teams storage on %s', (dialect) => {
  it('saves, refreshes, lists, finds and deletes conversation references', async () => {
    store = await openTestStore(dialect);
    const db = store.db;
    const saved = await saveConversationRef(db, channel, 1_000);
    expect(saved).toMatchObject({ ...channel, installedAt: 1_000, updatedAt: 1_000, staleAt: null });
    await saveConversationRef(db, personal, 1_500);

    await markConversationRefStale(db, channel.conversationId, 'HTTP 403 on a proactive post', 2_000);
    expect(await listConversationRefs(db)).toEqual([expect.objectContaining({ conversationId: 'a:1personal' })]);
    expect(await listConversationRefs(db, { includeStale: true })).toHaveLength(2);

    // talking to the bot again refreshes the reference (new regional serviceUrl) and clears the stale mark
    const moved = await saveConversationRef(db, { ...channel, serviceUrl: 'https://smba.trafficmanager.net/amer/' }, 3_000);
    expect(moved).toMatchObject({ installedAt: 1_000, updatedAt: 3_000, staleAt: null, serviceUrl: 'https://smba.trafficmanager.net/amer/' });
    expect((await listConversationRefs(db, { tenantId: 't1', conversationType: 'channel' })).map((r) => r.conversationId)).toEqual([channel.conversationId]);
    expect(await listConversationRefs(db, { tenantId: 'other' })).toEqual([]);

    expect((await findPersonalConversationRef(db, 't1', { userId: '29:u1' }))?.conversationId).toBe('a:1personal');
    expect((await findPersonalConversationRef(db, 't1', { aadObjectId: 'aad-u1' }))?.conversationId).toBe('a:1personal');
    expect(await findPersonalConversationRef(db, 't2', { userId: '29:u1' })).toBeNull();
    expect(await findPersonalConversationRef(db, 't1', {})).toBeNull();

    // an uninstall older than the latest refresh (a quick reinstall) leaves the reference alone
    expect(await deleteConversationRef(db, channel.conversationId, { updatedBefore: 2_500 })).toBe(0);
    expect(await deleteConversationRef(db, channel.conversationId, { updatedBefore: 3_000 })).toBe(1);
    expect(await getConversationRef(db, channel.conversationId)).toBeNull();
  });

  it('serves a chart image by its token until it expires, and prunes expired ones', async () => {
    store = await openTestStore(dialect);
    const db = store.db;
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 1, 2, 255]);
    const token = await saveChartImage(db, png, 1_000, 5_000);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await loadChartImage(db, token, 5_999))?.equals(png)).toBe(true);
    expect(await loadChartImage(db, token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A'), 2_000)).toBeNull();
    expect(await loadChartImage(db, "x' or 1=1 --", 2_000)).toBeNull();
    expect(await loadChartImage(db, token, 6_000)).toBeNull();
    // the token itself is not stored, only its hash
    const rows = await db.withTables<{ teams_chart_image: { token_hash: string } }>().selectFrom('teams_chart_image').select('token_hash').execute();
    expect(rows.map((r) => r.token_hash)).not.toContain(token);
    await saveChartImage(db, png, 1_000, 60_000);
    expect(await pruneChartImages(db, 6_000)).toBe(1);
  });
});
