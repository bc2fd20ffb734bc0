import { describe, expect, it } from 'vitest';
import { TRACKER_ADAPTERS } from '../../src/trackers/adapters.ts';
import { verify } from '../../src/trackers/jira/verify.ts';
import { readFixture, vendorHeaders } from './support/vendor-requests.ts';

const SECRET = 'jira-test-secret';
const NOW = Date.UTC(2026, 0, 1);
const jira = TRACKER_ADAPTERS.jira;

function run(name: string) {
  const body = readFixture('jira', name);
  const parsed = jira.parse(JSON.parse(body), vendorHeaders('jira', SECRET, body));
  if (parsed.kind !== 'ok') throw new Error(`${name}: ${parsed.kind}`);
  return { parsed, events: jira.normalize(parsed.payload, {}) };
}

describe('jira verify', () => {
  const body = readFixture('jira', 'issue_updated_status.json');
  it('accepts the body signed with the secret (X-Hub-Signature: sha256=hex)', () => {
    expect(verify(SECRET, body, vendorHeaders('jira', SECRET, body), NOW)).toEqual({ ok: true });
  });
  it('rejects a tampered body', () => {
    const headers = vendorHeaders('jira', SECRET, body);
    const tampered = body.replace('"In Progress"', '"Done"');
    expect(verify(SECRET, tampered, headers, NOW)).toMatchObject({ ok: false, reason: expect.stringContaining('X-Hub-Signature') });
  });
  it('rejects a wrong secret and a missing signature', () => {
    expect(verify(SECRET, body, vendorHeaders('jira', 'other-secret', body), NOW).ok).toBe(false);
    const { 'x-hub-signature': _, ...unsigned } = vendorHeaders('jira', SECRET, body);
    expect(verify(SECRET, body, unsigned, NOW)).toEqual({ ok: false, reason: expect.stringContaining('missing X-Hub-Signature header') });
  });
});

describe('jira normalize', () => {
  it('issue created: a Story in To Do, with its owner', () => {
    const { parsed, events } = run('issue_created.json');
    expect(parsed.scope).toEqual({ project: 'TES' });
    expect(events).toEqual([
      {
        kind: 'item-created', source: 'jira', key: 'TES-41', title: 'Unit test summary', type: 'feature',
        isEpic: false, parentKey: null, at: Date.parse('2019-02-15T19:01:52.971-08:00'), status: 'To Do',
        owner: { email: 'user1@example.com', name: 'Test User', id: '5c5f880629be9642ba529340' },
      },
    ]);
  });
  it('issue updated: To Do → In Progress at the event timestamp', () => {
    const { events } = run('issue_updated_status.json');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'status-changed', key: 'TES-41', from: 'To Do', to: 'In Progress', at: 1550286862039, type: 'feature' });
  });
  it('epic created on localized Jira Server: status found by fieldId, owner is the assignee', () => {
    const { parsed, events } = run('epic_created.json');
    expect(parsed.scope).toEqual({ project: 'DTP' });
    expect(events).toEqual([
      {
        kind: 'item-created', source: 'jira', key: 'DTP-1', title: 'Тестовый эпик', type: 'feature', isEpic: true,
        parentKey: null, at: Date.parse('2019-01-30T19:48:08.263+03:00'), status: 'To Do',
        owner: { name: 'Example User', id: '5b912f5c8a96e82b9549361c' },
      },
    ]);
  });
  it('a type override from the stream config wins', () => {
    const body = readFixture('jira', 'issue_created.json');
    const parsed = jira.parse(JSON.parse(body), {});
    if (parsed.kind !== 'ok') throw new Error('parse');
    expect(jira.normalize(parsed.payload, { typeMap: { Story: 'debt' } })[0]).toMatchObject({ type: 'debt' });
  });
  it('other events are ignored, a broken issue is invalid with the path', () => {
    expect(jira.parse({ webhookEvent: 'comment_created' }, {})).toMatchObject({ kind: 'ignored' });
    const r = jira.parse({ webhookEvent: 'jira:issue_updated', issue: { key: 'X-1', fields: {} } }, {});
    expect(r).toMatchObject({ kind: 'invalid', reason: expect.stringContaining('issue.fields') });
  });
  it('a changelog item without toString does not pick up Object.prototype.toString', () => {
    const body = JSON.parse(readFixture('jira', 'issue_updated_status.json'));
    delete body.changelog.items[0].toString;
    const parsed = jira.parse(body, {});
    if (parsed.kind !== 'ok') throw new Error(parsed.kind);
    expect(jira.normalize(parsed.payload)).toEqual([]);
  });
  it('a changelog status that is not text is no status (the delivery is still read), and unread fields are not kept', () => {
    const body = JSON.parse(readFixture('jira', 'issue_updated_status.json'));
    body.changelog.items[0].toString = 3;
    const parsed = jira.parse(body, {});
    if (parsed.kind !== 'ok') throw new Error(parsed.kind);
    expect(jira.normalize(parsed.payload)).toEqual([]);
    const { issue, changelog } = parsed.payload as { issue: { fields: object }; changelog: { items: object[] } };
    expect(Object.keys(issue.fields)).not.toContain('customfield_10030');
    expect(Object.keys(changelog.items[0])).not.toContain('fieldtype');
  });
});
