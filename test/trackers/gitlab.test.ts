import { describe, expect, it } from 'vitest';
import { TRACKER_ADAPTERS } from '../../src/trackers/adapters.ts';
import { verify } from '../../src/trackers/gitlab/verify.ts';
import { readFixture, vendorHeaders } from './support/vendor-requests.ts';

const SECRET = 'gl-test-token';
const NOW = Date.UTC(2026, 0, 1);
const gl = TRACKER_ADAPTERS.gitlab;

function run(name: string) {
  const body = readFixture('gitlab', name);
  const parsed = gl.parse(JSON.parse(body), vendorHeaders('gitlab', SECRET, body));
  if (parsed.kind !== 'ok') throw new Error(`${name}: ${parsed.kind}`);
  return { parsed, events: gl.normalize(parsed.payload, {}) };
}

describe('gitlab verify', () => {
  const body = readFixture('gitlab', 'issue_closed.json');
  it('accepts the secret token sent verbatim in X-Gitlab-Token', () => {
    expect(verify(SECRET, body, vendorHeaders('gitlab', SECRET, body), NOW)).toEqual({ ok: true });
  });
  it('rejects a wrong token, a token with extra bytes, and no token', () => {
    expect(verify(SECRET, body, vendorHeaders('gitlab', 'wrong', body), NOW).ok).toBe(false);
    expect(verify(SECRET, body, vendorHeaders('gitlab', `${SECRET}x`, body), NOW).ok).toBe(false);
    expect(verify(SECRET, body, { 'x-gitlab-event': 'Issue Hook' }, NOW)).toEqual({ ok: false, reason: 'missing X-Gitlab-Token header' });
  });
});

describe('gitlab normalize', () => {
  it('close (older GitLab without state_id in changes): opened → closed at closed_at', () => {
    const { parsed, events } = run('issue_closed.json');
    expect(parsed.scope).toEqual({ project: 'indev/gitlabtomatrix' });
    const at = Date.parse('2020-06-29T14:27:15Z');
    expect(events).toEqual([
      expect.objectContaining({ kind: 'status-changed', key: 'indev/gitlabtomatrix#41', from: 'opened', to: 'closed', at, title: 'Develop Open/Close', owner: { name: 'Example User', id: 'example_user' } }),
      { kind: 'item-closed', source: 'gitlab', key: 'indev/gitlabtomatrix#41', at, isEpic: false },
    ]);
  });
  it('reopen with labels (not scoped): closed → opened at updated_at', () => {
    const { events } = run('issue_reopened_state_labels.json');
    expect(events).toEqual([
      expect.objectContaining({ kind: 'status-changed', key: 'indev/gitlabtomatrix#26', from: 'closed', to: 'opened', at: Date.parse('2020-06-30T15:37:22Z'), createdAt: Date.parse('2020-06-18T15:54:56Z') }),
      // changes.labels: none before, Done and InProgress now
      expect.objectContaining({ kind: 'flags-changed', key: 'indev/gitlabtomatrix#26', at: Date.parse('2020-06-30T15:37:22Z'), changes: [{ flag: 'label:Done', on: true }, { flag: 'label:InProgress', on: true }] }),
    ]);
  });
  it('a scoped workflow:: label is the board column', () => {
    const body = JSON.parse(readFixture('gitlab', 'issue_reopened_state_labels.json'));
    body.object_attributes.action = 'update';
    body.labels = [{ title: 'workflow::In review' }, { title: 'bug' }];
    body.changes = { labels: { previous: [{ title: 'workflow::In dev' }, { title: 'bug' }], current: body.labels } };
    const parsed = gl.parse(body, { 'x-gitlab-event': 'Issue Hook' });
    if (parsed.kind !== 'ok') throw new Error(parsed.kind);
    expect(gl.normalize(parsed.payload)).toEqual([
      expect.objectContaining({ from: 'In dev', to: 'In review', type: 'defect' }),
      expect.objectContaining({ kind: 'flags-changed', changes: [{ flag: 'label:workflow::In review', on: true }, { flag: 'label:workflow::In dev', on: false }] }),
    ]);
  });
  it('push hooks are ignored; an issue without iid is invalid', () => {
    expect(gl.parse({ object_kind: 'push' }, { 'x-gitlab-event': 'Push Hook' })).toMatchObject({ kind: 'ignored' });
    expect(gl.parse({ object_kind: 'issue', project: { path_with_namespace: 'a/b' }, object_attributes: {} }, { 'x-gitlab-event': 'Issue Hook' })).toMatchObject({ kind: 'invalid', reason: expect.stringContaining('object_attributes') });
  });
});
