#!/usr/bin/env node
// The flow-nudge command. The source is TypeScript: it runs from a build made on demand
// (bin/build.js), or through tsx where the build cannot be written.
import { pathToFileURL } from 'node:url';

let built = null;
try {
  const { ensureBuilt } = await import('./build.js');
  built = ensureBuilt();
} catch (error) {
  if (error?.errors) throw error; // the source does not compile: say so, do not hide it behind tsx
  process.stderr.write(`flow-nudge: running through tsx (could not build dist/: ${error?.message ?? error})\n`);
}
let main;
if (built) {
  // stack traces name the TypeScript files
  process.setSourceMapsEnabled(true);
  ({ main } = await import(pathToFileURL(built).href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
