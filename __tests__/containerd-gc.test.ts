// src/docker/bbolt.ts and src/docker/stores/containerd-gc.ts, pure: the
// reader on real databases copied from a Docker 28.5 containerd-store engine
// (containerd 2.1; __tests__/fixtures/containerd-gc/, gzipped), and the
// collector's replay against what that engine's real prune deleted.
import { describe, expect, test } from '@jest/globals'
import { execFile, execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { gunzipSync } from 'node:zlib'
import { BoltDb, BoltFormatError, readUvarint } from '../src/docker/bbolt.js'
import { COLLECTOR_QUIET_READS, COLLECTOR_TRIES, SETTLE_PAUSE_MS } from '../src/docker/settle.js'
import { buildCacheRecords } from '../src/docker/prune-model.js'
import { recordLeases, simulateCollection } from '../src/docker/stores/containerd-gc.js'
import {
  containerReaderProgram,
  containerSettleProgram,
  DATABASE_READS,
  dropAfterPrune,
  hostReader,
  viewsReleased
} from '../src/docker/stores/containerd.js'
import { LocalHost } from '../src/host/local.js'
import { wrapExec } from './helpers/wrapped-host.js'

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'containerd-gc')
const read = (name: string, file: string): Buffer => readFileSync(path.join(fixtures, name, file))
const db = (name: string, file: string): BoltDb => BoltDb.open(gunzipSync(read(name, `${file}.gz`)))
// When the fixture was taken: its leases' gc.expire labels are read against this.
const TAKEN = Date.parse('2026-12-02T15:01:00Z')

describe('bbolt reader', () => {
  const meta = db('dangling', 'meta.db')

  test("reads containerd's metadata: namespace moby, its images, leases, blobs and snapshots", () => {
    const moby = meta.root.path('v1', 'moby')
    expect(moby).toBeDefined()
    const images = [...(moby?.bucket('images')?.buckets() ?? [])].map(([name]) => name)
    expect(images).toEqual(expect.arrayContaining(['docker.io/library/f:1', 'docker.io/library/ms:1']))
    const target = moby?.path('images', 'docker.io/library/f:1', 'target')?.get('digest')?.toString()
    expect(target).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(moby?.path('content', 'blob', target ?? '')).toBeDefined()
    const leases = [...(moby?.bucket('leases')?.buckets() ?? [])]
    expect(leases.length).toBeGreaterThan(10)
    const snapshots = [...(moby?.path('snapshots', 'overlayfs')?.buckets() ?? [])]
    expect(snapshots.length).toBeGreaterThan(10)
    // Keys come in order (bbolt's leaves are sorted), across branch pages too.
    const keys = leases.map(([id]) => id)
    expect([...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))).toEqual(keys)
  })

  test("reads the overlayfs snapshotter's metadata: every snapshot has a numeric id", () => {
    const overlay = db('dangling', 'metadata.db')
    const snapshots = [...(overlay.root.path('v1', 'snapshots')?.buckets() ?? [])]
    expect(snapshots.length).toBeGreaterThan(10)
    for (const [name, bucket] of snapshots) {
      expect(name).toMatch(/^moby\/\d+\//)
      expect(readUvarint(bucket.get('id') ?? Buffer.alloc(0))).toBeGreaterThan(0)
    }
  })

  test('refuses what is not a bbolt file, and a copy whose pages are not where the meta says', () => {
    expect(() => BoltDb.open(Buffer.alloc(8192))).toThrow(BoltFormatError)
    expect(() => BoltDb.open(Buffer.from('not a database'))).toThrow(BoltFormatError)
    const torn = gunzipSync(read('dangling', 'meta.db.gz'))
    const { pageSize } = BoltDb.open(torn)
    // Every page after the two meta pages zeroed: the root page is not there any more.
    torn.fill(0, 2 * pageSize)
    expect(() => [...BoltDb.open(torn).root.entries()]).toThrow(BoltFormatError)
  })

  test('Go varints', () => {
    expect(readUvarint(Buffer.from([0x01]))).toBe(1)
    expect(readUvarint(Buffer.from([0xac, 0x02]))).toBe(300)
    expect(readUvarint(Buffer.from([0x80]))).toBeUndefined()
  })
})

