/** Pause-aware cycle time through /flow cycletime and /flow aging: the answer says when it is on. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/commands/index.ts';
import type { StreamMap, WorkItem } from '../../src/core/types.ts';
import type { Store } from '../../src/store/database.ts';
import { saveStream } from '../../src/store/value-streams.ts';
import { importWorkItems } from '../../src/store/work-items.ts';
import { openTestStore, testDialects } from '../support/databases.ts';
import { useChartRenderer } from '../support/chart-renderer.ts';

const charts = useChartRenderer();

const at = (iso: string) => Date.parse(iso);
const item = (key: string, moves: [string, string][]): WorkItem => ({
  key,
  type: 'feature',
  title: `Story ${key}`,
  parentKey: null,
  isEpic: false,
  createdAt: at(moves[0]![1]),
  transitions: moves.map(([to, when], i) => ({ from: i === 0 ? null : moves[i - 1]![0], to, at: at(when) })),
});
const stages: StreamMap['stages'] = [
  { name: 'Backlog', kind: 'backlog', statuses: ['Backlog'] },
  { name: 'Doing', kind: 'touch', statuses: ['In Progress'] },
  { name: 'Done', kind: 'done', statuses: ['Done'] },
];
// parked Tue 3 Feb 15:00 → Fri 6 Feb 09:00 Berlin (Wed, Thu whole days), done Mon 9 Feb: 8 days, 6 pause-aware
const ONCE = item('P-1', [['Backlog', '2026-02-01T09:00Z'], ['In Progress', '2026-02-02T09:00Z'], ['Backlog', '2026-02-03T14:00Z'], ['In Progress', '2026-02-06T08:00Z'], ['Done', '2026-02-09T16:00Z']]);
// parked Wed 4 Feb and still there on Mon 9 Feb: age 8 days, 4 pause-aware
const PARKED = item('P-2', [['Backlog', '2026-02-01T09:00Z'], ['In Progress', '2026-02-02T09:00Z'], ['Backlog', '2026-02-04T11:00Z']]);
const NOW = at('2026-02-09T17:00Z');

describe.each(testDialects())('pause-aware cycle time in the answers (%s)', (dialect) => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore(dialect);
    for (const [name, pauseAware] of [['plain', false], ['paused', true]] as const) {
      const map: StreamMap = { name, timeZone: 'Europe/Berlin', stages, ...(pauseAware && { pauseAwareCycleTime: true }) };
      const streamId = await saveStream(store.db, map);
      await importWorkItems(store, streamId, [ONCE, PARKED], { source: 'import' });
      await runCommand({ store, charts, platform: 'slack', channelId: `C-${name}`, teamId: 'T1', userId: 'U1', now: NOW }, `bind ${name}`);
    }
  });
  afterAll(async () => store.close());
  const ask = (stream: string, text: string) => runCommand({ store, charts, platform: 'slack', channelId: `C-${stream}`, teamId: 'T1', userId: 'U1', now: NOW }, text);

  it('off: the whole span counts and nothing is said about pauses', async () => {
    const cycle = await ask('plain', 'cycletime since 2026-02-01');
    expect(cycle.text).toContain('85% of the 1 items finished took 8 days or less');
    expect(JSON.stringify(cycle.sections)).not.toContain('Pause-aware');
    const aging = await ask('plain', 'aging since 2026-02-01');
    expect(aging.sections![0]!.text).toBe('P-2 Story P-2 — 8 days in Backlog');
  });

  it('on: the parked days are left out, the answer says so, and aging shows the item as paused', async () => {
    const cycle = await ask('paused', 'cycletime since 2026-02-01');
    expect(cycle.text).toContain('85% of the 1 items finished took 6 days or less');
    expect(cycle.sections!.at(-1)!.text).toMatch(/^Pause-aware cycle time is on \(pauseAwareCycleTime in the map\)/);
    const aging = await ask('paused', 'aging since 2026-02-01');
    expect(aging.sections![0]!.text).toBe('P-2 Story P-2 — 4 days in Backlog (paused)');
    expect(aging.sections![1]!.text).toMatch(/Paused now: 1\.$/);
  });
});
