import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readRuntime } from '../../config/runtime.ts';

/** The command that prints a fresh key for FLOW_NUDGE_SECRET_KEY. */
export const MAKE_KEY_COMMAND = `node -e "console.log(require('crypto').randomBytes(32).toString('base64'))"`;

const VERSION = 'v1';

/**
 * Reads FLOW_NUDGE_SECRET_KEY: 32 bytes as base64 (44 characters) or hex (64 characters).
 * Returns null when it is unset and we are not in production (tokens are then kept with a
 * development key derived at start, and a warning is logged by the caller); throws with the
 * command that makes a key when it is unset in production or malformed.
 * @example readSecretKey({ FLOW_NUDGE_SECRET_KEY: 'q3…=' }) // Buffer(32)
 */
export function readSecretKey(env: Record<string, string | undefined>): Buffer | null {
  const value = env.FLOW_NUDGE_SECRET_KEY?.trim();
  if (!value) {
    if (readRuntime(env).production) {
      throw new Error(
        `FLOW_NUDGE_SECRET_KEY is not set. In production the Slack tokens are encrypted at rest with it; make one with\n  ${MAKE_KEY_COMMAND}\nand set FLOW_NUDGE_SECRET_KEY to the printed value (keep it: without it stored installations cannot be read).`,
      );
    }
    return null;
  }
  const key = /^[0-9a-f]{64}$/i.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
  if (key.length !== 32) {
    throw new Error(
      `FLOW_NUDGE_SECRET_KEY must be 32 bytes as base64 (44 characters) or hex (64 characters); it decodes to ${key.length} bytes. Make one with\n  ${MAKE_KEY_COMMAND}`,
    );
  }
  return key;
}

/**
 * Encrypts text with AES-256-GCM: `v1.<iv>.<tag>.<ciphertext>` (base64url parts), a fresh
 * 12-byte IV each time. `context` (e.g. `slack:T123`) is bound as associated data, so a row
 * copied to another team does not decrypt.
 */
export function sealSecret(key: Buffer, plaintext: string, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv.toString('base64url'), tag.toString('base64url'), data.toString('base64url')].join('.');
}

/** Decrypts what sealSecret produced; throws naming the likely cause when the key or row is wrong. */
export function openSecret(key: Buffer, sealed: string, context: string): string {
  const [version, iv, tag, data] = sealed.split('.');
  if (version !== VERSION || !iv || !tag || data === undefined) {
    throw new Error(`Stored secret for ${context} is not in the ${VERSION} format: the installation row was written by something else; reinstall the app.`);
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new Error(
      `Cannot decrypt the stored installation for ${context}: FLOW_NUDGE_SECRET_KEY is not the key it was saved with. Restore the old key, or reinstall the app in that workspace.`,
    );
  }
}