describe("containerd's collector, replayed", () => {
  const meta = db('dangling', 'meta.db')
  const overlay = db('dangling', 'metadata.db')
  const records = buildCacheRecords(JSON.parse(read('dangling', 'system-df.json').toString()))
  const pruned = (JSON.parse(read('dangling', 'prune.json').toString()) as { CachesDeleted: string[] }).CachesDeleted
  const vanished = read('dangling', 'vanished.txt').toString().trim().split('\n')

  test('with no lease gone, nothing is dropped (everything on disk is held)', () => {
    const drop = simulateCollection(meta, overlay, () => false, TAKEN)
    expect([...drop.blobs]).toEqual([])
    expect([...drop.snapshotIds]).toEqual([])
  })

  test("the records a real dangling-only prune deleted: exactly the snapshot directories and blobs that vanished from that engine's disk", () => {
    const drop = dropAfterPrune(meta, overlay, records, pruned, TAKEN)
    const predicted = [...[...drop.snapshotIds].map(String), ...[...drop.blobs].map((d) => d.replace('sha256:', ''))]
    expect(predicted.sort()).toEqual([...vanished].sort())
    expect(drop.leasesRemoved.length).toBeGreaterThanOrEqual(pruned.length)
  })

  test('without the released views, a view snapshot would be missed: BuildKit deletes the view of a record whose last child goes', () => {
    const views = viewsReleased(records, new Set(pruned))
    expect(views.size).toBeGreaterThan(0)
    const leasesOnly = simulateCollection(meta, overlay, recordLeases(pruned), TAKEN)
    expect(leasesOnly.snapshotIds.size).toBeLessThan(
      dropAfterPrune(meta, overlay, records, pruned, TAKEN).snapshotIds.size
    )
  })

  test('every lease gone and the images kept: only what images do not hold is dropped', () => {
    const drop = simulateCollection(meta, overlay, () => true, TAKEN)
    const all = dropAfterPrune(meta, overlay, records, pruned, TAKEN)
    expect(drop.snapshotIds.size).toBeGreaterThan(all.snapshotIds.size)
    // The images' own snapshots and their blobs stay.
    const moby = meta.root.path('v1', 'moby')
    const target = moby?.path('images', 'docker.io/library/f:1', 'target')?.get('digest')?.toString() ?? ''
    expect(drop.blobs.has(target)).toBe(false)
  })

  test('recordLeases: a record, its -variants and -view leases, nothing else', () => {
    const gone = recordLeases(['abc'])
    expect(['abc', 'abc-variants', 'abc-view'].map((l) => gone('moby', l))).toEqual([true, true, true])
    expect(['abcd', 'x-abc', 'abc-other', '123-abc'].map((l) => gone('moby', l))).toEqual([false, false, false, false])
  })
})

