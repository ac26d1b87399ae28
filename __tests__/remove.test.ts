// The remover against real filesystems: exactly the cache set goes, links are
// not followed, bytes match the filesystem's own free-space change.
import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { lstatSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { exists, listTree, makeAppTree, makeDeepTree, type AppTree } from '../__fixtures__/app-tree.js'
import { afterThisTest, makeImmutable, mountTmpfs, tempDir, testSettings } from '../__fixtures__/temp.js'
import type { Settings } from '../src/inputs.js'
import { planCacheRemoval } from '../src/plan.js'
import {
  mountPointsBelow,
  parseMountInfo,
  removeCaches,
  type RemovalOptions,
  type RemovalResult
} from '../src/remove.js'
import type { FileTarget } from '../src/rules.js'
import { mountScratch, type ScratchFs, type ScratchKind } from './helpers/scratch-fs.js'

function scratch(kind: ScratchKind): ScratchFs | undefined {
  const fs = mountScratch(kind)
  if (fs) afterThisTest(() => fs.unmount())
  return fs
}

async function clear(settings: Settings, options: Partial<RemovalOptions> = {}): Promise<RemovalResult> {
  return removeCaches(await planCacheRemoval(settings), { dryRun: settings.dryRun, ...options })
}

/** What must be gone for these targets, and what must remain. */
function expectations(tree: AppTree, targets: FileTarget[]): { gone: string[]; kept: string[] } {
  const gone = targets.flatMap((target) => tree.caches[target])
  const otherCaches = (['frontend', 'backend'] as const)
    .filter((t) => !targets.includes(t))
    .flatMap((t) => tree.caches[t])
  return { gone, kept: [...tree.survivors, ...otherCaches] }
}

describe('removeCaches on the generated app', () => {
  it.each([[['frontend']], [['backend']], [['frontend', 'backend']]] as FileTarget[][][])(
    '%j removes exactly its cache paths and nothing else',
    async (targets) => {
      const base = tempDir()
      const tree = makeAppTree(base)
      const outsideBefore = listTree(tree.outside)
      const result = await clear(testSettings(tree.root, targets))
      const { gone, kept } = expectations(tree, targets)

      expect(result.failures).toEqual([])
      for (const rel of gone) expect([rel, exists(path.join(tree.root, rel))]).toEqual([rel, false])
      for (const rel of kept) expect([rel, exists(path.join(tree.root, rel))]).toEqual([rel, true])
      expect([...result.removed.map((r) => r.path)].sort()).toEqual([...gone].sort())
      expect(result.removed.every((r) => r.complete)).toBe(true)
      // Nothing removed that was not in the cache set: the survivors' whole tree is intact.
      const after = listTree(tree.root)
      for (const rel of after) expect(gone.some((g) => rel === g || rel.startsWith(`${g}/`))).toBe(false)
      // Links pointing out of the app were removed as links: their targets stay.
      expect(listTree(tree.outside)).toEqual(outsideBefore)
      expect(readFileSync(path.join(tree.outside, 'secret.txt')).length).toBe(5000)
    }
  )

  it('a dry run reports the same paths and bytes as the real run and deletes nothing', async () => {
    const base = tempDir()
    const tree = makeAppTree(base)
    const before = listTree(tree.root)
    const dry = await clear(testSettings(tree.root, ['frontend', 'backend'], { dryRun: true }))
    expect(listTree(tree.root)).toEqual(before)
    const real = await clear(testSettings(tree.root, ['frontend', 'backend']))
    expect(dry.bytes).toBe(real.bytes)
    expect(dry.entries).toBe(real.entries)
    expect(dry.removed.map((r) => [r.path, r.bytes, r.entries]).sort()).toEqual(
      real.removed.map((r) => [r.path, r.bytes, r.entries]).sort()
    )
  })

  it('counts a hardlinked inode once, and not at all while a twin survives', async () => {
    const base = tempDir()
    const tree = makeAppTree(base)
    const blocksOf = (rel: string): number => statSync(path.join(tree.root, rel)).blocks * 512
    const pair = blocksOf('frontend/.next/cache/pair-a.bin')
    const twin = blocksOf('frontend/.next/cache/hard-inside.bin')
    const dry = await clear(testSettings(tree.root, ['frontend'], { dryRun: true }))
    // Add the pair's second link and the twin as if counted naively: the real figure is lower by exactly that.
    const naive = dry.bytes + pair + twin
    const real = await clear(testSettings(tree.root, ['frontend']))
    expect(real.bytes).toBe(naive - pair - twin)
    expect(exists(path.join(tree.root, 'frontend/src/hard-twin.bin'))).toBe(true)
    expect(statSync(path.join(tree.root, 'frontend/src/hard-twin.bin')).nlink).toBe(1)
  })
})

describe('reported bytes are the disk really freed', () => {
  it.each(['ext4', 'tmpfs'] as ScratchKind[])(
    'on a quiet %s, the figure equals the free-space change',
    async (kind) => {
      const fs = scratch(kind)
      if (!fs) return
      const tree = makeAppTree(fs.dir)
      // Bigger files too, so a wrong rule would show.
      for (let i = 0; i < 20; i++)
        writeFileSync(path.join(tree.root, `frontend/.next/cache/blob-${i}`), Buffer.alloc(100_000 + i * 777))
      const dryRun = await clear(testSettings(tree.root, ['frontend', 'backend'], { dryRun: true }))
      const before = fs.free()
      const result = await clear(testSettings(tree.root, ['frontend', 'backend']))
      const freed = fs.free() - before
      expect(result.failures).toEqual([])
      expect(result.bytes).toBeGreaterThan(2_000_000)
      expect(result.bytes).toBe(freed)
      expect(dryRun.bytes).toBe(freed)
    }
  )

  it('two runs at once on the same tree both succeed and never count a byte twice', async () => {
    const fs = scratch('ext4')
    if (!fs) return
    const tree = makeAppTree(fs.dir)
    for (let i = 0; i < 300; i++)
      writeFileSync(path.join(tree.root, `frontend/.next/cache/many-${i}`), Buffer.alloc(9000))
    const before = fs.free()
    const [a, b] = await Promise.all([
      clear(testSettings(tree.root, ['frontend', 'backend'])),
      clear(testSettings(tree.root, ['frontend', 'backend']))
    ])
    const freed = fs.free() - before
    expect(a.failures).toEqual([])
    expect(b.failures).toEqual([])
    for (const rel of [...tree.caches.frontend, ...tree.caches.backend])
      expect(exists(path.join(tree.root, rel))).toBe(false)
    // Racing runs can each see a hardlink pair's other half disappear, so the
    // sum may fall short by at most one pair; it may never exceed the truth.
    expect(a.bytes + b.bytes).toBeLessThanOrEqual(freed)
    expect(a.bytes + b.bytes).toBeGreaterThanOrEqual(freed - 40 * 1024)
  })
})

describe('safety', () => {
  it('never crosses into a filesystem mounted inside a cache: skips it and warns', async () => {
    const base = tempDir()
    const tree = makeAppTree(base)
    const mountPoint = path.join(tree.root, 'frontend/.next/cache/mounted')
    if (!mountTmpfs(mountPoint)) return
    writeFileSync(path.join(mountPoint, 'precious'), 'on another filesystem')
    const result = await clear(testSettings(tree.root, ['frontend']))
    expect(readFileSync(path.join(mountPoint, 'precious'), 'utf8')).toBe('on another filesystem')
    expect(result.warnings).toEqual([
      expect.stringMatching(/frontend\/\.next\/cache\/mounted is another filesystem mounted inside a cache: skipped/)
    ])
    expect(result.failures).toEqual([])
    // The rest of .next went; the directories holding the mount stay.
    expect(exists(path.join(tree.root, 'frontend/.next/static'))).toBe(false)
    expect(exists(path.join(tree.root, 'frontend/.turbo'))).toBe(false)
  })

  it('clears everything else when one file cannot go, and names that file and why', async () => {
    const base = tempDir()
    const tree = makeAppTree(base)
    const stuck = path.join(tree.root, 'frontend/.next/server/app/page.js')
    if (!makeImmutable(stuck)) return
    const result = await clear(testSettings(tree.root, ['frontend', 'backend']))
    expect(result.failures).toEqual([
      { path: 'frontend/.next/server/app/page.js', reason: expect.stringMatching(/^EPERM/) }
    ])
    expect(exists(stuck)).toBe(true)
    expect(exists(path.join(tree.root, 'frontend/.next/static'))).toBe(false)
    expect(exists(path.join(tree.root, 'frontend/.next/cache'))).toBe(false)
    for (const rel of tree.caches.backend) expect(exists(path.join(tree.root, rel))).toBe(false)
    const next = result.removed.find((r) => r.path === 'frontend/.next')
    expect(next?.complete).toBe(false)
    expect(next?.entries).toBeGreaterThan(10)
  })

  it('handles a tree thousands of levels deep (paths beyond PATH_MAX)', async () => {
    const base = tempDir()
    const tree = makeAppTree(base)
    makeDeepTree(path.join(tree.root, 'frontend/.next/cache/deep'), 2500)
    const dry = await clear(testSettings(tree.root, ['frontend'], { dryRun: true }))
    const result = await clear(testSettings(tree.root, ['frontend']))
    expect(result.failures).toEqual([])
    expect(exists(path.join(tree.root, 'frontend/.next'))).toBe(false)
    expect(dry.entries).toBe(result.entries)
    expect(result.entries).toBeGreaterThan(2500)
  })

  it('clears a directory wider than many listing batches, every entry counted once', async () => {
    const tree = makeAppTree(tempDir())
    const wide = path.join(tree.root, 'frontend/.next/cache/wide')
    mkdirSync(wide)
    // Long names, so the directory is too large to be read whole (more than 256 KiB on ext4 and tmpfs).
    for (let i = 0; i < 15_000; i++) writeFileSync(path.join(wide, `${String(i).padStart(60, 'f')}`), '')
    mkdirSync(path.join(wide, 'sub'))
    const entries = listTree(path.join(tree.root, 'frontend/.next')).length + 1
    const dryRun = await clear(testSettings(tree.root, ['frontend'], { dryRun: true }))
    const result = await clear(testSettings(tree.root, ['frontend']))
    expect(result.failures).toEqual([])
    expect(exists(path.join(tree.root, 'frontend/.next'))).toBe(false)
    expect(result.removed.find((r) => r.path === 'frontend/.next')?.entries).toBe(entries)
    expect(dryRun.removed).toEqual(result.removed)
  })

  it('retries a directory that refills a bounded number of times, then names it', async () => {
    const base = tempDir()
    const tree = makeAppTree(base)
    const hot = path.join(tree.root, 'frontend/.next/cache/hot')
    mkdirSync(hot)
    // Something writes into it again before every rmdir, as a build still running would.
    let refills = 0
    const result = await clear(testSettings(tree.root, ['frontend']), {
      refillRetries: 3,
      beforeRemoveDirectory: (dir) => {
        if (dir.toString() === hot) writeFileSync(path.join(hot, `refill-${refills++}`), 'x')
      }
    })
    expect(refills).toBe(4)
    expect(result.failures).toEqual([
      { path: 'frontend/.next/cache/hot', reason: expect.stringMatching(/still not empty after 4 passes/) }
    ])
    expect(exists(path.join(tree.root, 'frontend/.next/static'))).toBe(false)
    expect(exists(path.join(tree.root, 'frontend/.turbo'))).toBe(false)
  })

  it('clears a directory that refilled once on the next pass', async () => {
    const tree = makeAppTree(tempDir())
    const hot = path.join(tree.root, 'frontend/.next/cache/hot')
    mkdirSync(hot)
    let refills = 0
    const result = await clear(testSettings(tree.root, ['frontend']), {
      beforeRemoveDirectory: (dir) => {
        if (dir.toString() === hot && refills++ === 0) writeFileSync(path.join(hot, 'late'), 'x')
      }
    })
    expect(result.failures).toEqual([])
    expect(refills).toBe(2)
    expect(exists(path.join(tree.root, 'frontend/.next'))).toBe(false)
  })

  it('a cache path that is itself a link is removed as a link', async () => {
    const base = tempDir()
    const tree = makeAppTree(base)
    const real = path.join(base, 'real-next')
    mkdirSync(real)
    writeFileSync(path.join(real, 'keep'), 'x')
    rmSync(path.join(tree.root, 'frontend/.next'), { recursive: true, force: true })
    execFileSync('ln', ['-s', real, path.join(tree.root, 'frontend/.next')])
    const result = await clear(testSettings(tree.root, ['frontend']))
    expect(result.failures).toEqual([])
    expect(exists(path.join(tree.root, 'frontend/.next'))).toBe(false)
    expect(readFileSync(path.join(real, 'keep'), 'utf8')).toBe('x')
  })

  it('follows intermediate links in the configured paths, as a shell would', async () => {
    const base = tempDir()
    const tree = makeAppTree(base)
    execFileSync('ln', ['-s', 'frontend', path.join(tree.root, 'web')])
    const result = await clear(testSettings(tree.root, ['frontend'], { frontendPath: 'web' }))
    expect(result.failures).toEqual([])
    expect(exists(path.join(tree.root, 'frontend/.next'))).toBe(false)
    expect(result.removed.map((r) => r.path)).toContain('web/.next')
  })

  it('clears extra paths and globs', async () => {
    const base = tempDir()
    const tree = makeAppTree(base)
    mkdirSync(path.join(tree.root, 'tmp/build-cache'), { recursive: true })
    writeFileSync(path.join(tree.root, 'tmp/build-cache/x'), 'x')
    writeFileSync(path.join(tree.root, 'tmp/a.log'), 'x')
    writeFileSync(path.join(tree.root, 'tmp/keep.txt'), 'x')
    const result = await clear(testSettings(tree.root, ['backend'], { extraPaths: ['tmp/build-cache', 'tmp/*.log'] }))
    expect(
      result.removed
        .filter((r) => r.owner === 'extra')
        .map((r) => r.path)
        .sort()
    ).toEqual(['tmp/a.log', 'tmp/build-cache'])
    expect(exists(path.join(tree.root, 'tmp/keep.txt'))).toBe(true)
  })
})

describe('names are bytes', () => {
  /** A path under `root` whose relative part is written as Latin-1: '\xe9' is the one byte 0xe9. */
  const at = (root: string, latin1: string): Buffer =>
    Buffer.concat([Buffer.from(`${root}/`), Buffer.from(latin1, 'latin1')])
  const present = (p: Buffer): boolean => lstatSync(p, { throwIfNoEntry: false }) !== undefined

  it('clears caches whose names are not UTF-8, counts them, and reports their paths readably', async () => {
    const tree = makeAppTree(tempDir())
    const write = (rel: string, size: number): void => {
      mkdirSync(at(tree.root, rel.slice(0, rel.lastIndexOf('/'))), { recursive: true })
      writeFileSync(at(tree.root, rel), Buffer.alloc(size))
    }
    write('frontend/.next/cache/\xff\xfe-bytes.js', 10_000)
    write('backend/\xe9t\xe9/__pycache__/m.pyc', 10_000)
    write('backend/\xe9t\xe9/x.pyc', 10_000)
    write('backend/\xe9t\xe9/keep.py', 10)
    write('backend/a\\xe9\nb/__pycache__/n.pyc', 10)
    write('frontend/src/\xe9.cache-not', 10)
    const settings = testSettings(tree.root, ['frontend', 'backend'])
    const dryRun = await clear({ ...settings, dryRun: true })
    expect(present(at(tree.root, 'backend/\xe9t\xe9/x.pyc'))).toBe(true)
    const result = await clear(settings)

    expect(result.failures).toEqual([])
    expect(result.warnings).toEqual([])
    for (const gone of [
      'frontend/.next',
      'backend/\xe9t\xe9/__pycache__',
      'backend/\xe9t\xe9/x.pyc',
      'backend/a\\xe9\nb/__pycache__'
    ])
      expect([gone, present(at(tree.root, gone))]).toEqual([gone, false])
    for (const kept of ['backend/\xe9t\xe9/keep.py', 'frontend/src/\xe9.cache-not'])
      expect([kept, present(at(tree.root, kept))]).toEqual([kept, true])
    const paths = result.removed.map((r) => r.path)
    expect(paths).toEqual(
      expect.arrayContaining([
        'backend/\\xe9t\\xe9/__pycache__',
        'backend/\\xe9t\\xe9/x.pyc',
        // The backslash is escaped, the newline shown as a byte: one line, unambiguous.
        'backend/a\\\\xe9\\x0ab/__pycache__'
      ])
    )
    expect(result.removed.find((r) => r.path === 'backend/\\xe9t\\xe9/x.pyc')?.bytes).toBeGreaterThanOrEqual(10_000)
    expect(result.removed.find((r) => r.path === 'backend/\\xe9t\\xe9/__pycache__')?.entries).toBe(2)
    expect(dryRun.removed).toEqual(result.removed)
    expect(dryRun.bytes).toBe(result.bytes)
  })

  it('names a file that cannot go by its readable path and the real reason', async () => {
    const tree = makeAppTree(tempDir())
    // An immutable directory: its entry with a byte name cannot be unlinked.
    const locked = path.join(tree.root, 'frontend/.next/cache/locked')
    mkdirSync(locked)
    writeFileSync(at(locked, '\xff\xfe-bytes.js'), 'x')
    if (!makeImmutable(locked)) return
    const result = await clear(testSettings(tree.root, ['frontend']))
    expect(result.failures).toEqual([
      { path: 'frontend/.next/cache/locked/\\xff\\xfe-bytes.js', reason: expect.stringMatching(/^EPERM/) }
    ])
    expect(result.failures[0].reason).not.toMatch(/writing/)
  })

  it('expands extra-path globs over names that are not UTF-8', async () => {
    const tree = makeAppTree(tempDir())
    mkdirSync(at(tree.root, 'tmp/\xe9t\xe9'), { recursive: true })
    writeFileSync(at(tree.root, 'tmp/\xe9t\xe9/a.log'), 'x')
    writeFileSync(at(tree.root, 'tmp/\xe9.log'), 'x')
    writeFileSync(at(tree.root, 'tmp/\xe9.txt'), 'x')
    const result = await clear(testSettings(tree.root, ['backend'], { extraPaths: ['tmp/*/a.log', 'tmp/?.log'] }))
    expect(result.failures).toEqual([])
    expect(
      result.removed
        .filter((r) => r.owner === 'extra')
        .map((r) => r.path)
        .sort()
    ).toEqual(['tmp/\\xe9.log', 'tmp/\\xe9t\\xe9/a.log'])
    expect(present(at(tree.root, 'tmp/\xe9.txt'))).toBe(true)
  })
})

describe('progress', () => {
  it('reports entries and bytes so far while it works, growing, at the interval asked', async () => {
    const base = tempDir()
    const tree = makeAppTree(base)
    for (let i = 0; i < 4000; i++)
      writeFileSync(path.join(tree.root, `frontend/.next/cache/f-${i}`), Buffer.alloc(5000))
    const seen: { entries: number; bytes: number }[] = []
    const result = await removeCaches(await planCacheRemoval(testSettings(tree.root, ['frontend'])), {
      dryRun: false,
      onProgress: (progress) => seen.push(progress),
      progressIntervalMs: 1
    })
    expect(seen.length).toBeGreaterThan(0)
    for (let i = 1; i < seen.length; i++) expect(seen[i].entries).toBeGreaterThanOrEqual(seen[i - 1].entries)
    expect(seen[seen.length - 1].entries).toBeLessThanOrEqual(result.entries)
    expect(seen[seen.length - 1].bytes).toBeLessThanOrEqual(result.bytes)
  })
})

describe('bounded concurrency', () => {
  it('never has more deletes in flight than asked, even with thousands of small caches', async () => {
    const base = tempDir()
    const tree = makeAppTree(base)
    for (let i = 0; i < 2000; i++) {
      mkdirSync(path.join(tree.root, `backend/pkg${i}/__pycache__`), { recursive: true })
      for (let j = 0; j < 3; j++) writeFileSync(path.join(tree.root, `backend/pkg${i}/__pycache__/m${j}.pyc`), 'x')
      writeFileSync(path.join(tree.root, `backend/pkg${i}/stray.pyc`), 'y')
    }
    const result = await removeCaches(await planCacheRemoval(testSettings(tree.root, ['backend'])), {
      dryRun: false,
      operationConcurrency: 16
    })
    expect(result.failures).toEqual([])
    expect(result.removed.length).toBeGreaterThan(4000)
    // A completion may queue its directory's rmdir in its own place: never over.
    expect(result.peakInFlight).toBeGreaterThan(1)
    expect(result.peakInFlight).toBeLessThanOrEqual(16)
  })
})

describe('the mount table', () => {
  const MOUNTINFO = [
    '22 1 252:1 / / rw,relatime shared:1 - ext4 /dev/vda rw',
    '40 22 0:35 / /srv/app/frontend/node_modules rw shared:20 - tmpfs tmpfs rw',
    '41 22 0:36 / /srv/app/frontend/with\\040space rw shared:21 - tmpfs tmpfs rw',
    '42 22 0:37 / /srv/app-other rw shared:22 - tmpfs tmpfs rw',
    '43 22 0:38 / /srv/app/frontend rw shared:23 - tmpfs tmpfs rw'
  ].join('\n')

  it('reads mount points, decoding octal escapes', () => {
    expect(parseMountInfo(MOUNTINFO)).toEqual([
      '/',
      '/srv/app/frontend/node_modules',
      '/srv/app/frontend/with space',
      '/srv/app-other',
      '/srv/app/frontend'
    ])
  })

  it('lists the mount points below a root, relative to it, without the root itself', () => {
    expect(mountPointsBelow('/', MOUNTINFO)).toEqual(
      new Set(['srv/app/frontend/node_modules', 'srv/app/frontend/with space', 'srv/app-other', 'srv/app/frontend'])
    )
  })

  it('a filesystem mounted in the search area is not searched, and what is in it stays', async () => {
    const base = tempDir()
    const tree = makeAppTree(base)
    const mountPoint = path.join(tree.root, 'frontend/src/mounted')
    if (!mountTmpfs(mountPoint)) return
    mkdirSync(path.join(mountPoint, '.cache'))
    writeFileSync(path.join(mountPoint, '.cache/keep'), 'on another filesystem')
    expect(mountPointsBelow(path.join(tree.root, 'frontend'))).toEqual(new Set(['src/mounted']))
    const result = await clear(testSettings(tree.root, ['frontend']))
    expect(readFileSync(path.join(mountPoint, '.cache/keep'), 'utf8')).toBe('on another filesystem')
    expect(result.warnings).toEqual([
      expect.stringMatching(/frontend\/src\/mounted is on another filesystem \(a mount point\): not searched/)
    ])
    expect(exists(path.join(tree.root, 'frontend/src/.cache'))).toBe(false)
  })
})
