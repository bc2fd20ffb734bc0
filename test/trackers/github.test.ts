import { describe, expect, it } from 'vitest';
import { TRACKER_ADAPTERS } from '../../src/trackers/adapters.ts';
import { verify } from '../../src/trackers/github/verify.ts';
import { readFixture, vendorHeaders } from './support/vendor-requests.ts';

const SECRET = 'gh-test-secret';
const NOW = Date.UTC(2026, 0, 1);
const gh = TRACKER_ADAPTERS.github;

function run(name: string, event = 'issues') {
  const body = readFixture('github', name);
  const parsed = gh.parse(JSON.parse(body), vendorHeaders('github', SECRET, body, { githubEvent: event }));
  if (parsed.kind !== 'ok') throw new Error(`${name}: ${parsed.kind} ${'reason' in parsed ? parsed.reason : ''}`);
  return { parsed, events: gh.normalize(parsed.payload, {}) };
}

describe('github verify', () => {
  const body = readFixture('github', 'issues_opened.json');
  it('accepts X-Hub-Signature-256 over the raw body', () => {
    expect(verify(SECRET, body, vendorHeaders('github', SECRET, body), NOW)).toEqual({ ok: true });
  });
  it('rejects a tampered body, a wrong secret, and the legacy sha1 header alone', () => {
    const headers = vendorHeaders('github', SECRET, body);
    expect(verify(SECRET, body.replace('Spelling', 'Spellinq'), headers, NOW).ok).toBe(false);
    expect(verify(SECRET, body, vendorHeaders('github', 'nope', body), NOW).ok).toBe(false);
    const { 'x-hub-signature-256': _, ...rest } = headers;
    expect(verify(SECRET, body, { ...rest, 'x-hub-signature': 'sha1=0000' }, NOW)).toEqual({ ok: false, reason: 'missing X-Hub-Signature-256 header' });
  });
  it('re-serialised JSON is not what was signed', () => {
    const headers = vendorHeaders('github', SECRET, body);
    expect(verify(SECRET, JSON.stringify(JSON.parse(body)), headers, NOW).ok).toBe(false);
  });
});

describe('github normalize', () => {
  it('opened: item created open, typed by its bug label, owned by the first assignee', () => {
    const { parsed, events } = run('issues_opened.json');
    expect(parsed.scope).toEqual({ repo: 'Codertocat/Hello-World' });
    expect(events).toEqual([
      {
        kind: 'item-created', source: 'github', key: 'Codertocat/Hello-World#1', title: 'Spelling error in the README file',
        type: 'defect', isEpic: false, parentKey: null, at: Date.parse('2019-05-15T15:20:18Z'), status: 'open',
        owner: { name: 'Codertocat', id: 'Codertocat' }, nodeId: 'MDU6SXNzdWU0NDQ1MDAwNDE=',
      },
      // the labels it was opened with are set at its creation
      expect.objectContaining({ kind: 'flags-changed', key: 'Codertocat/Hello-World#1', at: Date.parse('2019-05-15T15:20:18Z'), changes: [{ flag: 'label:bug', on: true }] }),
    ]);
  });
  it('closed: open → closed at closed_at, and the item closed', () => {
    const { events } = run('issues_closed.json');
    const at = Date.parse('2026-01-31T08:11:37Z');
    expect(events).toEqual([
      expect.objectContaining({ kind: 'status-changed', key: 'example-user/test-repo#8', from: 'open', to: 'closed', at, createdAt: Date.parse('2026-01-31T08:11:06Z'), type: 'feature' }),
      { kind: 'item-closed', source: 'github', key: 'example-user/test-repo#8', at, isEpic: false },
    ]);
  });
  it('reopened: closed → open at updated_at', () => {
    const { events } = run('issues_reopened.json');
    expect(events).toEqual([expect.objectContaining({ kind: 'status-changed', from: 'closed', to: 'open', at: Date.parse('2021-10-11T16:40:56Z') })]);
  });
  it('labeled: no status change; the label is set at updated_at (unlabeled: cleared)', () => {
    const labeled = { kind: 'flags-changed', source: 'github', key: 'Codertocat/Hello-World#1', at: Date.parse('2019-05-15T15:20:18Z'), changes: [{ flag: 'label:bug', on: true }] };
    expect(run('issues_labeled.json').events).toEqual([expect.objectContaining(labeled)]);
    const body = JSON.parse(readFixture('github', 'issues_labeled.json'));
    body.action = 'unlabeled';
    const parsed = gh.parse(body, { 'x-github-event': 'issues' });
    if (parsed.kind !== 'ok') throw new Error(parsed.kind);
    expect(gh.normalize(parsed.payload)).toEqual([expect.objectContaining({ ...labeled, changes: [{ flag: 'label:bug', on: false }] })]);
  });
  it('projects_v2_item edited without from/to (the published example): a lookup of the item\'s Status', () => {
    const { parsed, events } = run('projects_v2_item_edited_single_select.json', 'projects_v2_item');
    expect(parsed.scope).toEqual({ organization: 'Octocoders' });
    expect(events).toEqual([{
      kind: 'status-lookup', source: 'github', key: 'DI_lADOAWcTxs07G84AIjOy', nodeId: 'DI_lADOAWcTxs07G84AIjOy',
      projectItemId: 'PVTI_lADOAWcTxs07G84AVqWu', fieldNodeId: 'PVTF_lADOAWcTxs07G84AAali', at: Date.parse('2022-06-08T20:34:26Z'),
    }]);
  });
  it('projects_v2_item edited with the current schema: the Status option is the status', () => {
    const body = JSON.parse(readFixture('github', 'projects_v2_item_edited_single_select.json'));
    body.changes.field_value = { ...body.changes.field_value, field_name: 'Status', from: { id: 'a', name: 'Todo' }, to: { id: 'b', name: 'In Progress' } };
    const parsed = gh.parse(body, { 'x-github-event': 'projects_v2_item' });
    if (parsed.kind !== 'ok') throw new Error(parsed.kind);
    expect(gh.normalize(parsed.payload)).toEqual([
      { kind: 'status-changed', source: 'github', key: 'DI_lADOAWcTxs07G84AIjOy', nodeId: 'DI_lADOAWcTxs07G84AIjOy', from: 'Todo', to: 'In Progress', at: Date.parse('2022-06-08T20:34:26Z') },
    ]);
    body.changes.field_value.field_name = 'Priority';
    const other = gh.parse(body, { 'x-github-event': 'projects_v2_item' });
    expect(other.kind === 'ok' && gh.normalize(other.payload)).toEqual([]);
  });
  it('other events are ignored; a missing event header or a broken issue is invalid', () => {
    expect(gh.parse({ zen: 'hi', hook_id: 1 }, { 'x-github-event': 'ping' })).toMatchObject({ kind: 'ignored' });
    expect(gh.parse({}, {})).toEqual({ kind: 'invalid', reason: 'missing X-GitHub-Event header' });
    expect(gh.parse({ action: 'opened', issue: { number: 'x' } }, { 'x-github-event': 'issues' })).toMatchObject({ kind: 'invalid' });
  });
});
