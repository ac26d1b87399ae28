// Docker builder-cache pruning through the Engine API, on the engine a Host's
// docker CLI reaches (src/docker/engine.ts). This module calls the engine and
// asks the model (prune-model.ts) what the prune removes and what its figures
// mean on the engine's API version and image store. Sizes come from
// `GET /system/df`, `POST /build/prune` and, where the records do not tell
// the disk's truth (the containerd image store), the free space of the data
// root's filesystem read on the engine's host. It does not touch
// @actions/core: it returns data and reports progress through a log callback.
import { hostname } from 'node:os'
import { formatByteRange, formatBytes, type ByteRange } from '../bytes.js'
import { isPlainPath, runToEnd, type Host } from '../host/host.js'
import { LocalHost } from '../host/local.js'
import { builderPruneCommand, readUnreachedBuilders, type UnreachedBuilder } from './builders.js'
import {
  compareApiVersions,
  describeLocalEndpoint,
  DockerApiError,
  MAX_API_VERSION,
  openEngine,
  type EngineClient
} from './engine.js'
import {
  buildCacheRecords,
  buildPruneQuery,
  reclaimedByThisPrune,
  rulesFor,
  simulatePrune,
  STORE_MEASURES,
  unsharedBytes,
  totalBytes,
  type BuildCacheRecord,
  type ImageStore,
  type PruneRequest,
  type PruneSimulation
} from './prune-model.js'
import {
  CONTAINERD_MEASURES,
  openContainerdDisk,
  predictFreed,
  vanishedBytes,
  type OpenedContainerdDisk
} from './stores/containerd.js'
import { DEFAULT_REMOTE_NODE_IMAGE } from '../inputs.js'
import { readUntilSettled } from './settle.js'

export interface DockerPruneSettings extends PruneRequest {
  /** Measure what would be reclaimed from the same API data, prune nothing. */
  readonly dryRun: boolean
}

export interface DockerPruneResult {
  readonly dryRun: boolean
  /** Negotiated Engine API version used, e.g. "1.41". */
  readonly apiVersion: string
  readonly serverVersion: string
  /** The engine's image store: a graph driver (overlay2) or the containerd snapshotter. */
  readonly store: ImageStore
  /** /info's Driver, e.g. "overlay2", "overlayfs" (containerd's snapshotter). */
  readonly storageDriver: string
  /** Build-cache records removed (or that would be). */
  readonly recordsRemoved: number
  /** Their IDs, in the engine's order (the dry run: the model's). */
  readonly removedIds: readonly string[]
  /** Disk really freed (or, in a dry run, predicted); how: `reclaimedHow`. */
  readonly reclaimedBytes: number
  /** One sentence: how reclaimedBytes was obtained on this store. */
  readonly reclaimedHow: string
  /** true when the dry run's reclaimedBytes is exact on this store; false for an estimate. Always true for a real run. */
  readonly reclaimedExact: boolean
  /** What Docker claimed (SpaceReclaimed: every removed record's size, shared or not); a dry run: what it would claim. */
  readonly reportedBytes: number
  /** Unshared build-cache bytes before and after the prune. */
  readonly cacheBytesBefore: number
  readonly cacheBytesAfter: number
  /** Build-cache records before and after. */
  readonly recordsBefore: number
  readonly recordsAfter: number
  /** Things the reader must know about these figures (estimates, min-free-space from free space now, ties). */
  readonly notes: readonly string[]
  /** buildx builders with their own BuildKit, which this prune did not touch. */
  readonly unreachedBuilders: readonly UnreachedBuilder[]
  /** A dry run whose prune can go more than one way (BuildKit breaks ties at random): every way, and the range. */
  readonly possible?: PossiblePrunes
}

/** The ways a prune can go where BuildKit's pick is a tie. */
export interface PossiblePrunes {
  /** Each way's removed record IDs; the first is the dry run's `removedIds`. */
  readonly removals: readonly (readonly string[])[]
  /** false when there were more ways than the simulation followed. */
  readonly complete: boolean
  /** The least and the most over those ways. */
  readonly reclaimedBytes: ByteRange
  readonly reportedBytes: ByteRange
}

const rangeOf = (values: readonly number[]): ByteRange => ({ low: Math.min(...values), high: Math.max(...values) })

/** The ways a simulated prune can go, with `freed[i]` the bytes of outcome i; undefined when there is one way. */
function possiblePrunes(simulation: PruneSimulation, freed: readonly number[]): PossiblePrunes | undefined {
  const { outcomes } = simulation
  if (outcomes.length < 2) return undefined
  return {
    removals: outcomes.map((outcome) => outcome.removed),
    complete: simulation.outcomesComplete,
    reclaimedBytes: rangeOf(freed),
    reportedBytes: rangeOf(outcomes.map((outcome) => outcome.reportedBytes))
  }
}

