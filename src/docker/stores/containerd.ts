// The containerd image store's room: what a build-cache prune would free
// and what it did free, read from containerd's own disk on the engine's host
// (through the run's Host: this machine, or one reached over SSH).
//
// On this store a BuildKit record holds a containerd lease (its ID, with
// `-variants` and `-view`) over its snapshots and content blobs. A prune
// deletes leases; containerd's garbage collector then deletes the snapshot
// directories (<root>/io.containerd.snapshotter.v1.overlayfs/snapshots/<id>)
// and blob files (<root>/io.containerd.content.v1.content/blobs/sha256/*)
// nothing else holds. So:
// - really freed = the allocated size (du) of the snapshot directories and
//   blobs that were there before the prune and are gone after it: the
//   prune's own bytes, whatever else writes to that filesystem;
// - the dry run = the same sizes of what containerd's collector would drop
//   once the records' leases are gone, replayed on a copy of its metadata
//   (containerd-gc.ts).
// containerd's root is found from the containerd process serving the
// engine's containerd socket (/proc, its --root or its config's `root`):
// <data-root>/containerd/daemon when dockerd runs its own, /var/lib/containerd
// for the system one. Where it cannot be read, prune.ts falls back to the
// free space of the data root's filesystem and says so.
import { createHash } from 'node:crypto'
import { isPlainPath, runToEnd, type Host } from '../../host/host.js'
import { runInContainer } from '../container.js'
import type { EngineClient } from '../engine.js'
import { BoltDb, BoltFormatError } from '../bbolt.js'
import type { BuildCacheRecord } from '../prune-model.js'
import { COLLECTOR_QUIET_READS, COLLECTOR_TRIES, readUntilSettled, SETTLE_PAUSE_MS } from '../settle.js'
import { recordLeases, simulateCollection, type ContainerdDrop } from './containerd-gc.js'

const SNAPSHOTS = 'io.containerd.snapshotter.v1.overlayfs/snapshots'
const OVERLAY_DB = 'io.containerd.snapshotter.v1.overlayfs/metadata.db'
const BLOBS = 'io.containerd.content.v1.content/blobs/sha256'
const META_DB = 'io.containerd.metadata.v1.bolt/meta.db'
/**
 * The most copies of the two databases taken in a row until two agree. A copy read while containerd
 * commits can be torn and still parse (bbolt reuses the pages of an older tree in place, under their
 * own ids), and the two files copied apart can come from different commits: two copies in a row that
 * agree byte for byte saw no commit to either file between them.
 */
export const DATABASE_READS = 8

/** Why containerd's disk could not be read: for the fallback's note. */
export class ContainerdDiskError extends Error {
  override name = 'ContainerdDiskError'
}

// Finds the root of the containerd that listens on $1 from /proc: its
// --root, else its config's top-level `root`, else containerd's default. A
// process with no --address is matched by its config's [grpc] address or
// the default socket. Prints one root per match. Read by `sh -s` from stdin:
// no word of it travels on a command line.
const LOCATE_SCRIPT = String.raw`
want=$1
for p in /proc/[0-9]*; do
  comm=; read -r comm < "$p/comm" 2>/dev/null || continue
  [ "$comm" = containerd ] || continue
  args=$(tr '\000' '\n' < "$p/cmdline" 2>/dev/null) || continue
  first=$(printf '%s\n' "$args" | head -n 1)
  case "$(basename -- "$first")" in containerd) ;; *) continue ;; esac
  root=; config=/etc/containerd/config.toml; address=; prev=
  while IFS= read -r a; do
    case "$prev" in --root|-root) root=$a ;; --config|-c) config=$a ;; --address|-a) address=$a ;; esac
    value=$(printf '%s\n' "$a" | cut -d= -f2-)
    case "$a" in --root=*) root=$value ;; --config=*) config=$value ;; --address=*) address=$value ;; esac
    prev=$a
  done <<EOF
$args
EOF
  case "$config" in /*) ;; *) config="$p/cwd/$config" ;; esac
  # A config this user cannot read may set any root: unknown, not the default.
  if [ -e "$config" ] && [ ! -r "$config" ]; then [ -n "$root" ] || continue; fi
  if [ -r "$config" ]; then
    [ -n "$root" ] || root=$(sed -n '/^[[:space:]]*\[/q; s/^[[:space:]]*root[[:space:]]*=[[:space:]]*"\([^"]*\)".*/\1/p' "$config" | head -n 1)
    [ -n "$address" ] || address=$(sed -n '/^[[:space:]]*\[grpc\]/,/^[[:space:]]*\[[^g]/ s/^[[:space:]]*address[[:space:]]*=[[:space:]]*"\([^"]*\)".*/\1/p' "$config" | head -n 1)
  fi
  [ -n "$root" ] || root=/var/lib/containerd
  [ -n "$address" ] || address=/run/containerd/containerd.sock
  [ "$address" = "$want" ] && printf '%s\n' "$root"
done
exit 0
`

