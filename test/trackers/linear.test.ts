import { describe, expect, it } from 'vitest';
import { TRACKER_ADAPTERS } from '../../src/trackers/adapters.ts';
import { verify } from '../../src/trackers/linear/verify.ts';
import { readFixture, vendorHeaders } from './support/vendor-requests.ts';

const SECRET = 'lin_wh_test';
const body = readFixture('linear', 'issue_update.json');
const SENT = 1681208213456; // the fixture's webhookTimestamp
const linear = TRACKER_ADAPTERS.linear;

describe('linear verify', () => {
  it('accepts Linear-Signature (hex, no prefix) sent within a minute, handing back the JSON it read for the timestamp', () => {
    expect(verify(SECRET, body, vendorHeaders('linear', SECRET, body), SENT + 5_000)).toEqual({ ok: true, body: JSON.parse(body) });
  });
  it('rejects an old timestamp (replay) and one far in the future', () => {
    const headers = vendorHeaders('linear', SECRET, body);
    expect(verify(SECRET, body, headers, SENT + 61_000)).toMatchObject({ ok: false, reason: expect.stringContaining('replayed') });
    expect(verify(SECRET, body, headers, SENT - 61_000).ok).toBe(false);
  });
  it('rejects a tampered body and a wrong secret', () => {
    const headers = vendorHeaders('linear', SECRET, body);
    expect(verify(SECRET, body.replace('"Urgent"', '"Low"'), headers, SENT).ok).toBe(false);
    expect(verify(SECRET, body, vendorHeaders('linear', 'wrong', body), SENT).ok).toBe(false);
  });
});

describe('linear normalize', () => {
  it('an update that only changes the title is not a transition', () => {
    const parsed = linear.parse(JSON.parse(body), {});
    expect(parsed).toMatchObject({ kind: 'ok', scope: { team: 'WEB' } });
    expect(parsed.kind === 'ok' && linear.normalize(parsed.payload)).toEqual([]);
  });
  it('an update with updatedFrom.stateId is a status change to the current state', () => {
    const json = JSON.parse(body);
    json.updatedFrom.stateId = 'previous-state-id';
    const parsed = linear.parse(json, {});
    if (parsed.kind !== 'ok') throw new Error(parsed.kind);
    expect(linear.normalize(parsed.payload)).toEqual([
      expect.objectContaining({ kind: 'status-changed', source: 'linear', key: 'WEB-44', from: null, to: 'In Progress', at: Date.parse('2023-04-11T10:16:53.022Z'), type: 'defect' }),
    ]);
  });
  it('a created Project is an epic owned by its lead', () => {
    const project = { action: 'create', type: 'Project', webhookTimestamp: SENT, data: { id: 'p1', name: 'Checkout v2', createdAt: '2023-04-11T10:00:00.000Z', state: 'planned', leadId: 'u1', lead: { id: 'u1', name: 'Example User' } } };
    const parsed = linear.parse(project, {});
    if (parsed.kind !== 'ok') throw new Error(parsed.kind);
    expect(linear.normalize(parsed.payload)).toEqual([
      { kind: 'item-created', source: 'linear', key: 'project:p1', title: 'Checkout v2', type: 'feature', isEpic: true, parentKey: null, at: Date.parse('2023-04-11T10:00:00.000Z'), status: 'planned', owner: { id: 'u1', name: 'Example User' } },
    ]);
  });
  it('comments are ignored; an issue without data is invalid', () => {
    expect(linear.parse({ type: 'Comment', action: 'create', data: {} }, {})).toMatchObject({ kind: 'ignored' });
    expect(linear.parse({ type: 'Issue', action: 'update', webhookTimestamp: 1 }, {})).toMatchObject({ kind: 'invalid' });
  });
});
