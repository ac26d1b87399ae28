// The search for caches and the removal share the main thread (src/remove.ts).
// The search needs no delete slot: it goes on while every slot is taken, and
// stops only when SEARCH_AHEAD_MAX found paths wait for the removal. Watched
// here through node:fs itself: how many unlinks were issued when the search
// listed each directory.
import { describe, expect, it, jest } from '@jest/globals'
import realFs, { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { exists } from '../__fixtures__/app-tree.js'
import { tempDir, testSettings } from '../__fixtures__/temp.js'

/** The paths unlinked on the pool, in order, and every listing with how many were issued before it. */
const watch = {
  unlinked: [] as string[],
  listings: [] as { dir: string; names: string[]; unlinkedBefore: number }[],
  reset(): void {
    this.unlinked = []
    this.listings = []
  }
}

const unlink = ((p: realFs.PathLike, callback: realFs.NoParamCallback) => {
  watch.unlinked.push(String(p))
  realFs.unlink(p, callback)
}) as typeof realFs.unlink

const readdirSync = ((p: realFs.PathLike, options?: unknown) => {
  const listing = (realFs.readdirSync as (p: realFs.PathLike, o?: unknown) => (string | realFs.Dirent)[])(p, options)
  watch.listings.push({
    dir: String(p),
    names: listing.map((entry) => (typeof entry === 'string' ? entry : entry.name)),
    unlinkedBefore: watch.unlinked.length
  })
  return listing
}) as typeof realFs.readdirSync

const watchedFs = { ...realFs, unlink, readdirSync }
jest.unstable_mockModule('node:fs', () => ({ ...watchedFs, default: watchedFs }))

const { planCacheRemoval } = await import('../src/plan.js')
const { removeCaches, SEARCH_AHEAD_MAX } = await import('../src/remove.js')

/** backend/staticfiles (an exact path, so first in the removal's queue) with `files` files. */
function backendWithStaticFiles(root: string, files: number): void {
  const statics = path.join(root, 'backend/staticfiles')
  mkdirSync(statics, { recursive: true })
  for (let i = 0; i < files; i++) writeFileSync(path.join(statics, `f${i}.js`), 'x'.repeat(100))
}

describe('the search beside the removal', () => {
  it('lists directories while every delete slot is taken, and clears exactly the caches', async () => {
    const root = tempDir()
    backendWithStaticFiles(root, 1500)
    for (let i = 0; i < 200; i++) {
      const dir = path.join(root, `backend/apps/a${i}/views`)
      mkdirSync(dir, { recursive: true })
      writeFileSync(path.join(dir, 'views.py'), 'pass\n')
    }
    mkdirSync(path.join(root, 'backend/apps/a199/views/__pycache__'))
    writeFileSync(path.join(root, 'backend/apps/a199/views/__pycache__/views.cpython-311.pyc'), 'x')
    watch.reset()

    const result = await removeCaches(await planCacheRemoval(testSettings(root, ['backend'])), {
      dryRun: false,
      operationConcurrency: 4
    })

    expect(result.failures).toEqual([])
    expect(result.removed.map((removed) => removed.path).sort()).toEqual([
      'backend/apps/a199/views/__pycache__',
      'backend/staticfiles'
    ])
    expect(exists(path.join(root, 'backend/apps/a199/views/views.py'))).toBe(true)
    const searchListings = watch.listings.filter(
      (l) => l.dir.includes('/backend/apps') && !l.dir.includes('__pycache__')
    )
    expect(searchListings.length).toBe(401)
    // Waiting with the removal for delete slots, the search went about one entry per delete answered, and listed
    // its last directory after about 1,000 of the 1,500 deletes; going on beside them, after about 60.
    expect(searchListings.at(-1)?.unlinkedBefore).toBeLessThan(300)
  })

  it(`stops when ${SEARCH_AHEAD_MAX} found paths wait for the removal, and goes on as they are removed`, async () => {
    const root = tempDir()
    backendWithStaticFiles(root, 10)
    const dirs = Math.ceil((SEARCH_AHEAD_MAX * 1.5) / 100)
    for (let d = 0; d < dirs; d++) {
      const dir = path.join(root, `backend/apps/m${d}`)
      mkdirSync(dir, { recursive: true })
      for (let f = 0; f < 100; f++) writeFileSync(path.join(dir, `x${f}.pyc`), '')
    }
    watch.reset()

    // One delete at a time: the removal is far slower than the search.
    const result = await removeCaches(await planCacheRemoval(testSettings(root, ['backend'])), {
      dryRun: false,
      operationConcurrency: 1
    })

    expect(result.failures).toEqual([])
    expect(result.removed).toHaveLength(dirs * 100 + 1)
    let found = 0
    let mostAhead = 0
    for (const listing of watch.listings.filter((l) => /\/backend\/apps\/m\d+$/.test(l.dir))) {
      // Depth-first: every .pyc listed before this directory was visited, so found.
      const unlinkedPyc = watch.unlinked.slice(0, listing.unlinkedBefore).filter((p) => p.endsWith('.pyc')).length
      mostAhead = Math.max(mostAhead, found - unlinkedPyc)
      found += listing.names.filter((name) => name.endsWith('.pyc')).length
    }
    expect(mostAhead).toBeGreaterThan(SEARCH_AHEAD_MAX / 2)
    // One found path may have left the queue for its delete slot without being unlinked yet.
    expect(mostAhead).toBeLessThanOrEqual(SEARCH_AHEAD_MAX + 1)
  })
})