/**
 * The roots to try for the engine: the containerd process serving `address`
 * (from /info's Containerd.Address) as /proc tells, else dockerd's own
 * containerd's, <data-root>/containerd/daemon (its reader checks it).
 */
export async function containerdRootCandidates(
  host: Host,
  dataRoot: string,
  address: string | undefined
): Promise<string[]> {
  if (address && isPlainPath(address)) {
    const found = await runToEnd(host, ['sh', '-s', address], LOCATE_SCRIPT).catch(() => undefined)
    const roots = [...new Set((found?.stdout.toString('utf8') ?? '').split('\n').filter(isPlainPath))]
    if (roots.length === 1) return [roots[0].replace(/(.)\/+$/, '$1')]
  }
  const managed = `${dataRoot.replace(/\/+$/, '')}/containerd/daemon`
  return isPlainPath(managed) ? [managed] : []
}

/** What containerd keeps on disk that a prune can free: each snapshot directory and blob with its size. */
export interface ContainerdDisk {
  readonly root: string
  /** Allocated bytes (du) by snapshot directory id. */
  readonly snapshots: ReadonlyMap<number, number>
  /** Allocated bytes (du) by blob digest ("sha256:…"). */
  readonly blobs: ReadonlyMap<string, number>
}

/** The snapshot directories and blobs containerd holds, by name only: what is left after a prune. */
export interface ContainerdEntries {
  readonly snapshots: ReadonlySet<number> | ReadonlyMap<number, number>
  readonly blobs: ReadonlySet<string> | ReadonlyMap<string, number>
}

/** How containerd's directories are read: on the host itself, or from a throwaway container. */
export interface ContainerdReader {
  /** For the summary: "on the engine's host", "from a throwaway container (image)". */
  readonly where: string
  /** Sizes every snapshot directory and blob under `root`. */
  sizes(root: string): Promise<ContainerdDisk>
  /**
   * The entries under `root` once some entry of `before` has vanished and nothing more does (two listings
   * SETTLE_PAUSE_MS apart name the same entries), or after ~5 s without any change, at most ~30 s: containerd's
   * collector runs a moment after the prune answers, maybe seconds (settle.ts). Names only: what vanished is
   * sized from `before`.
   */
  settledEntries(root: string, before: ContainerdEntries): Promise<ContainerdEntries>
  /**
   * containerd's meta.db and the overlayfs snapshotter's metadata.db, whole: copied again until two
   * copies in a row agree (DATABASE_READS at most, then the last).
   */
  databases(root: string): Promise<{ meta: Buffer; overlay: Buffer }>
}

const PERMISSION = /permission denied/i

/** A snapshot directory's name as its id, or undefined for anything else there. */
const snapshotId = (name: string): number | undefined => (/^\d+$/.test(name) ? Number(name) : undefined)
/** A blob file's name as its digest ("sha256:…"), or undefined for anything else there. */
const blobDigest = (name: string): string | undefined => (/^[0-9a-f]{64}$/.test(name) ? `sha256:${name}` : undefined)
/** A digest as its blob file's name, the inverse of blobDigest. */
const blobFileName = (digest: string): string => digest.slice('sha256:'.length)

function entriesOf(snapshotNames: Iterable<string>, blobNames: Iterable<string>): ContainerdEntries {
  const snapshots = new Set<number>()
  for (const name of snapshotNames) {
    const id = snapshotId(name)
    if (id !== undefined) snapshots.add(id)
  }
  const blobs = new Set<string>()
  for (const name of blobNames) {
    const digest = blobDigest(name)
    if (digest !== undefined) blobs.add(digest)
  }
  return { snapshots, blobs }
}

