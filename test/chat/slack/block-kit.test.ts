/**
 * Every Slack surface the bot sends — each command's answer, each nudge, the App Home, the
 * two modals, and answers made as large as the command layer allows — type-checks as
 * @slack/types' KnownBlock[] / ModalView / HomeView (tsc runs over test/) and stays inside
 * Slack's documented limits.
 */
import type { HomeView, KnownBlock, ModalView } from '@slack/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { homeView } from '../../../src/chat/slack/app-home.ts';
import { replyToBlocks, slackText } from '../../../src/chat/slack/blocks.ts';
import { eventModal, outcomeModal } from '../../../src/chat/slack/modals.ts';
import { runCommand, type CommandContext } from '../../../src/commands/index.ts';
import { METRIC_COMMANDS, XMR_SERIES } from '../../../src/commands/parse.ts';
import { streamStates } from '../../../src/commands/stream-state.ts';
import { loadDemo } from '../../../src/demo/load-demo.ts';
import { buildCheckinAgenda } from '../../../src/nudges/checkin-agenda.ts';
import { listEpics } from '../../../src/nudges/epics.ts';
import { experimentReviewMessage } from '../../../src/nudges/experiment-review.ts';
import { outcomeAskMessage, outcomeReminderMessage, outcomeReviewMessage } from '../../../src/nudges/outcome-ask.ts';
import type { Reply } from '../../../src/reply/reply.ts';
import { bindChannel } from '../../../src/store/channel-bindings.ts';
import type { Store } from '../../../src/store/database.ts';
import { getOpenExperiment } from '../../../src/store/experiments.ts';
import { loadStreamHistory } from '../../../src/store/stream-history.ts';
import { openTestStore } from '../../support/databases.ts';
import { blockKitProblems } from './support/block-kit-limits.ts';
import { useChartRenderer } from '../../support/chart-renderer.ts';

const charts = useChartRenderer();

const NOW = Date.parse('2026-11-20T10:00:00Z');
const DAY = 86_400_000;

/** A message as the Slack adapter posts it: the fallback text and the blocks, typed by @slack/types. */
function message(reply: Reply): { text: string; blocks: KnownBlock[] } {
  const blocks: KnownBlock[] = replyToBlocks(reply);
  return { text: slackText(reply.text, reply.mentions), blocks };
}

