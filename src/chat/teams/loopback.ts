/**
 * Anonymous Teams (local use) may only talk to a connector on this machine: an
 * Activity's serviceUrl is where the bot POSTs its replies, so an anonymous caller
 * naming any other host could make the bot send requests wherever it likes.
 */
import { isIP } from 'node:net';

/** True when `url` is http(s) on localhost, 127.0.0.0/8 or ::1. */
export function isLoopbackUrl(url: unknown): boolean {
  if (typeof url !== 'string') return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
  const host = parsed.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1';
  return false;
}