/** A key that changes when any entry comes or goes. */
const entriesKey = (entries: ContainerdEntries): string =>
  `${[...entries.snapshots.keys()].join()}|${[...entries.blobs.keys()].join()}`

/** True when some entry of `before` is not in `after`. */
const someVanished = (before: ContainerdEntries, after: ContainerdEntries): boolean =>
  [...before.snapshots.keys()].some((id) => !after.snapshots.has(id)) ||
  [...before.blobs.keys()].some((digest) => !after.blobs.has(digest))

function diskOf(
  root: string,
  snapshotDirs: Iterable<[string, number]>,
  blobFiles: Iterable<[string, number]>
): ContainerdDisk {
  const snapshots = new Map<number, number>()
  for (const [name, bytes] of snapshotDirs) {
    const id = snapshotId(name)
    if (id !== undefined) snapshots.set(id, bytes)
  }
  const blobs = new Map<string, number>()
  for (const [name, bytes] of blobFiles) {
    const digest = blobDigest(name)
    if (digest !== undefined) blobs.set(digest, bytes)
  }
  return { root, snapshots, blobs }
}

/** `du -B1 -d1 [-a] dir`: allocated bytes of each entry directly below `dir` (inodes counted once). */
async function sizesBelow(host: Host, dir: string, files: boolean): Promise<Map<string, number>> {
  const { code, stdout, stderr } = await runToEnd(host, ['du', '-B1', '-d1', ...(files ? ['-a'] : []), dir])
  if (PERMISSION.test(stderr)) throw new ContainerdDiskError(`cannot read ${dir} as this user`)
  // An entry the collector deleted mid-walk makes du exit 1 ("No such file"); the others are still right.
  if (code !== 0 && (!/no such file/i.test(stderr) || !stdout.toString().includes(`\t${dir}\n`)))
    throw new ContainerdDiskError(`du ${dir}: ${stderr.trim().split('\n')[0] || `exit ${String(code)}`}`)
  const sizes = new Map<string, number>()
  for (const line of stdout.toString('utf8').split('\n')) {
    const tab = line.indexOf('\t')
    if (tab < 0) continue
    const path = line.slice(tab + 1)
    if (!path.startsWith(`${dir}/`)) continue
    sizes.set(path.slice(dir.length + 1), Number(line.slice(0, tab)))
  }
  return sizes
}

/** `ls -1 dir`: the names directly below `dir`. */
async function namesBelow(host: Host, dir: string): Promise<string[]> {
  const { code, stdout, stderr } = await runToEnd(host, ['ls', '-1', dir])
  if (code !== 0) throw new ContainerdDiskError(`ls ${dir}: ${stderr.trim().split('\n')[0] || `exit ${String(code)}`}`)
  return stdout.toString('utf8').split('\n').filter(Boolean)
}

async function readFile(host: Host, path: string): Promise<Buffer> {
  const { code, stdout, stderr } = await runToEnd(host, ['cat', path])
  if (code !== 0)
    throw new ContainerdDiskError(`cannot read ${path}: ${stderr.trim().split('\n')[0] || `exit ${String(code)}`}`)
  return stdout
}

/** Reads with the host's own du and cat (root, or a user who may read containerd's root). */
export function hostReader(host: Host): ContainerdReader {
  return {
    where: host.remote ? `on ${host.name} (du)` : "on the engine's host (du)",
    async sizes(root) {
      if (!isPlainPath(root))
        throw new ContainerdDiskError(`containerd's root ${JSON.stringify(root)} is not a plain path`)
      const [snapshotDirs, blobFiles] = await Promise.all([
        sizesBelow(host, `${root}/${SNAPSHOTS}`, false),
        sizesBelow(host, `${root}/${BLOBS}`, true)
      ])
      return diskOf(root, snapshotDirs, blobFiles)
    },
    settledEntries(root, before) {
      const list = async (): Promise<ContainerdEntries> => {
        const [snapshots, blobs] = await Promise.all([
          namesBelow(host, `${root}/${SNAPSHOTS}`),
          namesBelow(host, `${root}/${BLOBS}`)
        ])
        return entriesOf(snapshots, blobs)
      }
      return readUntilSettled(list, entriesKey, {
        ready: (after) => someVanished(before, after),
        tries: COLLECTOR_TRIES,
        quietReads: COLLECTOR_QUIET_READS
      })
    },
    databases(root) {
      const copy = async (): Promise<{ meta: Buffer; overlay: Buffer }> => {
        const [meta, overlay] = await Promise.all([
          readFile(host, `${root}/${META_DB}`),
          readFile(host, `${root}/${OVERLAY_DB}`)
        ])
        return { meta, overlay }
      }
      const digest = ({ meta, overlay }: { meta: Buffer; overlay: Buffer }): string =>
        createHash('sha256').update(meta).update('\0').update(overlay).digest('hex')
      return readUntilSettled(copy, digest, { tries: DATABASE_READS - 1, pauseMs: 0 })
    }
  }
}

