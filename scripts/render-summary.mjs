#!/usr/bin/env node
// Regenerates the pictures of the job summary, each from a real run of the
// bundled action (npm run bundle first), framed like GitHub's summary card
// (summary-page.mjs) and screenshotted in headless Chromium:
//
// - docs/summary-full.png, the README's: a full run, `target: all,actions-cache`
//   over SSH, with a Docker build cache to prune and an Actions cache to clear.
//   It is __tests__/summary-full.test.ts, run here with CAC_SUMMARY_HTML so it
//   leaves its summary HTML behind: a real sshd, a real Docker engine and the
//   local GitHub API server (what the suite's helpers start; root needed).
// - docs/summary.png: the files alone, on this machine (the app of
//   summary-app.mjs, as the runner starts the action).
//
// Usage: node scripts/render-summary.mjs [--only full|files] [--docs DIR] [--html DIR]
//   --html DIR also keeps each picture's page (summary-full.html, summary.html).
// Needs Chromium at /usr/bin/chromium (Debian/Ubuntu: apt-get install -y chromium)
// or at $CHROMIUM_PATH. Prints the paths of the PNGs.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'

import { chromium } from 'playwright-core'
import { REPO_ROOT, actionMain, runnerEnv } from './runner-env.mjs'
import { makeApp } from './summary-app.mjs'

import { CHROMIUM_ARGS, chromiumPath, summaryPage } from './summary-page.mjs'

const ROOT = REPO_ROOT

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

/** Runs __tests__/summary-full.test.ts; returns the summary HTML its full run wrote. */
function fullRunSummary(files) {
  const html = path.join(files, 'summary-full.html')
  const run = spawnSync(
    process.execPath,
    [path.join(ROOT, 'node_modules/jest/bin/jest.js'), '__tests__/summary-full.test.ts'],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: {
        ...process.env,
        CAC_SUMMARY_HTML: html,
        NODE_OPTIONS: '--experimental-vm-modules',
        NODE_NO_WARNINGS: '1'
      }
    }
  )
  if (run.status !== 0) throw new Error(`__tests__/summary-full.test.ts failed\n${run.stdout}\n${run.stderr}`)
  // A suite that skipped (no engine or sshd here) passes without a run.
  if (!existsSync(html)) throw new Error(`__tests__/summary-full.test.ts ran no full run here:\n${run.stderr}`)
  return readFileSync(html, 'utf8')
}

/** Screenshots each page's card to its PNG. */
async function screenshot(pages) {
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS })
  try {
    for (const { html, out } of pages) {
      const page = await browser.newPage({ viewport: { width: 1000, height: 600 }, deviceScaleFactor: 2 })
      // Nothing may come from the network: the page is self-contained.
      await page.route('**/*', (route) => route.abort())
      await page.setContent(html, { waitUntil: 'load' })
      mkdirSync(path.dirname(out), { recursive: true })
      await page.locator('.frame').screenshot({ path: out, animations: 'disabled' })
      await page.close()
    }
  } finally {
    await browser.close()
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      docs: { type: 'string', default: path.join(ROOT, 'docs') },
      html: { type: 'string' }
    }
  })
  if (values.only && !['full', 'files'].includes(values.only)) throw new Error('--only: full or files')
  const docs = path.resolve(values.docs)
  const base = mkdtempSync(path.join(tmpdir(), 'cac-render-'))
  try {
    const pages = []
    if (values.only !== 'files') {
      pages.push({
        name: 'summary-full',
        html: summaryPage(fullRunSummary(base), { title: 'clear-app-caches summary' })
      })
    }
    if (values.only !== 'full') {
      const app = makeApp(base)
      const files = path.join(base, 'runner')
      mkdirSync(files)
      pages.push({ name: 'summary', html: summaryPage(runAction(app, files), { title: 'clear-app-caches summary' }) })
    }
    for (const page of pages) {
      page.out = path.join(docs, `${page.name}.png`)
      if (values.html) writeFileSync(path.join(path.resolve(values.html), `${page.name}.html`), page.html)
    }
    await screenshot(pages)
    for (const page of pages) console.log(page.out)
  } finally {
    rmSync(base, { recursive: true, force: true })
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error)
  process.exitCode = 1
})
