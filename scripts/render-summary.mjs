#!/usr/bin/env node
// Regenerates docs/summary.png, the README's picture of the job summary.
//
// Builds a throwaway Next.js + Django app with realistic caches, runs the
// bundled action (dist/index.js) on it the way the runner does (INPUT_*
// variables, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, the app as cwd),
// wraps the summary HTML it wrote in a GitHub-like card (summary-page.mjs) and
// screenshots that card in headless Chromium.
//
// Usage: node scripts/render-summary.mjs [--out <file.png>] [--html <file.html>]
// Needs Chromium at /usr/bin/chromium (Debian/Ubuntu: apt-get install -y chromium)
// or at $CHROMIUM_PATH. Prints the path of the PNG.
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'

import { chromium } from 'playwright-core'
import { REPO_ROOT, actionMain, runnerEnv } from './runner-env.mjs'

import { CHROMIUM_ARGS, chromiumPath, summaryPage } from './summary-page.mjs'

const ROOT = REPO_ROOT

/** Writes `bytes` bytes of a fixed pattern (sizes, and so the picture, stay the same run to run). */
function file(root, rel, bytes) {
  const full = path.join(root, rel)
  mkdirSync(path.dirname(full), { recursive: true })
  writeFileSync(full, Buffer.alloc(bytes, rel.length % 251))
}

const KB = 1024
const MB = 1024 * KB

/** A small but realistic app: about 12 MB of caches next to sources that must stay. */
function makeApp(base) {
  const app = path.join(base, 'app')
  // Next.js build output and its webpack cache.
  file(app, 'frontend/.next/cache/webpack/client-production/0.pack', 3 * MB + 412 * KB)
  file(app, 'frontend/.next/cache/webpack/client-production/index.pack', 96 * KB)
  file(app, 'frontend/.next/cache/webpack/server-production/0.pack', 2 * MB + 188 * KB)
  file(app, 'frontend/.next/cache/webpack/server-production/index.pack', 71 * KB)
  file(app, 'frontend/.next/cache/images/hero.webp', 184 * KB)
  for (const [i, name] of ['main', 'framework', 'webpack', 'pages/_app', 'app/layout', 'app/page'].entries())
    file(app, `frontend/.next/static/chunks/${name}-${(0x3f2a9c + i * 7919).toString(16)}.js`, (40 + i * 23) * KB)
  file(app, 'frontend/.next/static/css/app.css', 38 * KB)
  file(app, 'frontend/.next/server/app/page.js', 212 * KB)
  file(app, 'frontend/.next/server/app/layout.js', 64 * KB)
  file(app, 'frontend/.next/build-manifest.json', 2 * KB)
  file(app, 'frontend/.next/trace', 310 * KB)
  file(app, 'frontend/.turbo/turbo-build.log', 6 * KB)
  file(app, 'frontend/out/index.html', 18 * KB)
  file(app, 'frontend/out/_next/static/chunks/main.js', 120 * KB)
  file(app, 'frontend/node_modules/.cache/babel-loader/4f1c2e.json', 420 * KB)
  file(app, 'frontend/node_modules/.cache/eslint/.eslintcache', 88 * KB)
  // Frontend sources and dependencies (stay).
  file(app, 'frontend/package.json', 1 * KB)
  file(app, 'frontend/next.config.js', 1 * KB)
  file(app, 'frontend/src/app/page.tsx', 3 * KB)
  file(app, 'frontend/node_modules/react/index.js', 2 * KB)

  // Django: bytecode, test and type-check caches, collected static files.
  for (const pkg of ['config', 'shop', 'accounts', 'api'])
    for (const mod of ['__init__', 'models', 'views', 'urls', 'admin'])
      file(app, `backend/${pkg}/__pycache__/${mod}.cpython-312.pyc`, (3 + mod.length * 2) * KB)
  file(app, 'backend/.pytest_cache/v/cache/lastfailed', 1 * KB)
  file(app, 'backend/.pytest_cache/v/cache/nodeids', 14 * KB)
  file(app, 'backend/.mypy_cache/3.12/shop/models.data.json', 610 * KB)
  file(app, 'backend/.mypy_cache/3.12/builtins.data.json', 1 * MB + 240 * KB)
  file(app, 'backend/staticfiles/admin/css/base.css', 22 * KB)
  file(app, 'backend/staticfiles/admin/js/core.js', 9 * KB)
  file(app, 'backend/staticfiles/shop/app.js', 340 * KB)
  // Django sources (stay).
  file(app, 'backend/manage.py', 1 * KB)
  file(app, 'backend/shop/models.py', 6 * KB)
  return app
}

/** Runs dist/index.js on `app` as the runner would; returns the summary HTML and the outputs file text. */
function runAction(app, files) {
  const outputFile = path.join(files, 'output')
  const summaryFile = path.join(files, 'summary')
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  const run = spawnSync(process.execPath, [actionMain()], {
    cwd: app,
    encoding: 'utf8',
    env: {
      ...process.env,
      ...runnerEnv({ workspace: app, inputs: { target: 'frontend,backend' }, outputFile, summaryFile, tempDir: files })
    }
  })
  if (run.status !== 0) {
    throw new Error(`dist/index.js exited with ${run.status ?? run.signal}\n${run.stdout}\n${run.stderr}`)
  }
  const summary = readFileSync(summaryFile, 'utf8')
  if (!summary.includes('<table')) throw new Error(`the job summary has no table:\n${summary}`)
  return summary
}

async function main() {
  const { values } = parseArgs({
    options: {
      out: { type: 'string', default: path.join(ROOT, 'docs', 'summary.png') },
      html: { type: 'string' }
    }
  })
  const out = path.resolve(values.out)
  const base = mkdtempSync(path.join(tmpdir(), 'cac-render-'))
  try {
    const app = makeApp(base)
    const files = path.join(base, 'runner')
    mkdirSync(files)
    const html = summaryPage(runAction(app, files), { title: 'clear-app-caches summary' })
    if (values.html) writeFileSync(path.resolve(values.html), html)

    const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS })
    try {
      const page = await browser.newPage({ viewport: { width: 1000, height: 600 }, deviceScaleFactor: 2 })
      // Nothing may come from the network: the page is self-contained.
      await page.route('**/*', (route) => route.abort())
      await page.setContent(html, { waitUntil: 'load' })
      mkdirSync(path.dirname(out), { recursive: true })
      await page.locator('.frame').screenshot({ path: out, animations: 'disabled' })
    } finally {
      await browser.close()
    }
  } finally {
    rmSync(base, { recursive: true, force: true })
  }
  console.log(out)
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error)
  process.exitCode = 1
})