/**
 * The program a throwaway container's node runs (CommonJS): sizes as `du -B1`
 * counts (st_blocks * 512, each inode once per tree), and the databases in
 * base64 when asked. It only reads: containerd's root is mounted read-only.
 */
export function containerReaderProgram(root: string, withDatabases: boolean): string {
  return `'use strict'
const fs = require('fs')
const root = ${JSON.stringify(root)}
function below(dir) {
  const seen = new Set()
  const size = (p) => {
    let st
    try { st = fs.lstatSync(p) } catch (e) { if (e.code === 'ENOENT') return 0; throw e }
    let n = 0
    const key = st.dev + ':' + st.ino
    if (!seen.has(key)) { seen.add(key); n = st.blocks * 512 }
    if (st.isDirectory()) {
      let names = []
      try { names = fs.readdirSync(p) } catch (e) { if (e.code !== 'ENOENT') throw e }
      for (const name of names) n += size(p + '/' + name)
    }
    return n
  }
  const out = {}
  for (const name of fs.readdirSync(dir)) out[name] = size(dir + '/' + name)
  return out
}
const snapshots = below(root + '/${SNAPSHOTS}')
// This container's own snapshots (its writable layer, its init layer, its image's layers; overlay's
// upperdir and lowerdir, maybe relative) are no part of the cache: they go with the container, or stay.
const rootMount = fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\\n').find((line) => line.split(' ')[4] === '/')
const own = rootMount ? [...rootMount.matchAll(/(?:\\/snapshots\\/|[=:])(\\d+)\\/fs(?=[,:\\s]|$)/g)].map((m) => m[1]) : []
for (const id of own) delete snapshots[id]
const result = { snapshots, blobs: below(root + '/${BLOBS}'), own }
if (${String(withDatabases)}) {
  // Copied until two copies in a row agree, as the host reader does (DATABASE_READS).
  const copy = () => [fs.readFileSync(root + '/${META_DB}'), fs.readFileSync(root + '/${OVERLAY_DB}')]
  let files = copy()
  for (let n = 1; n < ${DATABASE_READS}; n++) {
    const again = copy()
    const same = again[0].equals(files[0]) && again[1].equals(files[1])
    files = again
    if (same) break
  }
  result.meta = files[0].toString('base64')
  result.overlay = files[1].toString('base64')
}
process.stdout.write(JSON.stringify(result))
`
}

/**
 * The program a throwaway container's node runs to list containerd's entries until they settle, as
 * settledEntries does on the host (`before`: the names listed before the prune): one container, where a
 * listing each would start many.
 */
export function containerSettleProgram(root: string, before: { snapshots: string[]; blobs: string[] }): string {
  return `'use strict'
const fs = require('fs')
const root = ${JSON.stringify(root)}
const before = ${JSON.stringify([before.snapshots, before.blobs])}
const list = () => [root + '/${SNAPSHOTS}', root + '/${BLOBS}'].map((dir) => fs.readdirSync(dir))
const vanished = (now) => before.some((names, i) => { const left = new Set(now[i]); return names.some((n) => !left.has(n)) })
const pause = new Int32Array(new SharedArrayBuffer(4))
let last = list()
let unchanged = 0
for (let tries = 0; tries < ${COLLECTOR_TRIES}; tries++) {
  Atomics.wait(pause, 0, 0, ${SETTLE_PAUSE_MS})
  const next = list()
  unchanged = JSON.stringify(next) === JSON.stringify(last) ? unchanged + 1 : 0
  last = next
  if (unchanged > 0 && (vanished(next) || unchanged >= ${COLLECTOR_QUIET_READS})) break
}
process.stdout.write(JSON.stringify({ snapshots: last[0], blobs: last[1] }))
`
}

