// Where deletes run (src/remove/delete-pace.ts): inline while they are fast,
// on the thread pool while they are slow; and the remover with inline deletes
// on a tmpfs, where every delete is fast.
import { describe, expect, it } from '@jest/globals'
import { linkSync, lstatSync, mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { exists, makeDeepTree } from '../__fixtures__/app-tree.js'
import { mountTmpfs, tempDir, testSettings } from '../__fixtures__/temp.js'
import { keyBytes, systemPath } from '../src/bytepath.js'
import { planCacheRemoval } from '../src/plan.js'
import { DEFAULT_OPERATION_CONCURRENCY, removeCaches } from '../src/remove.js'
import {
  DeletePace,
  INLINE_WINDOW,
  PROBE_EVERY,
  PROBE_WINDOW,
  SLOW_DELETE_MS,
  SLOW_IN_WINDOW
} from '../src/remove/delete-pace.js'

const FAST = SLOW_DELETE_MS / 10
const SLOW = SLOW_DELETE_MS * 10

/** Runs `count` deletes through `pace`, each inline one taking `ms`; how many ran inline. */
function deletes(pace: DeletePace, count: number, ms: number): number {
  let inline = 0
  for (let i = 0; i < count; i++) {
    if (!pace.nextInline()) continue
    inline++
    pace.took(ms)
  }
  return inline
}

describe('systemPath', () => {
  it('hands an ASCII key over as it is, and any other key as its bytes', () => {
    expect(systemPath('/app/frontend/.next/a b')).toBe('/app/frontend/.next/a b')
    const latin1 = '/app/\xe9t\xe9'
    expect(systemPath(latin1)).toEqual(keyBytes(latin1))
    expect(systemPath(latin1)).toEqual(Buffer.from([...'/app/'].map((c) => c.charCodeAt(0)).concat([0xe9, 0x74, 0xe9])))
  })
})

describe('DeletePace', () => {
  it('keeps fast deletes inline, and counts the windows judged fast', () => {
    const pace = new DeletePace()
    expect(deletes(pace, INLINE_WINDOW - 1, FAST)).toBe(INLINE_WINDOW - 1)
    expect(pace.fastWindows).toBe(0)
    expect(deletes(pace, 9 * INLINE_WINDOW + 1, FAST)).toBe(9 * INLINE_WINDOW + 1)
    expect(pace.inlineNow).toBe(true)
    expect(pace.fastWindows).toBe(10)
  })

  it('sends deletes to the pool once enough of a window is slow', () => {
    const pace = new DeletePace()
    expect(deletes(pace, SLOW_IN_WINDOW - 1, SLOW)).toBe(SLOW_IN_WINDOW - 1)
    expect(pace.inlineNow).toBe(true)
    deletes(pace, 1, SLOW)
    expect(pace.inlineNow).toBe(false)
  })

  it('forgets a few slow deletes in a window of fast ones (a preempted call)', () => {
    const pace = new DeletePace()
    for (let w = 0; w < 20; w++) {
      deletes(pace, SLOW_IN_WINDOW - 1, SLOW)
      deletes(pace, INLINE_WINDOW - SLOW_IN_WINDOW + 1, FAST)
    }
    expect(pace.inlineNow).toBe(true)
  })

  it('on the pool, probes one delete in PROBE_EVERY inline, and comes back when the probes are fast', () => {
    const pace = new DeletePace()
    deletes(pace, SLOW_IN_WINDOW, SLOW)
    expect(pace.inlineNow).toBe(false)
    // Slow probes: stays on the pool, one inline delete per PROBE_EVERY.
    expect(deletes(pace, PROBE_EVERY * PROBE_WINDOW * 3, SLOW)).toBe(PROBE_WINDOW * 3)
    expect(pace.inlineNow).toBe(false)
    // Fast probes: inline again after one probe window.
    expect(deletes(pace, PROBE_EVERY * PROBE_WINDOW, FAST)).toBe(PROBE_WINDOW)
    expect(pace.inlineNow).toBe(true)
  })
})

describe('the remover with inline deletes (tmpfs: every delete fast)', () => {
  it('clears a tree deeper than PATH_MAX inline, without growing the stack per level', async () => {
    const base = tempDir()
    if (!mountTmpfs(base)) return
    const root = path.join(base, 'app')
    makeDeepTree(path.join(root, 'frontend/.next/cache/deep'), 3000)
    for (let i = 0; i < 500; i++) writeFileSync(path.join(root, `frontend/.next/f${i}`), 'x'.repeat(i * 10))
    const before = lstatSync(path.join(root, 'frontend/.next/f499')).blocks * 512
    const plan = await planCacheRemoval(testSettings(root, ['frontend'], { dryRun: true }))
    const dry = await removeCaches(plan, { dryRun: true })
    const result = await removeCaches(await planCacheRemoval(testSettings(root, ['frontend'])), {
      dryRun: false,
      slowDeleteMs: Infinity
    })
    expect(result.failures).toEqual([])
    expect(exists(path.join(root, 'frontend/.next'))).toBe(false)
    expect(result.entries).toBeGreaterThan(3500)
    expect({ entries: result.entries, bytes: result.bytes }).toEqual({ entries: dry.entries, bytes: dry.bytes })
    expect(result.bytes).toBeGreaterThanOrEqual(before)
    // A directory on tmpfs holds no blocks, so every rmdir of the 3000 levels ran inline, one
    // after another; the files, which hold blocks, went to the deleter thread, at most the cap at once.
    expect(result.peakInFlight).toBeGreaterThan(0)
    expect(result.peakInFlight).toBeLessThanOrEqual(DEFAULT_OPERATION_CONCURRENCY)
  })

  it('counts a hardlinked inode once, inline', async () => {
    const base = tempDir()
    if (!mountTmpfs(base)) return
    const root = path.join(base, 'app')
    const cache = path.join(root, 'frontend/.next/cache')
    mkdirSync(cache, { recursive: true })
    writeFileSync(path.join(cache, 'a'), 'x'.repeat(100_000))
    linkSync(path.join(cache, 'a'), path.join(cache, 'b'))
    const blocks = lstatSync(path.join(cache, 'a')).blocks * 512
    const result = await removeCaches(await planCacheRemoval(testSettings(root, ['frontend'])), { dryRun: false })
    expect(result.failures).toEqual([])
    // .next, cache, a, b: the inode's blocks once (a directory on tmpfs holds none).
    expect(result.entries).toBe(4)
    expect(result.bytes).toBe(blocks)
  })
})
