#!/usr/bin/env bash
# A production install from a built tree: copy the tracked files, dist/ and node_modules (hard
# links, so it is quick), drop the devDependencies as `npm ci --omit=dev` would leave them, then
# run the demo, a report, a chart and the playground server from dist/ alone.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
[ -f dist/flow-nudge.mjs ] || { echo "production-install: dist/ is missing; run npm run build first" >&2; exit 1; }

WORK="$ROOT/.prod-check"
rm -rf "$WORK"
mkdir -p "$WORK/tree"
trap 'rm -rf "$WORK"' EXIT
git ls-files -z | xargs -0 cp --parents -t "$WORK/tree"
cp -r dist "$WORK/tree/dist"
cp -al "$(readlink -f node_modules)" "$WORK/tree/node_modules"
cd "$WORK/tree"
npm prune --omit=dev --no-audit --no-fund --ignore-scripts >"$WORK/prune.log" 2>&1 || { cat "$WORK/prune.log" >&2; exit 1; }
for dev in esbuild tsx typescript vitest @biomejs/biome @types/better-sqlite3 @types/papaparse; do
  if [ -e "node_modules/$dev" ]; then echo "production-install: devDependency $dev is still installed" >&2; exit 1; fi
done
# dist/ runs alone: nothing is loaded from src/ at run time
rm -rf src
DB="$WORK/prod.db"
DATABASE_URL="file:$DB" node --expose-gc bin/flow-nudge.js demo >/dev/null
DATABASE_URL="file:$DB" node --expose-gc bin/flow-nudge.js report leadtime --stream demo | head -3
DATABASE_URL="file:$DB" node --expose-gc bin/flow-nudge.js chart scatter --stream demo --out "$WORK/leadtime.png" >/dev/null
[ -s "$WORK/leadtime.png" ] || { echo "production-install: the chart was not written" >&2; exit 1; }
# npm start with no chat credentials: the playground and its files, served from dist/
PORT=38917 DATABASE_URL="file:$DB" node --expose-gc bin/flow-nudge.js start >"$WORK/start.log" 2>&1 &
STARTED=$!
for _ in $(seq 1 50); do curl -fsS -o /dev/null http://127.0.0.1:38917/playground/app.js 2>/dev/null && break; sleep 0.2; done
curl -fsS -o /dev/null http://127.0.0.1:38917/playground/app.js || { kill "$STARTED"; cat "$WORK/start.log" >&2; echo "production-install: npm start did not serve the playground" >&2; exit 1; }
kill "$STARTED"; wait "$STARTED" || true
echo "production-install: demo, report, chart and the playground ran from dist/ without devDependencies"