/** Names as containerd's directories hold them. */
const namesOf = (entries: ContainerdEntries): { snapshots: string[]; blobs: string[] } => ({
  snapshots: [...entries.snapshots.keys()].map(String),
  blobs: [...entries.blobs.keys()].map(blobFileName)
})

/** The writable snapshots of this process's reading containers, as "<root>/<id>" (ids are never reused). */
const readerSnapshots = new Set<string>()

/**
 * Reads from a throwaway container of `image` that the engine runs with
 * containerd's root mounted read-only (docker/container.ts: labelled,
 * removed afterwards): what a user in the docker group can do where
 * containerd's directories belong to root.
 */
export function containerReader(engine: EngineClient, apiVersion: string, image: string): ContainerdReader {
  const output = async (root: string, program: string): Promise<string> => {
    const done = await runInContainer(engine, apiVersion, image, root, program, { readOnly: true }).catch(
      (error: unknown) => {
        throw new ContainerdDiskError(error instanceof Error ? error.message : String(error))
      }
    )
    if (done.code !== 0)
      throw new ContainerdDiskError(
        `the reading container ended with ${done.code}: ${done.stderr.trim().split('\n').slice(-1)[0] ?? ''}`
      )
    return done.stdout
  }
  const run = async (root: string, withDatabases: boolean) => {
    const read = JSON.parse(await output(root, containerReaderProgram(root, withDatabases))) as {
      snapshots: Record<string, number>
      blobs: Record<string, number>
      own?: string[]
      meta?: string
      overlay?: string
    }
    // A reading container's snapshot outlives it until containerd collects it: never count one as freed.
    for (const id of read.own ?? []) readerSnapshots.add(`${root}/${id}`)
    for (const id of Object.keys(read.snapshots)) if (readerSnapshots.has(`${root}/${id}`)) delete read.snapshots[id]
    return read
  }
  return {
    where: `from a throwaway container (${image}) with containerd's root mounted read-only`,
    async sizes(root) {
      const read = await run(root, false)
      return diskOf(root, Object.entries(read.snapshots), Object.entries(read.blobs))
    },
    async settledEntries(root, before) {
      const read = JSON.parse(await output(root, containerSettleProgram(root, namesOf(before)))) as {
        snapshots: string[]
        blobs: string[]
      }
      return entriesOf(read.snapshots, read.blobs)
    },
    async databases(root) {
      const read = await run(root, true)
      return { meta: Buffer.from(read.meta ?? '', 'base64'), overlay: Buffer.from(read.overlay ?? '', 'base64') }
    }
  }
}

/** What vanished between two readings, in bytes: the snapshots and blobs gone, at their size before. */
export function vanishedBytes(before: ContainerdDisk, after: ContainerdEntries): number {
  let bytes = 0
  for (const [id, size] of before.snapshots) if (!after.snapshots.has(id)) bytes += size
  for (const [digest, size] of before.blobs) if (!after.blobs.has(digest)) bytes += size
  return bytes
}

/**
 * The records whose `-view` lease BuildKit also deletes: a record whose
 * last child goes releases its last reference, and with it its view
 * (cache/refs.go). Seen on Engine 28.5: the parent of pruned records loses
 * its `<id>-view` lease though the record stays.
 */
export function viewsReleased(records: readonly BuildCacheRecord[], removed: ReadonlySet<string>): Set<string> {
  const children = new Map<string, string[]>()
  for (const record of records)
    for (const parent of record.Parents) children.set(parent, [...(children.get(parent) ?? []), record.ID])
  const released = new Set<string>()
  for (const [parent, kids] of children)
    if (!removed.has(parent) && kids.some((k) => removed.has(k)) && kids.every((k) => removed.has(k)))
      released.add(parent)
  return released
}

export interface ContainerdPrediction {
  readonly bytes: number
  readonly snapshots: number
  readonly blobs: number
}

/**
 * What containerd's collector drops once `removed` (record IDs) are pruned:
 * their leases go, and the `-view` leases of records whose last child goes
 * (viewsReleased).
 */