/** Where the engine is and how long to wait for it; every field is optional. */
export interface DockerConnectOptions {
  /**
   * Where `docker system dial-stdio` runs. Default: this machine (a LocalHost
   * with `env`).
   */
  readonly host?: Host
  /**
   * Environment of a local docker CLI: DOCKER_HOST, DOCKER_CONTEXT,
   * DOCKER_CONFIG, DOCKER_TLS_VERIFY, and PATH (used to find `docker`, and by
   * the CLI to find `ssh`). Default: process.env. Not used with `host`.
   */
  readonly env?: NodeJS.ProcessEnv
  /** The docker CLI to run, a name looked up on PATH or a path. Default "docker". */
  readonly docker?: string
  /** Time allowed to reach the engine and get its /_ping answer. Default 30 s. */
  readonly connectTimeoutMs?: number
  /** Time allowed for each later request (/system/df, /build/prune). Default 10 min. */
  readonly operationTimeoutMs?: number
  /** Receives one human-readable line per step. */
  readonly log?: (line: string) => void
  /**
   * An image with node, for a throwaway container that reads containerd's
   * directories where this user may not (a docker-group user; the
   * containerd store only). Default: remote-node-image's default.
   */
  readonly helperImage?: string
}

export { buildPruneQuery } from './prune-model.js'

/**
 * The engine answered the prune with an error after it may already have
 * deleted some records: BuildKit deletes leases one by one and can fail on a
 * later one (at 0 bytes free: "write …/metadata_v2.db: no space left on
 * device"), and what the deleted ones held is freed all the same. Where
 * containerd's disk is read (the containerd store), `reclaimedBytes` is what
 * containerd collected; on a graph driver (overlay2), what the records gone
 * from the engine's list held; each measured as a prune that worked is.
 */
export class PruneFailedError extends Error {
  override name = 'PruneFailedError'
  constructor(
    readonly cause: Error,
    readonly reclaimedBytes: number,
    readonly reclaimedHow: string,
    readonly freedBy: 'containerd still collected' | 'the engine still freed'
  ) {
    super(
      `${cause.message}; ${freedBy} ${formatBytes(reclaimedBytes)} ` +
        `(${reclaimedBytes} bytes) that records deleted before the failure held`
    )
  }
}

const atLeast = (version: string, minimum: string): boolean => compareApiVersions(version, minimum) >= 0

/**
 * The `GET /system/df` path for a negotiated version and the object types
 * wanted: from API 1.42 only those (`type=`, which skips sizing the rest),
 * and from 1.52 with the build-cache records (`verbose=1`). Before 1.42
 * everything comes.
 */
export function systemDfPath(
  apiVersion: string,
  types: readonly ('build-cache' | 'image' | 'volume')[] = ['build-cache']
): string {
  const params = new URLSearchParams()
  if (atLeast(apiVersion, '1.42')) for (const type of types) params.append('type', type)
  if (atLeast(apiVersion, '1.52')) params.set('verbose', '1')
  const query = params.toString()
  return `/v${apiVersion}/system/df${query ? `?${query}` : ''}`
}

interface DiskUsage {
  readonly records: BuildCacheRecord[]
  readonly layersSize?: number
  readonly raw: unknown
}

// The engine runs one disk-usage read at a time and refuses a second
// ("a disk usage operation is already running", HTTP 500), as when two runs
// clear one host at once: wait for it, within this bound.
const DISK_USAGE_BUSY = /disk usage operation is already running/
const DISK_USAGE_WAIT_MS = 60_000

/**
 * /system/df. On the containerd store it once answered 404 (a snapshot view
 * gone) right after a build: tried thrice, a second apart. While another
 * run's read is under way: waited for, up to a minute.
 */
async function diskUsage(engine: EngineClient, path: string): Promise<DiskUsage> {
  const busyUntil = Date.now() + DISK_USAGE_WAIT_MS
  for (let attempt = 1; ; attempt++) {
    try {
      const raw = await engine.json<{ LayersSize?: number }>('GET', path)
      return { records: buildCacheRecords(raw), layersSize: raw?.LayersSize, raw }
    } catch (error) {
      if (!(error instanceof DockerApiError)) throw error
      if (error.status === 500 && DISK_USAGE_BUSY.test(error.message) && Date.now() < busyUntil) {
        await new Promise((resolve) => setTimeout(resolve, 250))
        continue
      }
      if (error.status !== 404 || attempt >= 3) throw error
      await new Promise((resolve) => setTimeout(resolve, 1000))
    }
  }
}

