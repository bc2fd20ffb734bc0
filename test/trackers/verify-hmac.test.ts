/**
 * The shared HMAC header check (GitHub, Jira admin webhooks, Linear): the signature a tracker
 * sends is accepted in either case and with spaces around it; anything else that is not the
 * body's HMAC with the configured secret is refused with the header's name.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyHmacHeader } from '../../src/trackers/verify-hmac.ts';

const secret = 'test-secret';
const body = Buffer.from('{"webhookEvent":"jira:issue_updated","issue":{"key":"TES-1"}}');
const hex = createHmac('sha256', secret).update(body).digest('hex');
const check = (header: string | undefined, prefix = 'sha256=') => verifyHmacHeader(secret, body, header, prefix, 'X-Hub-Signature');
const refused = { ok: false, reason: 'X-Hub-Signature does not match the body signed with the configured secret' };

describe('verifyHmacHeader', () => {
  it('accepts the body HMAC, in lower or upper case, with spaces around it', () => {
    expect(check(`sha256=${hex}`)).toEqual({ ok: true });
    expect(check(`SHA256=${hex.toUpperCase()}`)).toEqual({ ok: true });
    expect(check(`  sha256=${hex}\t`)).toEqual({ ok: true });
    expect(check(hex, '')).toEqual({ ok: true });
  });

  it('refuses another secret, another body, a cut or lengthened digest, non-hex digits and a wrong prefix', () => {
    expect(check(`sha256=${createHmac('sha256', 'other').update(body).digest('hex')}`)).toEqual(refused);
    expect(verifyHmacHeader(secret, Buffer.from(`${body} `), `sha256=${hex}`, 'sha256=', 'X-Hub-Signature')).toEqual(refused);
    expect(check(`sha256=${hex.slice(0, 62)}`)).toEqual(refused);
    expect(check(`sha256=${hex}00`)).toEqual(refused);
    expect(check(`sha256=${hex.slice(0, 62)}zz`)).toEqual(refused);
    expect(check(`sha256=${hex.slice(0, 30)}  ${hex.slice(32)}`)).toEqual(refused);
    expect(check(`sha1=${hex}`)).toEqual(refused);
    expect(check(hex)).toEqual(refused);
  });

  it('names a missing header and a missing secret', () => {
    expect(check(undefined)).toEqual({ ok: false, reason: 'missing X-Hub-Signature header' });
    expect(check('')).toEqual({ ok: false, reason: 'missing X-Hub-Signature header' });
    expect(verifyHmacHeader('', body, `sha256=${hex}`, 'sha256=', 'X-Hub-Signature')).toEqual({ ok: false, reason: 'no webhook secret is configured for this source' });
  });
});
