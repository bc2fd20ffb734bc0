/**
 * What a team sees of blocked flags and labels in chat: `/flow aging` lists the item blocked now
 * by a label, and `/flow stages` says how much of a touch stage's time was blocked. Items are
 * stored with their flag events in a real store and read back through the stream history.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand, type CommandContext } from '../../src/commands/index.ts';
import type { StreamMap, WorkItem } from '../../src/core/types.ts';
import type { Store } from '../../src/store/database.ts';
import { saveStream } from '../../src/store/value-streams.ts';
import { importWorkItems } from '../../src/store/work-items.ts';
import { openTestStore, testDialects } from '../support/databases.ts';
import { useChartRenderer } from '../support/chart-renderer.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 24, 12);
const MAP: StreamMap = {
  name: 'web',
  timeZone: 'UTC',
  stages: [
    { name: 'Backlog', kind: 'backlog', statuses: ['To Do'] },
    { name: 'Development', kind: 'touch', statuses: ['In Progress'] },
    { name: 'Code review', kind: 'wait', statuses: ['In Review'] },
    { name: 'Done', kind: 'done', statuses: ['Done'] },
  ],
  blockedLabels: ['blocked'],
};

function item(key: string, startedDaysAgo: number, flags: WorkItem['flags'] = undefined): WorkItem {
  const start = NOW - startedDaysAgo * DAY;
  return {
    key, type: 'feature', title: `Item ${key}`, parentKey: null, isEpic: false, createdAt: start - DAY,
    transitions: [{ from: null, to: 'To Do', at: start - DAY }, { from: 'To Do', to: 'In Progress', at: start }],
    ...(flags && { flags }),
  };
}

const charts = useChartRenderer();

for (const dialect of testDialects()) {
  describe(`blocked flags in /flow aging and /flow stages (${dialect})`, () => {
    let store: Store;
    let ctx: CommandContext;
    beforeAll(async () => {
      store = await openTestStore(dialect);
      const id = await saveStream(store.db, MAP);
      await importWorkItems(store, id, [
        item('OLD-1', 10),
        item('OLD-2', 8),
        // the youngest, labeled blocked 2 days ago and still: first in aging
        item('NEW-1', 4, [{ flag: 'label:Blocked', on: true, at: NOW - 2 * DAY }]),
        // a label the map does not name: counts for nothing
        item('NEW-2', 3, [{ flag: 'label:needs-design', on: true, at: NOW - 2 * DAY }]),
        // a day in Development, then 3 days in Code review, labeled blocked for one of them (cleared since)
        {
          ...item('REV-1', 4, [
            { flag: 'label:blocked', on: true, at: NOW - 2.5 * DAY },
            { flag: 'label:blocked', on: false, at: NOW - 1.5 * DAY },
          ]),
          transitions: [
            ...item('REV-1', 4).transitions,
            { from: 'In Progress', to: 'In Review', at: NOW - 3 * DAY },
          ],
        },
      ]);
      ctx = { store, charts, platform: 'slack', channelId: 'C-BLOCKED', teamId: 'T1', userId: 'U1', now: NOW };
      await runCommand(ctx, 'bind web');
    });
    afterAll(async () => store.close());

    it('/flow aging lists the item labeled blocked under Blocked now, with its blocked time; the other label counts for nothing', async () => {
      const reply = await runCommand(ctx, 'aging');
      const section = reply.sections?.find((s) => s.title?.startsWith('Blocked now'));
      expect(section).toEqual({ title: 'Blocked now: 1 item', text: 'NEW-1 Item NEW-1 — blocked in Development, 2 days of its time there' });
    });

    it('/flow stages says the share of Development\'s time that was blocked (2 of 4 + 8 + 10 + 3 + 1 days), and of Code review\'s wait (1 of 3 days)', async () => {
      const reply = await runCommand(ctx, 'stages 30d');
      const field = (label: string) => reply.sections?.[0]?.fields?.find((f) => f.label === label)?.value;
      expect(field('Development (touch)')).toContain(`${Math.round((2 / 26) * 100)}% of its time blocked (counted as wait)`);
      expect(field('Code review (wait)')).toContain('33% of its wait is blocked time');
    });
  });
}
