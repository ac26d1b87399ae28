// The remover on small fixed trees: the cases the property tests found
// (remove.property.test.ts), pinned, and cancellation through RemovalOptions.signal.
import { describe, expect, it } from '@jest/globals'
import { existsSync, lstatSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { tempDir, testSettings } from '../__fixtures__/temp.js'
import type { Settings } from '../src/inputs.js'
import { planCacheRemoval } from '../src/plan.js'
import { removeCaches, type RemovalOptions, type RemovalResult } from '../src/remove.js'

function write(root: string, files: Record<string, string>): void {
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true })
    writeFileSync(path.join(root, rel), content)
  }
}

async function clear(settings: Settings, options: Partial<RemovalOptions> = {}): Promise<RemovalResult> {
  return removeCaches(await planCacheRemoval(settings), { dryRun: settings.dryRun, ...options })
}

const totals = (result: RemovalResult): { entries: number; bytes: number; failures: unknown[] } => ({
  entries: result.entries,
  bytes: result.bytes,
  failures: [...result.failures]
})

/** Allocated bytes of every entry below `dir`, `dir` included (no hardlinks here). */
function allocated(dir: string): number {
  const stat = lstatSync(dir)
  if (!stat.isDirectory()) return stat.blocks * 512
  return stat.blocks * 512 + readdirSync(dir).reduce((sum, name) => sum + allocated(path.join(dir, name)), 0)
}

describe('the remover, on cases the property tests found', () => {
  it('an exact path below a file (node_modules is a file) is simply not there: no failure, the file stays', async () => {
    const root = tempDir()
    write(root, { 'frontend/node_modules': 'not a directory', 'frontend/.next/x': 'x' })
    const result = await clear(testSettings(root, ['frontend']))
    expect(result.failures).toEqual([])
    expect(existsSync(path.join(root, 'frontend/node_modules'))).toBe(true)
    expect(existsSync(path.join(root, 'frontend/.next'))).toBe(false)
  })

  it.each([
    ['an extra path naming a cache the search finds too', ['backend/**/__pycache__']],
    ['an extra path holding caches the search finds', ['backend/app']],
    ['an extra path inside a cache', ['backend/app/__pycache__/m.pyc']]
  ])('a dry run counts each entry once, as the real run does: %s', async (_, extraPaths) => {
    const root = tempDir()
    write(root, {
      'backend/app/__pycache__/m.pyc': 'compiled',
      'backend/app/views.pyc': 'x',
      'backend/app/keep.py': 'k'
    })
    const dry = await clear(testSettings(root, ['backend'], { extraPaths, dryRun: true }))
    const real = await clear(testSettings(root, ['backend'], { extraPaths }))
    expect(totals(dry)).toEqual(totals(real))
  })

  it('a dry run counts a cache reached twice, by an exact path through a link and by the search, once', async () => {
    const root = tempDir()
    write(root, { 'frontend/.cache/a': 'a', 'frontend/.cache/b': 'b' })
    // node_modules -> . : the exact path node_modules/.cache is frontend/.cache, which the search finds too.
    symlinkSync('.', path.join(root, 'frontend/node_modules'))
    const expected = allocated(path.join(root, 'frontend/.cache'))
    const dry = await clear(testSettings(root, ['frontend'], { dryRun: true }))
    const real = await clear(testSettings(root, ['frontend']))
    expect(totals(dry)).toEqual({ entries: 3, bytes: expected, failures: [] })
    expect(totals(real)).toEqual(totals(dry))
  })
})

describe('RemovalOptions.signal', () => {
  it('cancelled before the start: nothing is deleted or reported', async () => {
    const root = tempDir()
    write(root, { 'frontend/.next/a': 'a' })
    const result = await clear(testSettings(root, ['frontend']), { signal: AbortSignal.abort() })
    expect(totals(result)).toEqual({ entries: 0, bytes: 0, failures: [] })
    expect(result.removed).toEqual([])
    expect(existsSync(path.join(root, 'frontend/.next/a'))).toBe(true)
  })

  it('cancelled midway: no delete starts after it, the bytes reported are the bytes gone, and the cache is reported partly cleared', async () => {
    const root = tempDir()
    const files: Record<string, string> = {}
    for (let d = 0; d < 20; d++) for (let f = 0; f < 20; f++) files[`frontend/.next/d${d}/f${f}`] = 'x'.repeat(f * 300)
    write(root, files)
    const before = allocated(path.join(root, 'frontend/.next'))
    const controller = new AbortController()
    // Cancel when the first directory is about to go: deterministic, whatever the timing.
    const result = await clear(testSettings(root, ['frontend']), {
      signal: controller.signal,
      beforeRemoveDirectory: () => controller.abort()
    })
    const left = allocated(path.join(root, 'frontend/.next'))
    expect(result.failures).toEqual([])
    expect(result.bytes).toBe(before - left)
    expect(result.bytes).toBeGreaterThan(0)
    expect(result.removed).toEqual([expect.objectContaining({ path: 'frontend/.next', complete: false })])
    // The directory whose rmdir was already under way went; nothing else after the signal.
    expect(readdirSync(path.join(root, 'frontend/.next')).length).toBeGreaterThanOrEqual(19)
  })
})
