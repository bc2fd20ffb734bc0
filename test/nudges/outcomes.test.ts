/**
 * Anticipated outcomes end to end: a signed tracker webhook creates an epic → its owner gets a
 * direct message with the button that opens the outcome form → the answer is stored on the
 * epic. An unanswered epic is reminded once after 2 working days and then counts in the FFR of
 * the check-in. A closed epic's owner is asked for the actual outcome.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/http/start-server.ts';
import { outcomesJob } from '../../src/jobs/nudge-jobs.ts';
import { createJobRunner } from '../../src/jobs/run-due-jobs.ts';
import { buildCheckinAgenda } from '../../src/nudges/checkin-agenda.ts';
import { createNudgeHooks } from '../../src/nudges/nudge-hooks.ts';
import { parseNudge } from '../../src/nudges/nudge-payload.ts';
import { createOutboxWorker } from '../../src/nudges/outbox-worker.ts';
import { recordOutcomeAnswer } from '../../src/nudges/outcome-answer.ts';
import { ownerCommand } from '../../src/commands/handlers/owner.ts';
import { bindChannel } from '../../src/store/channel-bindings.ts';
import type { Store } from '../../src/store/database.ts';
import { listOutbox } from '../../src/store/outbox.ts';
import { loadStreamHistory } from '../../src/store/stream-history.ts';
import { getStream, saveStream } from '../../src/store/value-streams.ts';
import { addTransitions, getWorkItem, upsertWorkItem } from '../../src/store/work-items.ts';
import { memoryLogger, SECRETS, testConfig } from '../http/support/test-server.ts';
import { readFixture, vendorHeaders } from '../trackers/support/vendor-requests.ts';
import { openTestStore, testDialects } from '../support/databases.ts';
import { RecordingDeliverer } from './support/recording-deliverer.ts';
import { useChartRenderer } from '../support/chart-renderer.ts';

const charts = useChartRenderer();

const HOUR = 3_600_000;
const MAP = {
  name: 'web',
  timeZone: 'Europe/Berlin',
  stages: [
    { name: 'Backlog', kind: 'backlog' as const, statuses: ['To Do'] },
    { name: 'Development', kind: 'touch' as const, statuses: ['In Progress'] },
    { name: 'Done', kind: 'done' as const, statuses: ['Done'] },
  ],
};

for (const dialect of testDialects()) {
  describe(`anticipated outcomes (${dialect})`, () => {
    let store: Store;
    let server: RunningServer | undefined;
    beforeEach(async () => {
      store = await openTestStore(dialect);
    });
    afterEach(async () => {
      await server?.close();
      server = undefined;
      await store.close();
    });

    it('a new epic webhook leads to a DM with the outcome form, and the answer is stored on the epic', async () => {
      const now = Date.parse('2026-11-02T09:00:00Z');
      const hooks = createNudgeHooks({ store, charts: null }, () => now, { debounceMs: 50 });
      server = await startServer({ store, config: await testConfig(), port: 0, host: '127.0.0.1', log: memoryLogger(), now: () => now, onTransitions: hooks.onTransitions });
      const ru = (await getStream(store.db, 'ru'))!;
      await bindChannel(store.db, { platform: 'slack', channelId: 'C-RU', streamId: ru.id }, now);
      // Jira Cloud names the owner by account id: the team maps it once
      const mapped = await ownerCommand({ store, charts, platform: 'slack', channelId: 'C-RU', userId: 'U1', now }, '5b912f5c8a96e82b9549361c <@U0OWNER|ana>');
      expect(mapped.text).toMatch(/direct message to @ana here/);
      expect(mapped.mentions).toEqual([{ userId: 'U0OWNER', name: 'ana' }]);

      const body = readFixture('jira', 'epic_created.json');
      const res = await fetch(`http://127.0.0.1:${server.port}/webhooks/jira`, { method: 'POST', body, headers: vendorHeaders('jira', SECRETS.JIRA_RU_SECRET, body) });
      expect(res.status).toBe(202);
      await server.processor.idle();
      await hooks.flush();

      const slack = new RecordingDeliverer('slack');
      const worker = createOutboxWorker({ store, now: () => now });
      worker.register(slack);
      await worker.runOnce();
      expect(slack.calls).toHaveLength(1);
      const dm = slack.calls[0]!;
      expect(dm.target).toEqual({ platform: 'slack', userRef: 'U0OWNER' });
      expect(dm.meta.kind).toBe('outcome-ask');
      expect(dm.reply.text).toMatch(/^You own the epic DTP-1 "Тестовый эпик" in ru\. What should it achieve, and how will you observe it\?/);
      expect(dm.reply.buttons).toEqual([{ id: 'open-outcome-form', label: 'Record the anticipated outcome', opens: 'outcome-form', value: 'DTP-1' }]);
      expect(dm.reply.form).toEqual({ kind: 'outcome-form', prefill: { epic: 'DTP-1', stream: 'ru', outcome: 'anticipated' } });

      // the modal / card submits; the platform handler passes the form's values on
      const prefill = dm.reply.form!.prefill!;
      expect(await recordOutcomeAnswer(store, { stream: prefill.stream, epic: prefill.epic, outcome: 'short' }, now)).toMatchObject({ ok: false, field: 'outcome' });
      const answer = await recordOutcomeAnswer(store, { stream: prefill.stream, epic: prefill.epic, outcome: 'Support tickets about search drop by a third', observe: 'the weekly support report' }, now);
      expect(answer).toMatchObject({ ok: true, stream: 'ru' });
      expect((await getWorkItem(store.db, ru.id, 'DTP-1'))!.anticipatedOutcome).toBe('Support tickets about search drop by a third\nObserved by: the weekly support report');

      // the same delivery again asks nobody again
      await fetch(`http://127.0.0.1:${server.port}/webhooks/jira`, { method: 'POST', body, headers: vendorHeaders('jira', SECRETS.JIRA_RU_SECRET, body) });
      await server.processor.idle();
      await hooks.flush();
      expect(await listOutbox(store.db, { kind: 'outcome-ask' })).toHaveLength(1);
    }, 60_000);

    it('an unanswered epic is reminded once after 2 working days, then counts in the FFR of the check-in', async () => {
      const friday = Date.parse('2026-11-06T09:10:00Z'); // 10:10 in Berlin
      const streamId = await saveStream(store.db, MAP, friday);
      await bindChannel(store.db, { platform: 'teams', channelId: '19:web@thread.tacv2', streamId }, friday);
      await upsertWorkItem(store.db, streamId, { key: 'WEB-1', source: 'jira', type: 'feature', title: 'Checkout in one page', createdAt: friday - HOUR, isEpic: true, outcomeOwner: 'ana@example.com' }, friday);
      await upsertWorkItem(store.db, streamId, { key: 'WEB-2', source: 'jira', type: 'feature', title: 'Old epic', createdAt: friday - 90 * 24 * HOUR, isEpic: true, anticipatedOutcome: 'Fewer refunds' }, friday);
      const runner = createJobRunner({ store, charts: null, replicaId: 'r1' }, [outcomesJob]);
      const agendaAt = async (t: number) => {
        const history = (await loadStreamHistory(store, 'web'))!;
        return (await buildCheckinAgenda({ store, charts: null }, { ...history, name: 'web' }, t)).sections![4]!.text!;
      };

      for (let t = friday; t < friday + 8 * 24 * HOUR; t += HOUR) {
        await runner.runDueJobs(t);
        if (t === friday + 24 * HOUR) {
          // asked, not reminded yet: not counted
          expect(await agendaAt(t)).toMatch(/Feature Factory Ratio 0%: 0 of 1 epics have no anticipated outcome\.\nAsked, awaiting an answer \(not counted yet\): WEB-1\./);
        }
      }
      const rows = await listOutbox(store.db);
      expect(rows.map((r) => [r.kind, JSON.parse(r.target), new Date(r.createdAt).toISOString()])).toEqual([
        ['outcome-ask', { platform: 'teams', userRef: 'ana@example.com' }, '2026-11-06T09:10:00.000Z'],
        ['outcome-reminder', { platform: 'teams', userRef: 'ana@example.com' }, '2026-11-10T09:10:00.000Z'], // Tuesday: 2 working days after Friday
      ]);
      expect(parseNudge(rows[1]!.payloadJson).text).toMatch(/^Reminder: the epic WEB-1 "Checkout in one page" \(web\) has no anticipated outcome yet/);
      expect(await agendaAt(friday + 8 * 24 * HOUR)).toMatch(/Feature Factory Ratio 50%: 1 of 2 epics have no anticipated outcome — WEB-1 Checkout in one page\./);

      // the epic closes: its owner is asked for the actual outcome, once
      const closeAt = friday + 9 * 24 * HOUR;
      await addTransitions(store.db, streamId, 'WEB-1', [{ from: null, to: 'In Progress', at: friday }, { from: 'In Progress', to: 'Done', at: closeAt }], { now: closeAt });
      await runner.runDueJobs(closeAt + HOUR);
      await runner.runDueJobs(closeAt + 2 * HOUR);
      const review = await listOutbox(store.db, { kind: 'outcome-review' });
      expect(review).toHaveLength(1);
      const message = parseNudge(review[0]!.payloadJson);
      expect(message.text).toMatch(/^The epic WEB-1 "Checkout in one page" \(web\) has closed\. No outcome was anticipated for it\. What actually happened\?/);
      expect(message.form?.prefill).toEqual({ epic: 'WEB-1', stream: 'web', outcome: 'actual' });
      expect(await agendaAt(closeAt + 2 * HOUR)).toMatch(/Not yet learned \(closed, awaiting an outcome review\): WEB-1 Checkout in one page/);
      const actual = await recordOutcomeAnswer(store, { epic: 'WEB-1', outcome: 'Conversion did not move; refunds fell', which: 'actual' }, closeAt + 3 * HOUR);
      expect(actual).toMatchObject({ ok: true, stream: 'web' });
      expect(await agendaAt(closeAt + 3 * HOUR)).toMatch(/No closed epic awaits an outcome review\./);
    }, 120_000);
  });
}
