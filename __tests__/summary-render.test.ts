// The job summary as users see it: the bundled action's GITHUB_STEP_SUMMARY
// HTML, framed like GitHub's summary card (scripts/summary-page.mjs) and
// rendered in a real headless Chromium. The checks read the rendered DOM:
// the cleared-paths table and the totals must carry the action's outputs.
//
// Needs Chromium at /usr/bin/chromium (apt-get install -y chromium) or
// $CHROMIUM_PATH. Without it the test is skipped locally and fails on CI.
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { chromium, type Browser } from 'playwright-core'
import { makeAppTree } from '../__fixtures__/app-tree.js'
import { CHROMIUM_ARGS, chromiumPath, summaryPage } from '../scripts/summary-page.mjs'
import { SUMMARY_ROWS } from '../src/report.js'
import { runAction } from './helpers/run-action.js'

const CHROMIUM = chromiumPath()
const HAVE_CHROMIUM = existsSync(CHROMIUM)
const ON_CI = process.env.CI === 'true'
// Jest hides the console output of skipped suites: the notice goes straight to stderr.
if (!HAVE_CHROMIUM && !ON_CI)
  process.stderr.write(
    `\nsummary-render.test.ts SKIPPED: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)\n`
  )

interface Cell {
  readonly tag: string
  readonly text: string
}

// The little of the DOM the checks read (tsconfig's lib has no "dom").
interface DomTable {
  querySelectorAll(
    selector: 'tr'
  ): ArrayLike<{ readonly cells: ArrayLike<{ tagName: string; textContent: string | null }> }>
}

const temps: string[] = []
afterEach(() => {
  for (const dir of temps.splice(0)) {
    execFileSync('chmod', ['-R', 'u+w', dir])
    rmSync(dir, { recursive: true, force: true })
  }
})

// Locally without Chromium: a visible skip. On CI: run, and fail in beforeAll.
const describeRendered = HAVE_CHROMIUM || ON_CI ? describe : describe.skip

describeRendered('the rendered job summary', () => {
  let browser: Browser | undefined

  beforeAll(async () => {
    if (!HAVE_CHROMIUM)
      throw new Error(
        `CI=true but there is no Chromium at ${CHROMIUM}: install it (sudo apt-get install -y chromium) or set CHROMIUM_PATH`
      )
    // The suite's own timeout, not a stricter one: Chromium took over 20 s to start on CI's 2 cores while the
    // Docker suites built beside it.
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
  })

  afterAll(async () => {
    await browser?.close()
  })

  it('shows the cleared paths and the totals the outputs report', async () => {
    if (!browser) throw new Error('Chromium did not start')
    const base = mkdtempSync(path.join(tmpdir(), 'cac-render-'))
    temps.push(base)
    const tree = makeAppTree(base)
    const run = await runAction(tree.root, { target: 'frontend,backend' })
    expect(run.stderr).toBe('')
    expect(run.exitCode).toBe(0)
    const cleared = JSON.parse(run.outputs['cleared-paths']) as string[]
    expect(cleared).toContain('frontend/.next')

    const page = await browser.newPage({ viewport: { width: 1000, height: 800 } })
    try {
      // The page is self-contained: any request is a bug in summary-page.mjs.
      const requests: string[] = []
      await page.route('**/*', async (route) => {
        requests.push(route.request().url())
        await route.abort()
      })
      await page.setContent(summaryPage(run.summary, { title: 'clear-app-caches summary' }), { waitUntil: 'load' })
      expect(requests).toEqual([])

      // Each table as rows of cells, read from the DOM (the project has no DOM lib types: see DomTable).
      const tables = await page.$$eval('#summary table', (elements): Cell[][][] =>
        (elements as unknown as DomTable[]).map((table) =>
          Array.from(table.querySelectorAll('tr')).map((row) =>
            Array.from(row.cells).map((cell) => ({ tag: cell.tagName, text: (cell.textContent ?? '').trim() }))
          )
        )
      )
      const isPathsTable = (rows: Cell[][]): boolean =>
        rows[0]?.map((cell) => cell.text).join('|') === 'Path|Target|Entries|Size'
      const pathsTable = tables.find(isPathsTable)
      if (!pathsTable) throw new Error(`no cleared-paths table in the rendered summary:\n${run.summary}`)
      const body = pathsTable.slice(1)
      for (const row of body) expect(row.map((cell) => cell.tag)).toEqual(['TD', 'TD', 'TD', 'TD'])
      const paths = body.map((row) => row[0].text)
      expect(paths).toContain('frontend/.next')
      // Every cleared path has its row (the table lists the largest SUMMARY_ROWS).
      expect(cleared.length).toBeLessThanOrEqual(SUMMARY_ROWS)
      expect([...new Set(paths)].sort()).toEqual([...new Set(cleared)].sort())
      expect(paths).toHaveLength(new Set(paths).size)

      const totals = tables.find((rows) => rows.some((row) => row[0]?.tag === 'TH' && row[0].text === 'Reclaimed'))
      if (!totals) throw new Error(`no totals table with a Reclaimed row:\n${run.summary}`)
      const reclaimed = totals.find((row) => row[0].text === 'Reclaimed')
      expect(reclaimed?.[1]?.text).toBe(`${run.outputs.reclaimed} (${run.outputs['reclaimed-bytes']} bytes)`)
      expect(Number(run.outputs['reclaimed-bytes'])).toBeGreaterThan(100_000)

      // Rendered, not just present: the table and its frontend/.next row take up space on the page.
      const table = page.locator('#summary table', { has: page.locator('th', { hasText: /^Path$/ }) })
      await expect(table.isVisible()).resolves.toBe(true)
      const tableBox = await table.boundingBox()
      expect(tableBox?.width).toBeGreaterThan(0)
      expect(tableBox?.height).toBeGreaterThan(0)
      const cellBox = await table.getByRole('cell', { name: 'frontend/.next', exact: true }).boundingBox()
      expect(cellBox?.width).toBeGreaterThan(0)
      expect(cellBox?.height).toBeGreaterThan(0)
    } finally {
      await page.close()
    }
  }, 20_000)
})