describe("the throwaway container's reading program", () => {
  test('sizes as du -B1 does (each entry below, hard links once) and leaves out its own writable snapshot', () => {
    const root = mkdtempSync('/tmp/cac-ctrd-')
    try {
      const snapshots = path.join(root, 'io.containerd.snapshotter.v1.overlayfs', 'snapshots')
      const blobs = path.join(root, 'io.containerd.content.v1.content', 'blobs', 'sha256')
      for (const id of ['1', '2']) mkdirSync(path.join(snapshots, id, 'fs'), { recursive: true })
      writeFileSync(path.join(snapshots, '1', 'fs', 'a'), randomBytes(100_000))
      writeFileSync(path.join(snapshots, '2', 'fs', 'b'), randomBytes(5_000))
      linkSync(path.join(snapshots, '2', 'fs', 'b'), path.join(snapshots, '2', 'fs', 'b2'))
      mkdirSync(blobs, { recursive: true })
      writeFileSync(path.join(blobs, 'a'.repeat(64)), randomBytes(70_000))
      const program = containerReaderProgram(root, false)
      const read = JSON.parse(execFileSync(process.execPath, ['-e', program], { encoding: 'utf8' })) as {
        snapshots: Record<string, number>
        blobs: Record<string, number>
      }
      const du = (dir: string, all: boolean): Record<string, number> =>
        Object.fromEntries(
          execFileSync('du', ['-B1', '-d1', ...(all ? ['-a'] : []), dir], { encoding: 'utf8' })
            .trim()
            .split('\n')
            .map((line) => line.split('\t'))
            .filter(([, p]) => p !== dir)
            .map(([bytes, p]) => [path.basename(p), Number(bytes)])
        )
      expect(read.snapshots).toEqual(du(snapshots, false))
      expect(read.blobs).toEqual(du(blobs, true))
      // Its own snapshot is found in /proc/self/mountinfo's upperdir; outside a container there is none.
      expect(program).toContain('/proc/self/mountinfo')
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })
})

describe("the throwaway container's settling program", () => {
  test('lists the entries once they stop vanishing, not before', async () => {
    const root = mkdtempSync('/tmp/cac-ctrd-')
    try {
      const snapshots = path.join(root, 'io.containerd.snapshotter.v1.overlayfs', 'snapshots')
      const blobs = path.join(root, 'io.containerd.content.v1.content', 'blobs', 'sha256')
      for (const id of ['1', '2', '3', '4']) mkdirSync(path.join(snapshots, id, 'fs'), { recursive: true })
      mkdirSync(blobs, { recursive: true })
      for (const digest of ['a', 'b']) writeFileSync(path.join(blobs, digest.repeat(64)), 'x')
      const listed = promisify(execFile)(process.execPath, [
        '-e',
        containerSettleProgram(root, { snapshots: ['1', '2', '3', '4'], blobs: ['a'.repeat(64), 'b'.repeat(64)] })
      ]).then(({ stdout }) => stdout)
      // As containerd's collector does a moment after a prune answers: entries go while the program reads, each
      // less than a pause after the one before, so that no two of its listings agree until the last has gone.
      for (const gone of [path.join(snapshots, '2'), path.join(blobs, 'b'.repeat(64)), path.join(snapshots, '4')]) {
        await new Promise((resolve) => setTimeout(resolve, 200))
        rmSync(gone, { recursive: true })
      }
      const read = JSON.parse(await listed) as { snapshots: string[]; blobs: string[] }
      expect(read.snapshots.sort()).toEqual(['1', '3'])
      expect(read.blobs).toEqual(['a'.repeat(64)])
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })

  test('waits for a collector that starts seconds after the prune, and not much longer when nothing goes', async () => {
    const root = mkdtempSync('/tmp/cac-ctrd-')
    try {
      const snapshots = path.join(root, 'io.containerd.snapshotter.v1.overlayfs', 'snapshots')
      const blobs = path.join(root, 'io.containerd.content.v1.content', 'blobs', 'sha256')
      for (const id of ['1', '2']) mkdirSync(path.join(snapshots, id, 'fs'), { recursive: true })
      mkdirSync(blobs, { recursive: true })
      const settle = (before: string[]): Promise<{ snapshots: string[]; blobs: string[] }> =>
        promisify(execFile)(process.execPath, [
          '-e',
          containerSettleProgram(root, { snapshots: before, blobs: [] })
        ]).then(({ stdout }) => JSON.parse(stdout) as { snapshots: string[]; blobs: string[] })
      const late = settle(['1', '2'])
      await new Promise((resolve) => setTimeout(resolve, 2500))
      rmSync(path.join(snapshots, '2'), { recursive: true })
      expect((await late).snapshots).toEqual(['1'])

      const started = Date.now()
      expect((await settle(['1'])).snapshots).toEqual(['1'])
      const waited = Date.now() - started
      expect(waited).toBeGreaterThanOrEqual(COLLECTOR_QUIET_READS * SETTLE_PAUSE_MS - 100)
      expect(waited).toBeLessThan(COLLECTOR_TRIES * SETTLE_PAUSE_MS)
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })
})

describe("copying containerd's databases while containerd may commit", () => {
  // Each copy of meta.db after the first sees the next of `contents`, as a copy taken during a commit sees
  // another file than the copy before it: the host's cat through a Host that rewrites the file once each
  // cat of it has ended; the container's program with its fs.readFileSync answering in turn (a preload).
  const META = 'io.containerd.metadata.v1.bolt/meta.db'
  const readers: [string, (root: string, contents: string[]) => Promise<{ meta: Buffer; overlay: Buffer }>][] = [
    [
      "the host's cat",
      (root, contents) => {
        let copies = 0
        const host = wrapExec(new LocalHost(), (argv, process) => {
          if (argv[1] !== `${root}/${META}`) return process
          const exit = process.exit.then((ended) => {
            writeFileSync(argv[1], contents[Math.min(++copies, contents.length - 1)])
            return ended
          })
          return { ...process, exit, kill: () => process.kill() }
        })
        writeFileSync(`${root}/${META}`, contents[0])
        return hostReader(host).databases(root)
      }
    ],
    [
      "the throwaway container's program",
      async (root, contents) => {
        const preload = path.join(root, 'commits.cjs')
        writeFileSync(
          preload,
          `const fs = require('fs'); const read = fs.readFileSync; const contents = ${JSON.stringify(contents)}; let n = 0
fs.readFileSync = (file, ...rest) => String(file).endsWith('/${META}') ? Buffer.from(contents[Math.min(n++, contents.length - 1)]) : read(file, ...rest)`
        )
        const { stdout } = await promisify(execFile)(process.execPath, [
          '--require',
          preload,
          '-e',
          containerReaderProgram(root, true)
        ])
        const read = JSON.parse(stdout) as { meta: string; overlay: string }
        return { meta: Buffer.from(read.meta, 'base64'), overlay: Buffer.from(read.overlay, 'base64') }
      }
    ]
  ]
  const withRoot = async (run: (root: string) => Promise<void>): Promise<void> => {
    const root = mkdtempSync('/tmp/cac-ctrd-db-')
    try {
      mkdirSync(path.join(root, 'io.containerd.metadata.v1.bolt'))
      mkdirSync(path.join(root, 'io.containerd.snapshotter.v1.overlayfs', 'snapshots'), { recursive: true })
      mkdirSync(path.join(root, 'io.containerd.content.v1.content', 'blobs', 'sha256'), { recursive: true })
      writeFileSync(path.join(root, 'io.containerd.snapshotter.v1.overlayfs', 'metadata.db'), 'overlay')
      await run(root)
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  }

  test.each(readers)('%s: copies again until two copies in a row agree, and returns that one', async (_, databases) => {
    await withRoot(async (root) => {
      const files = await databases(root, ['torn 1', 'torn 2', 'whole', 'whole', 'later'])
      expect(files.meta.toString()).toBe('whole')
      expect(files.overlay.toString()).toBe('overlay')
    })
  })

  test.each(readers)('%s: stops after DATABASE_READS copies that never agree, with the last', async (_, databases) => {
    await withRoot(async (root) => {
      const contents = Array.from({ length: DATABASE_READS + 2 }, (_, n) => `commit ${n}`)
      const files = await databases(root, contents)
      expect(files.meta.toString()).toBe(`commit ${DATABASE_READS - 1}`)
    })
  })
})
