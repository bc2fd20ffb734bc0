/**
 * Builds the Teams app package: a zip with manifest.json, color.png and outline.png at its
 * root, ready to upload in Teams ("Apps → Manage your apps → Upload an app") or the Teams
 * admin center / Developer Portal.
 *
 *   npm run teams:package -- [--bot-id GUID] [--app-id GUID] [--public-url URL] [--out FILE]
 *   npm run teams:package -- --render-icons     (redraws manifests/teams/*.png from SVG)
 *
 * The bot id comes from --bot-id or the env the bot itself reads (clientId, else
 * MicrosoftAppId); the app id from --app-id or TEAMS_APP_ID, else the bot id; the public URL
 * (added to validDomains) from --public-url or PUBLIC_URL.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateRawSync } from 'node:zlib';
import { Resvg } from '@resvg/resvg-js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const MANIFEST_DIR = join(ROOT, 'manifests', 'teams');
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PLACEHOLDER_ID = '00000000-0000-0000-0000-000000000000';

/** The colour icon: a run chart climbing out of a blue tile (192×192, full colour). */
export const COLOR_ICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="192" height="192" viewBox="0 0 192 192">
  <rect width="192" height="192" rx="36" fill="#0072B2"/>
  <line x1="36" y1="72" x2="156" y2="72" stroke="#56B4E9" stroke-width="6" stroke-dasharray="10 8"/>
  <polyline points="36,132 66,116 92,124 120,88 150,60" fill="none" stroke="#FFFFFF" stroke-width="12" stroke-linecap="round" stroke-linejoin="round"/>
  <circle cx="36" cy="132" r="10" fill="#FFFFFF"/><circle cx="66" cy="116" r="10" fill="#FFFFFF"/>
  <circle cx="92" cy="124" r="10" fill="#FFFFFF"/><circle cx="120" cy="88" r="10" fill="#FFFFFF"/>
  <circle cx="150" cy="60" r="13" fill="#E69F00"/>
</svg>`;

/** The outline icon: the same run chart as a white outline on transparency (32×32). */
export const OUTLINE_ICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32" viewBox="0 0 32 32">
  <polyline points="4,24 11,19 17,21 22,13 28,8" fill="none" stroke="#FFFFFF" stroke-width="2.5" stroke-linecap="round" stroke-linejoin="round"/>
  <circle cx="28" cy="8" r="2.5" fill="none" stroke="#FFFFFF" stroke-width="1.5"/>
  <line x1="3" y1="29" x2="29" y2="29" stroke="#FFFFFF" stroke-width="1.5" stroke-linecap="round"/>
</svg>`;

export function renderIcons(dir: string = MANIFEST_DIR): void {
  writeFileSync(join(dir, 'color.png'), new Resvg(COLOR_ICON_SVG).render().asPng());
  writeFileSync(join(dir, 'outline.png'), new Resvg(OUTLINE_ICON_SVG, { background: 'rgba(0,0,0,0)' }).render().asPng());
}

/** Width and height from a PNG's IHDR; throws when the bytes are not a PNG. */
export function pngSize(png: Buffer): { width: number; height: number } {
  if (png.length < 24 || png.subarray(0, 8).toString('hex') !== '89504e470d0a1a0a' || png.subarray(12, 16).toString('latin1') !== 'IHDR') {
    throw new Error('not a PNG file (no PNG signature and IHDR chunk)');
  }
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

export interface ZipEntry {
  name: string;
  data: Buffer;
}

/** A zip archive (deflate) of the entries, at the archive root, with a fixed timestamp. */
export function zip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  const dosTime = 0; // 00:00:00
  const dosDate = ((2026 - 1980) << 9) | (1 << 5) | 1; // 2026-01-01: builds are byte-for-byte repeatable
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const compressed = deflateRawSync(entry.data, { level: 9 });
    const crc = crc32(entry.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(dosTime, 10);
    local.writeUInt16LE(dosDate, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(dosTime, 12);
    central.writeUInt16LE(dosDate, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(entry.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, compressed);
    centrals.push(central, name);
    offset += local.length + name.length + compressed.length;
  }
  const centralDir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralDir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, centralDir, end]);
}