export function dropAfterPrune(
  meta: BoltDb,
  overlay: BoltDb,
  records: readonly BuildCacheRecord[],
  removed: readonly string[],
  now: number = Date.now()
): ContainerdDrop {
  const removedSet = new Set(removed)
  const leases = recordLeases(removedSet)
  const views = viewsReleased(records, removedSet)
  return simulateCollection(
    meta,
    overlay,
    (ns, lease) => leases(ns, lease) || (lease.endsWith('-view') && views.has(lease.slice(0, -'-view'.length))),
    now
  )
}

/**
 * What containerd's collector would free once each removal (record IDs) is
 * pruned, sized from `disk`: replayed on one copy of containerd's metadata.
 * One prediction per removal, in order.
 */
export async function predictFreed(
  reader: ContainerdReader,
  disk: ContainerdDisk,
  records: readonly BuildCacheRecord[],
  removals: readonly (readonly string[])[]
): Promise<ContainerdPrediction[]> {
  const drops = await dropOnACopy(reader, disk.root, records, removals)
  return drops.map((drop) => {
    let bytes = 0
    let snapshots = 0
    let blobs = 0
    for (const id of drop.snapshotIds) {
      const size = disk.snapshots.get(id)
      if (size === undefined) continue
      bytes += size
      snapshots++
    }
    for (const digest of drop.blobs) {
      const size = disk.blobs.get(digest)
      if (size === undefined) continue
      bytes += size
      blobs++
    }
    return { bytes, snapshots, blobs }
  })
}

/**
 * dropAfterPrune on a copy of containerd's metadata and the overlayfs
 * snapshotter's, copied whole while containerd may be writing: the reader
 * copies until two copies agree; one that never did and fails to read
 * (BoltFormatError) is copied again, thrice at most.
 */
async function dropOnACopy(
  reader: ContainerdReader,
  root: string,
  records: readonly BuildCacheRecord[],
  removals: readonly (readonly string[])[]
): Promise<ContainerdDrop[]> {
  for (let attempt = 1; ; attempt++) {
    try {
      const files = await reader.databases(root)
      const meta = BoltDb.open(files.meta)
      const overlay = BoltDb.open(files.overlay)
      return removals.map((removed) => dropAfterPrune(meta, overlay, records, removed))
    } catch (error) {
      if (!(error instanceof BoltFormatError) || attempt >= 3) throw error
    }
  }
}

/** The summary's "measured as" line for each way this room measured. */
export const CONTAINERD_MEASURES = {
  real: (root: string, where: string): string =>
    `containerd's snapshot directories and content blobs (under ${root}) that the prune's garbage collection deleted, ` +
    `sized before the prune ${where}: other writes to that disk do not count`,
  dryRun: (root: string, where: string): string =>
    `containerd's snapshot directories and content blobs (under ${root}) that its garbage collection would delete ` +
    `once these records' leases are gone (replayed on a copy of containerd's metadata), sized ${where}`,
  fallbackNote: (reason: string): string =>
    `containerd's own directories could not be read (${reason}), so this figure is the free-space change of the ` +
    `data root's filesystem, which other writes to that disk move too.`
} as const

/** Where the room may run a reading container: the engine, and the image to run (one with node). */
export interface ContainerAccess {
  readonly engine: EngineClient
  readonly apiVersion: string
  readonly image: string
}

export interface OpenedContainerdDisk {
  readonly disk: ContainerdDisk
  readonly reader: ContainerdReader
}

/**
 * The room's start: containerd's root found and its snapshots and blobs
 * sized, on the host, else (a user who may not read them) from a throwaway
 * container; or why not.
 */
export async function openContainerdDisk(
  host: Host,
  dataRoot: string,
  address: string | undefined,
  container?: ContainerAccess
): Promise<OpenedContainerdDisk | { readonly reason: string }> {
  const reasons: string[] = []
  const candidates = await containerdRootCandidates(host, dataRoot, address)
  if (candidates.length === 0)
    return { reason: `no containerd root found for ${address ?? 'the engine'} on ${host.name}` }
  const readers = [
    hostReader(host),
    ...(container ? [containerReader(container.engine, container.apiVersion, container.image)] : [])
  ]
  for (const root of candidates) {
    for (const reader of readers) {
      try {
        return { disk: await reader.sizes(root), reader }
      } catch (error) {
        reasons.push(`${reader.where}: ${error instanceof Error ? error.message : String(error)}`)
      }
    }
  }
  return { reason: reasons.join('; ') }
}
