#!/usr/bin/env bash
# Bundles the action (dist/index.js) and the CLI (dist/cli.js) with ncc, adds
# their launchers (dist/index.cjs, named in action.yml, and dist/cli.cjs), and
# the file engine a remote host runs (dist/remote.cjs, scripts/bundle-remote.mjs).
# Usage: scripts/bundle.sh [OUT_DIR]  (default dist; the freshness test bundles elsewhere and compares)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-dist}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
npx --no-install ncc build src/index.ts -o "$work/action" --license licenses.txt -q
npx --no-install ncc build src/cli.ts -o "$work/cli" -q
rm -rf "$out"
mkdir -p "$out"
cp "$work/action/index.js" "$work/action/package.json" "$work/action/licenses.txt" "$out/"
cp "$work/cli/index.js" "$out/cli.js"
# CommonJS launchers that size libuv's thread pool before the ESM bundles load (src/launch.cjs).
cp src/launch.cjs "$out/index.cjs"
cp src/launch.cjs "$out/cli.cjs"
node scripts/bundle-remote.mjs "$out/remote.cjs"