describe('Slack surfaces: @slack/types and Slack limits', () => {
  let store: Store;
  const replies: { what: string; reply: Reply }[] = [];
  beforeAll(async () => {
    store = await openTestStore('sqlite');
    await loadDemo(store, { now: NOW });
    const ctx: CommandContext = { store, charts, platform: 'slack', channelId: 'C-LIMITS', teamId: 'T1', userId: 'U1', now: NOW };
    const commands = [
      'bind demo', 'help', 'streams', 'velocity', 'leadtime by assignee',
      ...METRIC_COMMANDS.map((m) => `${m} 30d`), ...METRIC_COMMANDS.map((m) => `${m} since 2025-06-01`), ...XMR_SERIES.map((s) => `xmr ${s}`),
      'forecast 30 items', 'forecast 10000 days', 'forecast', 'event list', 'event WIP limit 3 in Code review', 'event', 'outcome', 'ffr',
      'experiment', 'experiment start Pairing on reviews | measure cycletime | review 2026-12-18', 'experiment status',
      'checkin', 'checkin monday 09:30', 'checkin now', 'owner', 'owner ana@example.com <@U0ANA|ana>', `event ${'x'.repeat(1990)}`,
    ];
    for (const command of commands) replies.push({ what: command, reply: await runCommand(ctx, command) });
    const history = (await loadStreamHistory(store, 'demo'))!;
    replies.push({ what: 'check-in', reply: await buildCheckinAgenda({ store, charts: null }, { ...history, name: 'demo' }, NOW) });
    const epic = (await listEpics(store.db, history.id, history.map))[0]!;
    replies.push({ what: 'outcome ask', reply: outcomeAskMessage('demo', epic) });
    replies.push({ what: 'outcome reminder', reply: outcomeReminderMessage('demo', epic) });
    replies.push({ what: 'outcome review', reply: outcomeReviewMessage('demo', { ...epic, anticipatedOutcome: 'y'.repeat(1500) }) });
    const experiment = (await getOpenExperiment(store.db, history.id))!;
    replies.push({ what: 'experiment review', reply: experimentReviewMessage(experiment, { ...history, name: 'demo' }, NOW + 28 * DAY) });
    // as large as a reply gets: long texts, many sections and fields, more buttons than fit
    replies.push({
      what: 'oversized',
      reply: {
        text: 'T'.repeat(5000),
        sections: Array.from({ length: 80 }, (_, i) => ({ title: `S${i}`, text: 'x'.repeat(4000), fields: Array.from({ length: 14 }, (_, j) => ({ label: `f${j}`, value: 'v'.repeat(2500) })) })),
        buttons: [...Array.from({ length: 30 }, (_, i) => ({ id: `b${i}`, label: 'L'.repeat(90), value: 'v'.repeat(2500) })), { id: 'open-outcome-form', label: 'again', opens: 'outcome-form' }, { id: 'open-outcome-form', label: 'twice', opens: 'outcome-form' }],
        error: { code: 'x', fix: 'f'.repeat(4000) },
      },
    });
  }, 120_000);
  afterAll(async () => {
    await store?.close();
  });

  it('keeps every message inside the limits', () => {
    expect(replies.length).toBeGreaterThan(40);
    const problems = replies.flatMap(({ what, reply }) => blockKitProblems('message', message(reply)).map((p) => `${what}: ${p}`));
    expect(problems).toEqual([]);
    const oversized = message(replies.at(-1)!.reply).blocks;
    expect(oversized).toHaveLength(50);
    expect(JSON.stringify(oversized)).toContain('more sections (Slack shows at most 50 blocks in a message)');
  });

  it('shows the check-in\'s cost of delay of the constraint\'s queue in its blocks', () => {
    const blocks = JSON.stringify(message(replies.find((r) => r.what === 'check-in')!.reply).blocks);
    expect(blocks).toMatch(/held \d+ items for [\d.]+ days on average in the last 90 days: about EUR [\d,]+ of delay/);
  });

  it('keeps the App Home inside the limits, with one stream or forty', async () => {
    const states = await streamStates({ store, platform: 'slack', teamId: 'T1', userId: 'U1', now: NOW });
    expect(states.length).toBe(1);
    const many = Array.from({ length: 40 }, (_, i) => ({ ...states[0]!, stream: `stream-${i}-${'n'.repeat(100)}`, channelIds: Array.from({ length: 30 }, (_, j) => `C${i}X${j}`) }));
    for (const list of [[], states, many]) {
      const view: HomeView = homeView(list);
      expect(blockKitProblems('home', view)).toEqual([]);
    }
  });

  it('keeps both modals inside the limits, pre-filled to the longest values', async () => {
    await bindChannel(store.db, { platform: 'slack', channelId: 'C-LIMITS', streamId: 1 }, NOW);
    const meta = { channelId: 'C'.repeat(20), teamId: 'T'.repeat(20), stream: 's'.repeat(100), which: 'actual' as const };
    const views: ModalView[] = [
      eventModal(meta, { today: '2026-11-20', text: 'e'.repeat(2000) }),
      eventModal({ channelId: 'C1' }, { today: '2026-11-20' }),
      outcomeModal(meta, { epic: 'K'.repeat(100), outcome: 'o'.repeat(1500) }),
      outcomeModal({ channelId: 'C1' }, {}),
    ];
    for (const view of views) expect(blockKitProblems('modal', view)).toEqual([]);
  });

  it('the limits check does find a surface over the limits (so [] means something)', () => {
    const over = { type: 'modal', title: { type: 'plain_text', text: 'A title longer than 24 chars' }, blocks: [{ type: 'input', label: { type: 'plain_text', text: 'x' }, element: { type: 'plain_text_input', action_id: 'a' } }] };
    expect(blockKitProblems('modal', over as never)).toEqual(['title: 28 characters, over 24', 'a modal with inputs needs a submit button']);
    expect(blockKitProblems('message', { blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '' } }, { type: 'actions', elements: [{ type: 'button', action_id: 'a', text: { type: 'plain_text', text: 'x' } }, { type: 'button', action_id: 'a', text: { type: 'mrkdwn', text: 'y' } }] }] })).toEqual([
      'blocks[0] (section).text: empty text',
      'blocks[1] (actions).elements[1]: action_id a used twice',
      'blocks[1] (actions).elements[1].text: must be plain_text',
    ]);
  });
});
