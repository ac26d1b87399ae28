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
# ssh2's WebAssembly poly1305 (emscripten) reads __dirname when it loads, which an
# ES module does not define: give the bundles one, from import.meta.url.
shim='import { dirname as cacShimDirname } from "node:path"; import { fileURLToPath as cacShimFileURLToPath } from "node:url"; const __dirname = cacShimDirname(cacShimFileURLToPath(import.meta.url));'
{ echo "$shim"; cat "$work/action/index.js"; } >"$out/index.js"
{ echo "$shim"; cat "$work/cli/index.js"; } >"$out/cli.js"
cp "$work/action/package.json" "$work/action/licenses.txt" "$out/"
# Only these files are copied: ncc also emits ssh2's and cpu-features' optional native
# .node builds (and pagent.exe, for Windows); ssh2 falls back to pure JavaScript without them.
# CommonJS launchers that size libuv's thread pool before the ESM bundles load (src/launch.cjs).
cp src/launch.cjs "$out/index.cjs"
cp src/launch.cjs "$out/cli.cjs"
node scripts/bundle-remote.mjs "$out/remote.cjs"
