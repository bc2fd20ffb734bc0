/**
 * The Teams app package: built by the script, opened as a zip, and checked the way Teams'
 * validation checks it (files at the root, manifest fields and limits, icon sizes).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { crc32, inflateRawSync, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { buildTeamsPackage, pngSize } from '../../../scripts/teams-package.ts';

const BOT_ID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';

/** Reads a zip through its central directory, checking each entry's CRC. */
function unzip(bytes: Buffer): Map<string, Buffer> {
  const end = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error('no end of central directory: not a zip');
  const count = bytes.readUInt16LE(end + 10);
  let at = bytes.readUInt32LE(end + 16);
  const files = new Map<string, Buffer>();
  for (let i = 0; i < count; i++) {
    expect(bytes.readUInt32LE(at)).toBe(0x02014b50);
    const method = bytes.readUInt16LE(at + 10);
    const crc = bytes.readUInt32LE(at + 16);
    const size = bytes.readUInt32LE(at + 20);
    const nameLength = bytes.readUInt16LE(at + 28);
    const extra = bytes.readUInt16LE(at + 30);
    const comment = bytes.readUInt16LE(at + 32);
    const local = bytes.readUInt32LE(at + 42);
    const name = bytes.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const dataStart = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
    const raw = bytes.subarray(dataStart, dataStart + size);
    const data = method === 8 ? inflateRawSync(raw) : raw;
    expect(crc32(data) >>> 0, `CRC of ${name}`).toBe(crc >>> 0);
    files.set(name, data);
    at += 46 + nameLength + extra + comment;
  }
  return files;
}

/** RGBA pixels of an 8-bit RGBA, non-interlaced PNG. */
function rgbaPixels(png: Buffer): Buffer {
  const { width, height } = pngSize(png);
  expect(png[24]).toBe(8); // bit depth
  expect(png[25]).toBe(6); // RGBA
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    const type = png.subarray(at + 4, at + 8).toString('latin1');
    if (type === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  const out = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x++) {
      const value = raw[y * (stride + 1) + 1 + x]!;
      const a = x >= 4 ? out[y * stride + x - 4]! : 0;
      const b = y > 0 ? out[(y - 1) * stride + x]! : 0;
      const c = x >= 4 && y > 0 ? out[(y - 1) * stride + x - 4]! : 0;
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const predictor = [0, a, b, (a + b) >> 1, paeth][filter]!;
      out[y * stride + x] = (value + predictor) & 0xff;
    }
  }
  return out;
}

describe('Teams app package', () => {
  it('npm run teams:package writes a zip with the manifest and both icons at its root', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'teams-package-'));
    try {
      const out = join(dir, 'app.zip');
      const { stdout } = await promisify(execFile)(process.execPath, ['bin/run-ts.js', 'scripts/teams-package.ts', '--bot-id', BOT_ID, '--public-url', 'https://flow.example.com', '--out', out], {
        env: { ...process.env, clientId: '', MicrosoftAppId: '' },
      });
      expect(stdout).toMatch(/Upload it in Teams/);
      const files = unzip(readFileSync(out));
      expect([...files.keys()].sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);

      const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8'));
      expect(manifest.$schema).toBe('https://developer.microsoft.com/json-schemas/teams/v1.29/MicrosoftTeams.schema.json');
      expect(manifest.manifestVersion).toBe('1.29');
      expect(manifest.version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(manifest.id).toBe(BOT_ID);
      expect(manifest.bots).toHaveLength(1);
      expect(manifest.bots[0].botId).toBe(BOT_ID);
      expect(manifest.bots[0].scopes.sort()).toEqual(['groupChat', 'personal', 'team']);
      expect(manifest.validDomains).toContain('flow.example.com');
      for (const key of ['name', 'websiteUrl', 'privacyUrl', 'termsOfUseUrl']) expect(manifest.developer[key], key).toBeTruthy();
      for (const key of ['websiteUrl', 'privacyUrl', 'termsOfUseUrl']) expect(manifest.developer[key]).toMatch(/^https:\/\//);
      expect(manifest.name.short.length).toBeLessThanOrEqual(30);
      expect(manifest.name.full.length).toBeLessThanOrEqual(100);
      expect(manifest.description.short.length).toBeLessThanOrEqual(80);
      expect(manifest.description.full.length).toBeLessThanOrEqual(4000);
      expect(manifest.accentColor).toMatch(/^#[0-9A-Fa-f]{6}$/);
      expect(manifest.bots[0].commandLists.length).toBeLessThanOrEqual(3);
      for (const list of manifest.bots[0].commandLists) {
        expect(list.commands.length).toBeLessThanOrEqual(12);
        for (const command of list.commands) {
          expect(command.title.length).toBeLessThanOrEqual(128);
          expect(command.description.length).toBeLessThanOrEqual(4000);
        }
      }

      expect(pngSize(files.get(manifest.icons.color)!)).toEqual({ width: 192, height: 192 });
      expect(pngSize(files.get(manifest.icons.outline)!)).toEqual({ width: 32, height: 32 });
      // the outline icon: white on transparency, nothing else
      const outline = rgbaPixels(files.get(manifest.icons.outline)!);
      let transparent = 0;
      for (let i = 0; i < outline.length; i += 4) {
        if (outline[i + 3] === 0) transparent++;
        else expect([outline[i], outline[i + 1], outline[i + 2]], `pixel ${i / 4}`).toEqual([255, 255, 255]);
      }
      expect(transparent).toBeGreaterThan(32 * 32 * 0.5);
      // the colour icon is opaque
      const color = rgbaPixels(files.get(manifest.icons.color)!);
      expect(color[(96 * 192 + 96) * 4 + 3]).toBe(255);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to package without a real bot id, saying where to find it', () => {
    expect(() => buildTeamsPackage({ botId: '00000000-0000-0000-0000-000000000000' })).toThrow(/--bot-id or set clientId/);
    expect(() => buildTeamsPackage({ botId: 'my-bot' })).toThrow(/not the GUID/);
  });
});
