import { describe, expect, it } from 'vitest';
import { TRACKER_ADAPTERS } from '../../src/trackers/adapters.ts';
import { verify } from '../../src/trackers/azure-devops/verify.ts';
import { getDeliveryId } from '../../src/trackers/delivery-id.ts';
import { readFixture, vendorHeaders } from './support/vendor-requests.ts';

const SECRET = 'azdo-basic-password';
const NOW = Date.UTC(2026, 0, 1);
const az = TRACKER_ADAPTERS['azure-devops'];

function run(name: string) {
  const body = readFixture('azure-devops', name);
  const parsed = az.parse(JSON.parse(body), {});
  if (parsed.kind !== 'ok') throw new Error(`${name}: ${parsed.kind}`);
  return { parsed, events: az.normalize(parsed.payload, {}) };
}

describe('azure devops verify (Basic auth set on the service hook)', () => {
  const body = readFixture('azure-devops', 'workitem_created.json');
  it('accepts the configured password, with any username', () => {
    expect(verify(SECRET, body, vendorHeaders('azure-devops', SECRET, body), NOW)).toEqual({ ok: true });
  });
  it('checks the username too when the secret is user:password', () => {
    expect(verify(`flow-nudge:${SECRET}`, body, vendorHeaders('azure-devops', SECRET, body), NOW)).toEqual({ ok: true });
    expect(verify(`someone:${SECRET}`, body, vendorHeaders('azure-devops', SECRET, body), NOW).ok).toBe(false);
  });
  it('rejects a wrong password, a missing header, a Bearer token', () => {
    expect(verify(SECRET, body, vendorHeaders('azure-devops', 'wrong', body), NOW).ok).toBe(false);
    expect(verify(SECRET, body, {}, NOW).ok).toBe(false);
    expect(verify(SECRET, body, { authorization: `Bearer ${SECRET}` }, NOW).ok).toBe(false);
  });
  it('the delivery id is the event id from the body', () => {
    expect(getDeliveryId('azure-devops', {}, body)).toEqual({ id: 'd2d46fb1-dba5-403c-9373-427583f19e8c', fromVendor: true });
  });
});

describe('azure devops normalize', () => {
  it('workitem.created: a Bug created New, owner the creator', () => {
    const { parsed, events } = run('workitem_created.json');
    expect(parsed.scope).toEqual({ project: 'FabrikamCloud' });
    expect(events).toEqual([
      { kind: 'item-created', source: 'azure-devops', key: '5', title: 'Some great new idea!', type: 'defect', isEpic: false, parentKey: null, at: Date.parse('2014-07-15T17:42:44.663Z'), status: 'New', owner: { name: 'Jamal Hartnett' } },
    ]);
  });
  it('workitem.updated: New → Approved at the state change date', () => {
    const { parsed, events } = run('workitem_updated_state.json');
    expect(parsed.scope).toEqual({ project: 'Virtual.Currency', organization: 'ouno' });
    expect(events).toEqual([
      expect.objectContaining({ kind: 'status-changed', key: '13', from: 'New', to: 'Approved', at: Date.parse('2021-08-07T15:41:50.23Z'), title: '创建一个bug', type: 'defect', owner: { email: 'user2@example.com' } }),
    ]);
  });
  it('git.push is ignored; a work item without an id is invalid', () => {
    expect(az.parse({ eventType: 'git.push', id: 'x' }, {})).toMatchObject({ kind: 'ignored' });
    expect(az.parse({ eventType: 'workitem.updated', id: 'x', resource: {} }, {})).toMatchObject({ kind: 'invalid' });
  });
});
