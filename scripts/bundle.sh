#!/usr/bin/env bash
# Bundles the action and the CLI into one bundle with shared chunks
# (dist/index.js and dist/N.index.js, scripts/bundle-dist.mjs), adds their
# launchers (dist/index.cjs, named in action.yml, and dist/cli.cjs), and the
# file engine a remote host runs (dist/remote.cjs, scripts/bundle-remote.mjs).
# Usage: scripts/bundle.sh [OUT_DIR]  (default dist; the freshness test bundles elsewhere and compares)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-dist}"
rm -rf "$out"
mkdir -p "$out"
node scripts/bundle-dist.mjs "$out"
# CommonJS launchers that size libuv's thread pool before the bundle loads (src/launch.cjs).
cp src/launch.cjs "$out/index.cjs"
cp src/launch.cjs "$out/cli.cjs"
node scripts/bundle-remote.mjs "$out/remote.cjs"