export interface PackageOptions {
  botId: string;
  /** the Teams app id (manifest `id`); default: the bot id */
  appId?: string;
  /** the bot's public URL; its host is added to validDomains */
  publicUrl?: string;
  /** default: the version in package.json */
  version?: string;
  manifestDir?: string;
}

/** The manifest with the ids, version and domains filled in; throws naming what is missing. */
export function buildManifest(options: PackageOptions): Record<string, any> {
  const dir = options.manifestDir ?? MANIFEST_DIR;
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Record<string, any>;
  if (!GUID.test(options.botId) || options.botId === PLACEHOLDER_ID) {
    throw new Error(
      `The bot id "${options.botId}" is not the GUID of an Entra app. Pass --bot-id or set clientId to the Microsoft App ID of the Azure Bot resource (Azure portal → the bot → Configuration).`,
    );
  }
  const appId = options.appId ?? options.botId;
  if (!GUID.test(appId)) throw new Error(`The Teams app id "${appId}" is not a GUID. Pass --app-id or set TEAMS_APP_ID to a GUID (e.g. from \`node -e "console.log(crypto.randomUUID())"\`).`);
  manifest.id = appId;
  manifest.version = options.version ?? (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  for (const bot of manifest.bots ?? []) bot.botId = options.botId;
  if (options.publicUrl) {
    let host: string;
    try {
      host = new URL(options.publicUrl).host;
    } catch {
      throw new Error(`PUBLIC_URL "${options.publicUrl}" is not a URL. Give the bot's public HTTPS base URL, e.g. https://flow.example.com.`);
    }
    manifest.validDomains = [...new Set([...(manifest.validDomains ?? []), host])];
  }
  return manifest;
}

/** The zip Teams accepts: manifest.json, color.png, outline.png at the root. */
export function buildTeamsPackage(options: PackageOptions): { zip: Buffer; manifest: Record<string, any> } {
  const dir = options.manifestDir ?? MANIFEST_DIR;
  const manifest = buildManifest(options);
  const color = readFileSync(join(dir, manifest.icons.color));
  const outline = readFileSync(join(dir, manifest.icons.outline));
  const colorSize = pngSize(color);
  const outlineSize = pngSize(outline);
  if (colorSize.width !== 192 || colorSize.height !== 192) throw new Error(`${manifest.icons.color} is ${colorSize.width}×${colorSize.height}; Teams needs 192×192. Run npm run teams:package -- --render-icons.`);
  if (outlineSize.width !== 32 || outlineSize.height !== 32) throw new Error(`${manifest.icons.outline} is ${outlineSize.width}×${outlineSize.height}; Teams needs 32×32. Run npm run teams:package -- --render-icons.`);
  return {
    manifest,
    zip: zip([
      { name: 'manifest.json', data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`) },
      { name: manifest.icons.color, data: color },
      { name: manifest.icons.outline, data: outline },
    ]),
  };
}

function argValue(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

function main(args: string[], env: NodeJS.ProcessEnv): void {
  if (args.includes('--render-icons')) {
    renderIcons();
    console.log(`Wrote ${join(MANIFEST_DIR, 'color.png')} and ${join(MANIFEST_DIR, 'outline.png')}.`);
    return;
  }
  const botId = argValue(args, '--bot-id') ?? env.clientId ?? env.CLIENTID ?? env.MicrosoftAppId ?? '';
  if (!botId) {
    throw new Error('No bot id: pass --bot-id GUID or set clientId (the Microsoft App ID of the Azure Bot resource) before npm run teams:package.');
  }
  const appId = argValue(args, '--app-id') ?? env.TEAMS_APP_ID;
  const publicUrl = argValue(args, '--public-url') ?? env.PUBLIC_URL;
  const out = resolve(argValue(args, '--out') ?? join(ROOT, 'dist', 'flow-nudge-teams.zip'));
  const { zip: bytes, manifest } = buildTeamsPackage({ botId, ...(appId ? { appId } : {}), ...(publicUrl ? { publicUrl } : {}) });
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, bytes);
  console.log(`Wrote ${out} (${bytes.length} bytes): Teams app ${manifest.id} v${manifest.version}, bot ${botId}. Upload it in Teams → Apps → Manage your apps → Upload an app.`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main(process.argv.slice(2), process.env);
  } catch (error) {
    console.error(`teams:package: ${(error as Error).message}`);
    process.exit(1);
  }
}
