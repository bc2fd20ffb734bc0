#!/usr/bin/env node
// Builds the bot's TypeScript into dist/flow-nudge.mjs (and the chunks beside it that it loads). `npm install` runs it
// (the `prepare` script); the program itself never builds: bin/flow-nudge.js only runs dist/.
// esbuild is a devDependency, so it is loaded only when a build is asked for.
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Files the bundle loads at run time by URL, next to itself: copied beside it, so dist/ runs alone. */
const BESIDE_THE_BUNDLE = [
  ['src/charts/resvg-worker.mjs', 'resvg-worker.mjs'],
  ['src/chat/playground/assets', 'assets'],
];

/** Newest modification time (ms) of any file under `dir`. */
function newestUnder(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestUnder(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * True when the build at `built` is missing or older than the sources under `entryDir`
 * (and under src/). Cheap: only reads modification times.
 * @example isStale('dist/flow-nudge.mjs', 'src/cli') // false right after `npm run build`
 */
export function isStale(built, entryDir = join(ROOT, 'src')) {
  if (!existsSync(built)) return true;
  const sources = [join(ROOT, 'src'), entryDir].filter((dir) => existsSync(dir));
  const newest = Math.max(...sources.map(newestUnder));
  return statSync(built).mtimeMs < newest;
}

/**
 * Builds `entry` (a path from the project root) to dist/`name` when it is stale, and returns the
 * built path. Several processes may build at once: each writes its own file and renames it into
 * place. Throws when esbuild is not installed (a production install), with the fix.
 * @example const path = ensureBuilt('src/cli/main.ts', 'flow-nudge.mjs');
 */
export function ensureBuilt(entry = 'src/cli/main.ts', name = 'flow-nudge.mjs') {
  const built = join(ROOT, 'dist', name);
  if (!isStale(built, dirname(join(ROOT, entry)))) return built;
  let esbuild;
  try {
    esbuild = createRequire(import.meta.url)('esbuild');
  } catch {
    throw new Error(`cannot build ${entry}: esbuild is not installed (a production install). Run \`npm install\` in a development checkout, then \`npm run build\`.`);
  }
  mkdirSync(dirname(built), { recursive: true });
  // Code only some commands need (the bot's chat adapters, loaded by `start` through import())
  // goes into chunks beside the bundle, so the other commands do not load those packages:
  // `flow-nudge help` peaks at 117 MB instead of 153 (npm run bench scale).
  const partial = join(dirname(built), `.partial-${process.pid}`);
  esbuild.buildSync({
    entryPoints: { [basename(name, '.mjs')]: join(ROOT, entry) },
    outdir: partial,
    outExtension: { '.js': '.mjs' },
    splitting: true,
    // chunks sit beside the bundle: files found through import.meta.url (BESIDE_THE_BUNDLE) stay next to them
    chunkNames: '[name]-[hash]',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'inline',
    sourcesContent: false,
    logLevel: 'error',
  });
  for (const [from, to] of BESIDE_THE_BUNDLE) cpSync(join(ROOT, from), join(dirname(built), to), { recursive: true });
  // chunks first (named by their content, so a concurrent build writes the same files), the entry last
  const entryFile = `${basename(name, '.mjs')}.mjs`;
  for (const file of readdirSync(partial)) if (file !== entryFile) renameSync(join(partial, file), join(dirname(built), file));
  renameSync(join(partial, entryFile), built);
  rmSync(partial, { recursive: true, force: true });
  return built;
}

// `node bin/build.js` (npm run build, prepare): build dist/. Without esbuild (npm ci --omit=dev
// in a tree that already holds dist/), keep the shipped build.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const built = join(ROOT, 'dist', 'flow-nudge.mjs');
  try {
    process.stdout.write(`flow-nudge: built ${ensureBuilt()}\n`);
  } catch (error) {
    if (existsSync(built) && String(error?.message).startsWith('cannot build')) {
      process.stdout.write(`flow-nudge: esbuild is not installed; keeping the shipped dist/\n`);
    } else {
      process.stderr.write(`flow-nudge: ${error?.message ?? error}\n`);
      process.exitCode = 1;
    }
  }
}