/**
 * Free bytes (statfs f_bfree * f_bsize, what BuildKit's GetDiskStat calls
 * Free) of the filesystem holding `dir` on the host, by `stat -f`; undefined
 * when it cannot be read there.
 */
export async function readFreeBytes(host: Host, dir: string): Promise<number | undefined> {
  if (!isPlainPath(dir)) return undefined
  // Plain words only (an SSH host joins them into one line): block size and free blocks, ':'-separated.
  const { code, stdout } = await runToEnd(host, ['stat', '-f', '-c', '%s:%f', dir])
  if (code !== 0) return undefined
  const [blockSize, freeBlocks] = stdout.toString().trim().split(':').map(Number)
  return Number.isSafeInteger(blockSize) && Number.isSafeInteger(freeBlocks) ? blockSize * freeBlocks : undefined
}

/**
 * Prunes (or, in a dry run, measures) the Docker builder cache of the engine
 * the docker CLI on `options.host` (default: this machine) talks to. Throws
 * DockerUnavailableError when the CLI is missing or the engine cannot be
 * reached or is too old, PruneOptionUnsupportedError when an option needs a
 * newer API (nothing pruned), DockerApiError when the engine refuses the
 * prune (e.g. an unknown filter), Error for settings that are not valid.
 */
export async function pruneBuildCache(
  settings: DockerPruneSettings,
  options: DockerConnectOptions = {}
): Promise<DockerPruneResult> {
  const log = options.log ?? (() => undefined)
  // Settings errors come before any connection.
  buildPruneQuery(MAX_API_VERSION, settings)

  const host = options.host ?? new LocalHost(options.env)
  const engine = openEngine(host, {
    docker: options.docker,
    where: host.remote ? undefined : describeLocalEndpoint(options.env ?? process.env),
    connectTimeoutMs: options.connectTimeoutMs,
    requestTimeoutMs: options.operationTimeoutMs
  })
  try {
    const { apiVersion, serverApiVersion: serverApi } = await engine.ping()
    const version = await engine.json<{ Version?: string }>('GET', `/v${apiVersion}/version`)
    const serverVersion = version.Version ?? 'unknown'
    log(`Docker engine ${serverVersion} ${engine.where}: API ${serverApi ?? 'unknown'}, using ${apiVersion}`)
    // Before anything else: an option this API version would ignore refuses the whole prune.
    const query = buildPruneQuery(apiVersion, settings)
    const rules = rulesFor(apiVersion)
    if (!rules) throw new Error(`no prune rules for API ${apiVersion}`)

    const info = await engine.json<{
      Driver?: string
      DriverStatus?: [string, string][] | null
      DockerRootDir?: string
      Name?: string
      Containerd?: { Address?: string } | null
    }>('GET', `/v${apiVersion}/info`)
    const store: ImageStore = (info.DriverStatus ?? []).some(([key, value]) =>
      `${key} ${value}`.includes('io.containerd.snapshotter')
    )
      ? 'containerd'
      : 'graphdriver'
    const storageDriver = info.Driver ?? 'unknown'
    // The data root's disk is readable where the engine runs: the SSH host, or this machine when it is the engine's.
    const rootDir = info.DockerRootDir ?? ''
    const diskHere = host.remote || info.Name === hostname()
    const freeBytes = async (): Promise<number | undefined> =>
      diskHere && rootDir ? readFreeBytes(host, rootDir).catch(() => undefined) : undefined

    const containerd = store === 'containerd'
    const afterTypes = containerd ? (['build-cache', 'image'] as const) : (['build-cache'] as const)
    const before = await diskUsage(engine, systemDfPath(apiVersion, [...afterTypes, 'volume']))
    /** The records after the prune (and the images they are shared with, on the containerd store). */
    const usageAfter = () => diskUsage(engine, systemDfPath(apiVersion, [...afterTypes]))
    const cacheBytesBefore = unsharedBytes(before.records)
    log(
      `Build cache (${storageDriver}${containerd ? ', containerd image store' : ''}): ${before.records.length} records, ` +
        `${formatBytes(cacheBytesBefore)} not shared with images (${formatBytes(totalBytes(before.records))} counting shared layers)`
    )
    // Volumes came with `before` (the sizes of every volume; before API 1.42, of everything).
    const unreachedBuilders = await readUnreachedBuilders(engine, apiVersion, before.raw).catch((error: unknown) => {
      log(`Could not look for buildx builders: ${error instanceof Error ? error.message : String(error)}`)
      return [] as UnreachedBuilder[]
    })
    for (const builder of unreachedBuilders) {
      log(
        `buildx builder "${builder.builder}" keeps its own BuildKit cache (${builder.volume ?? builder.container ?? ''}` +
          `${builder.volumeBytes !== undefined ? `, ${formatBytes(builder.volumeBytes)}` : ''}): not pruned here; ` +
          `clear it with \`${builderPruneCommand(builder)}\``
      )
    }

    const notes: string[] = []
    const measure = STORE_MEASURES[store]
    // The containerd store's figures come from containerd's own directories, where they can be read.
    let containerdDisk: OpenedContainerdDisk | undefined
    if (containerd) {
      const opened = diskHere
        ? await openContainerdDisk(host, rootDir, info.Containerd?.Address ?? undefined, {
            engine,
            apiVersion,
            image: options.helperImage ?? DEFAULT_REMOTE_NODE_IMAGE
          })
        : { reason: `the engine runs on another machine than ${host.name}` }
      if ('disk' in opened) containerdDisk = opened
      else notes.push(CONTAINERD_MEASURES.fallbackNote(opened.reason))
    }
    if (settings.dryRun) {
      const minFree = (settings.minFreeBytes ?? 0) > 0
      const free = minFree ? await freeBytes() : undefined
      if (minFree) {
        notes.push(
          free === undefined
            ? `min-free-space: the free space of the engine's disk could not be read here, so the dry run counted it as 0 free; the real prune reads it itself.`
            : `min-free-space: computed from the free space now (${formatBytes(free)} free on the filesystem of ${rootDir}); the real prune reads it again when it runs.`
        )
      }
      const simulation = simulatePrune(before.records, settings, rules, free ?? 0)
      if (simulation.ignoredFilters.length > 0) {
        notes.push(`Cannot evaluate filter(s) ${simulation.ignoredFilters.join(', ')}; estimated without them.`)
      }
      const removed = new Set(simulation.removed)
      const left = before.records.filter((r) => !removed.has(r.ID))
      // One figure per way the prune can go (more than one only where BuildKit's pick is a tie).
      let freedByOutcome = simulation.outcomes.map((outcome) => outcome.unsharedRemovedBytes)
      let reclaimedHow = measure.dryRunExact ? measure.dryRun : 'estimate from the records (see the note)'
      let reclaimedExact = measure.dryRunExact
      if (containerdDisk) {
        const { reader, disk } = containerdDisk
        const removals = simulation.outcomes.map((outcome) => outcome.removed)
        const predicted = await predictFreed(reader, disk, before.records, removals).catch((error: unknown) => {
          notes.push(
            `containerd's metadata could not be read (${error instanceof Error ? error.message : String(error)}).`
          )
          return undefined
        })
        if (predicted) {
          freedByOutcome = predicted.map((prediction) => prediction.bytes)
          reclaimedHow = CONTAINERD_MEASURES.dryRun(disk.root, reader.where)
          reclaimedExact = true
        }
      }
      const reclaimedBytes = freedByOutcome[0]
      const possible = possiblePrunes(simulation, freedByOutcome)
      if (possible) {
        notes.push(
          `BuildKit picks among equally ranked records at random, so this prune can go ${possible.removals.length} ways` +
            `${possible.complete ? '' : ` (at least; the first ${possible.removals.length} were followed)`}: ` +
            `it would free ${formatByteRange(possible.reclaimedBytes)}; the records and figures shown are one of those ways.`
        )
      }
      if (!reclaimedExact) notes.push(`Really freed is ${measure.dryRun}.`)
      for (const note of notes) log(`Dry run: ${note}`)
      log(
        `Dry run: would remove ${simulation.removed.length} records, freeing ${formatBytes(reclaimedBytes)} ` +
          `(Docker would report ${formatBytes(simulation.reportedBytes)})`
      )
      return {
        dryRun: true,
        apiVersion,
        serverVersion,
        store,
        storageDriver,
        recordsBefore: before.records.length,
        recordsRemoved: simulation.removed.length,
        removedIds: simulation.removed,
        reclaimedBytes,
        reclaimedHow,
        reclaimedExact,
        reportedBytes: simulation.reportedBytes,
        cacheBytesBefore,
        cacheBytesAfter: unsharedBytes(left),
        recordsAfter: left.length,
        notes,
        unreachedBuilders,
        ...(possible ? { possible } : {})
      }
    }

    /**
     * What the records a prune deleted freed, on a graph driver: their bytes not shared with images, at most the
     * cache's shrinkage. Before minus after alone would count what a prune of another run, at the same time,
     * deleted too.
     */
    const freedOnGraphDriver = (left: readonly BuildCacheRecord[], deletedIds: readonly string[], reported: number) =>
      reclaimedByThisPrune(before.records, Math.max(0, cacheBytesBefore - unsharedBytes(left)), deletedIds, reported)
    const queryText = new URLSearchParams(query).toString()
    const freeBefore = containerd && !containerdDisk ? await freeBytes() : undefined
    log(`POST /build/prune${queryText ? `?${decodeURIComponent(queryText)}` : ''}`)
    const pruned = await engine
      .json<{ CachesDeleted?: string[] | null; SpaceReclaimed?: number }>(
        'POST',
        `/v${apiVersion}/build/prune${queryText ? `?${queryText}` : ''}`
      )
      .catch(async (error: unknown) => {
        // A prune the engine failed may have deleted records before it stopped: what they held is freed all
        // the same (containerd collects it; a graph driver frees it with the record), and reported with the error.
        if (!(error instanceof DockerApiError)) throw error
        const failedAfterFreeing = (freed: number, how: string, freedBy: PruneFailedError['freedBy']): Error => {
          if (freed === 0) return error
          log(`The prune failed, and ${freedBy} ${formatBytes(freed)}`)
          return new PruneFailedError(error, freed, how, freedBy)
        }
        if (containerdDisk) {
          const { reader, disk } = containerdDisk
          const settled = await reader.settledEntries(disk.root, disk).catch(() => undefined)
          const collected = settled ? vanishedBytes(disk, settled) : 0
          throw failedAfterFreeing(
            collected,
            CONTAINERD_MEASURES.real(disk.root, reader.where),
            'containerd still collected'
          )
        }
        if (containerd) throw error
        // The records gone from the engine's list are the ones it deleted.
        const left = await usageAfter().catch(() => undefined)
        if (!left) throw error
        const leftIds = new Set(left.records.map((record) => record.ID))
        const goneIds = before.records.filter((record) => !leftIds.has(record.ID)).map((record) => record.ID)
        throw failedAfterFreeing(freedOnGraphDriver(left.records, goneIds, 0), measure.real, 'the engine still freed')
      })
    const freeAfter = freeBefore === undefined ? undefined : await readUntilSettled(freeBytes, (free) => free)
    const removedIds = pruned.CachesDeleted ?? []
    const reportedBytes = pruned.SpaceReclaimed ?? 0
    // containerd's collector runs a moment after the prune answers: read the records left once it has
    // settled, as the disk is read, so that the cache left is the one the dry run predicts.
    const diskAfter =
      containerdDisk && (removedIds.length > 0 || reportedBytes > 0)
        ? await containerdDisk.reader.settledEntries(containerdDisk.disk.root, containerdDisk.disk)
        : containerdDisk?.disk
    const after = await usageAfter()
    const cacheBytesAfter = unsharedBytes(after.records)
    let reclaimedBytes = freedOnGraphDriver(after.records, removedIds, reportedBytes)
    let reclaimedHow = measure.real
    if (containerdDisk && diskAfter) {
      // A prune that names nothing and claims nothing freed nothing (another run's collection is not ours):
      // diskAfter is then the disk before.
      reclaimedBytes = vanishedBytes(containerdDisk.disk, diskAfter)
      reclaimedHow = CONTAINERD_MEASURES.real(containerdDisk.disk.root, containerdDisk.reader.where)
    } else if (containerd && (removedIds.length > 0 || reportedBytes > 0)) {
      if (freeBefore !== undefined && freeAfter !== undefined) {
        reclaimedBytes = Math.max(0, freeAfter - freeBefore)
      } else if (before.layersSize !== undefined && after.layersSize !== undefined) {
        // Without the disk, the snapshots' own figure: it misses blobs only the removed records held.
        reclaimedBytes = Math.max(0, before.layersSize - after.layersSize)
        reclaimedHow = `LayersSize of GET /system/df, before minus after (the engine's disk could not be read here; blobs are not counted)`
      }
    }
    log(
      `Removed ${removedIds.length} build-cache records: ${formatBytes(reclaimedBytes)} really freed ` +
        `(Docker reported ${formatBytes(reportedBytes)}); ${after.records.length} records left`
    )
    return {
      dryRun: false,
      apiVersion,
      serverVersion,
      store,
      storageDriver,
      recordsBefore: before.records.length,
      recordsRemoved: removedIds.length,
      removedIds,
      reclaimedBytes,
      reclaimedHow,
      reclaimedExact: true,
      reportedBytes,
      cacheBytesBefore,
      cacheBytesAfter,
      recordsAfter: after.records.length,
      notes,
      unreachedBuilders
    }
  } finally {
    await engine.close()
  }
}
