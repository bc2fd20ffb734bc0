/**
 * The aging alert lists, beside the items that crossed a percentile, the items blocked now and
 * the stalled ones, in the words of /flow aging (one piece of code): items, never people.
 */
import type { KnownBlock } from '@slack/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { replyToBlocks, slackText } from '../../src/chat/slack/blocks.ts';
import { replyCard } from '../../src/chat/teams/reply-activity.ts';
import { runCommand } from '../../src/commands/index.ts';
import type { WorkItem } from '../../src/core/index.ts';
import { DEMO_MAP } from '../../src/demo/demo-stream.ts';
import { loadDemo } from '../../src/demo/load-demo.ts';
import { checkAging } from '../../src/nudges/aging-alert.ts';
import { parseNudge } from '../../src/nudges/nudge-payload.ts';
import { bindChannel } from '../../src/store/channel-bindings.ts';
import type { Store } from '../../src/store/database.ts';
import { listOutbox } from '../../src/store/outbox.ts';
import { loadStreamHistory } from '../../src/store/stream-history.ts';
import { saveStream } from '../../src/store/value-streams.ts';
import { addTransitions, upsertWorkItem } from '../../src/store/work-items.ts';
import { blockKitProblems } from '../chat/slack/support/block-kit-limits.ts';
import { adaptiveCardsProblems } from '../chat/teams/support/adaptive-cards-sdk.ts';
import { cardText } from '../chat/teams/support/card-schema.ts';
import { openTestStore, testDialects } from '../support/databases.ts';
import { useChartRenderer } from '../support/chart-renderer.ts';

const charts = useChartRenderer();

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-20T08:00:00Z');

/** The demo map with a blocked status in Code review, and stalled after 3 days. */
const MAP = {
  ...DEMO_MAP,
  stages: DEMO_MAP.stages.map((s) => (s.name === 'Code review' ? { ...s, statuses: [...s.statuses, 'Review Blocked'] } : s)),
  blockedStatuses: ['Review Blocked'],
  stalledAfterDays: 3,
};

const item = (key: string, title: string, moves: [string, number][]): WorkItem => {
  let from = 'To Do';
  const transitions = moves.map(([to, daysAgo]) => {
    const move = { from, to, at: NOW - daysAgo * DAY };
    from = to;
    return move;
  });
  return { key, type: 'feature', title, parentKey: null, isEpic: false, createdAt: NOW - 40 * DAY, transitions };
};

// blocked in review for a day, unblocked, blocked again 3 days ago: 4 days blocked, still blocked
const BLOCKED = item('DEMO-B1', 'Gift card refunds', [['In Progress', 9], ['In Review', 6], ['Review Blocked', 5], ['In Review', 4], ['Review Blocked', 3]]);
// started 30 days ago and never moved again
const STALLED = item('DEMO-S1', 'Partial refunds', [['In Progress', 30]]);

for (const dialect of testDialects()) {
  describe(`aging alert: blocked and stalled beside the thresholds (${dialect})`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await openTestStore(dialect);
    });
    afterEach(async () => store.close());

    it('lists a blocked and a stalled item, as /flow aging does', async () => {
      const { streamId } = await loadDemo(store, { now: NOW });
      const binding = await bindChannel(store.db, { platform: 'slack', channelId: 'C1', streamId }, NOW);
      await saveStream(store.db, MAP);
      for (const extra of [BLOCKED, STALLED]) {
        await upsertWorkItem(store.db, streamId, { source: 'jira', key: extra.key, type: extra.type, title: extra.title, createdAt: extra.createdAt }, NOW);
        await addTransitions(store.db, streamId, extra.key, extra.transitions, { now: NOW });
      }
      const history = (await loadStreamHistory(store, 'demo'))!;
      expect(history.map.blockedStatuses).toEqual(['Review Blocked']);
      const posted = await checkAging({ store, charts: null }, history, binding, NOW);
      expect(posted?.items.map((i) => i.key)).toContain('DEMO-S1'); // 30 days: past the thresholds too
      const [row] = await listOutbox(store.db, { kind: 'aging' });
      const sections = parseNudge(row!.payloadJson).sections!;
      const titles = sections.map((s) => s.title);
      // the thresholds first, then blocked, then stalled, then the note on the percentiles
      expect(titles.indexOf('Blocked now: 1 item')).toBeGreaterThan(titles.findLastIndex((t) => t?.startsWith('Older than')));
      expect(titles.indexOf('Stalled: no status change for 3+ days')).toBe(titles.indexOf('Blocked now: 1 item') + 1);
      const blocked = sections.find((s) => s.title === 'Blocked now: 1 item')!;
      expect(blocked.text).toBe('DEMO-B1 Gift card refunds — blocked in Code review, 4 days of its time there');
      const stalled = sections.find((s) => s.title === 'Stalled: no status change for 3+ days')!;
      expect(stalled.text!.split('\n')[0]).toBe('DEMO-S1 Partial refunds — 30 days in Development without a move');
      expect(stalled.text).toContain('DEMO-B1 Gift card refunds — 3 days in Code review without a move');
      expect(JSON.stringify(sections)).not.toMatch(/assignee|@/);

      // as posted: Slack blocks (typed by @slack/types, inside Slack's limits) and a Teams card
      // (checked by the adaptivecards package) carry both lists
      const alert = parseNudge(row!.payloadJson);
      const blocks: KnownBlock[] = replyToBlocks(alert);
      expect(blockKitProblems('message', { text: slackText(alert.text, alert.mentions), blocks })).toEqual([]);
      expect(JSON.stringify(blocks)).toContain('DEMO-B1 Gift card refunds — blocked in Code review, 4 days of its time there');
      const card = await replyCard(alert, { store, clock: () => NOW });
      expect(adaptiveCardsProblems(card)).toEqual([]);
      expect(cardText(card)).toContain('DEMO-S1 Partial refunds — 30 days in Development without a move');

      // /flow aging shows the same two sections, word for word
      const ctx = { store, charts, platform: 'slack' as const, channelId: 'C1', teamId: 'T1', userId: 'U1', now: NOW };
      const reply = await runCommand(ctx, 'aging');
      expect(reply.sections?.find((s) => s.title === blocked.title)).toEqual(blocked);
      expect(reply.sections?.find((s) => s.title === stalled.title)).toEqual(stalled);
    }, 120_000);
  });
}
