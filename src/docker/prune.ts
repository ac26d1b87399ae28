// Docker builder-cache pruning through the Engine API (issue 3), on the
// engine a Host's docker CLI reaches (src/docker/engine.ts). Sizes come from
// `GET /system/df` and `POST /build/prune`, in exact bytes; nothing parses
// CLI text. This module does not touch @actions/core: it returns data and
// reports progress through an optional log callback.
import { formatBytes } from '../bytes.js'
import type { Host } from '../host/host.js'
import { LocalHost } from '../host/local.js'
import {
  compareApiVersions,
  describeLocalEndpoint,
  DockerApiError,
  DockerUnavailableError,
  MAX_API_VERSION,
  openEngine,
  type EngineClient
} from './engine.js'
import {
  buildCacheRecords,
  estimatePrune,
  parsePruneFilters,
  unsharedBytes,
  type BuildCacheRecord
} from './estimate.js'

export interface DockerPruneSettings {
  /** true: all unused build cache (`--all`); false: dangling records only. */
  readonly pruneAll: boolean
  /** Prune filters as `key=value` lines, passed through (`until=24h`). */
  readonly filters: readonly string[]
  /** Keep this many bytes of cache; undefined keeps none. */
  readonly keepStorageBytes?: number
  /** Measure what would be reclaimed from the same API data, prune nothing. */
  readonly dryRun: boolean
}

export interface DockerPruneResult {
  readonly dryRun: boolean
  /** Negotiated Engine API version used, e.g. "1.41". */
  readonly apiVersion: string
  readonly serverVersion: string
  /** Build-cache records removed (or that would be). */
  readonly recordsRemoved: number
  /** Disk really freed: build cache not shared with images, before minus after. */
  readonly reclaimedBytes: number
  /** What Docker claimed (SpaceReclaimed), which counts shared records too. */
  readonly reportedBytes: number
  /** Unshared build-cache bytes before and after the prune. */
  readonly cacheBytesBefore: number
  readonly cacheBytesAfter: number
  /** Build-cache records left afterwards. */
  readonly recordsAfter: number
  /** Build-cache records before the prune. */
  readonly recordsBefore: number
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
}

/** `POST /build/prune` takes `all`, `filters` and `keep-storage` since API 1.39 (Docker 18.09). */
export const MIN_PRUNE_API_VERSION = '1.39'

function atLeast(version: string, minimum: string): boolean {
  return compareApiVersions(version, minimum) >= 0
}

/**
 * The query of `POST /build/prune` for a negotiated API version, as a plain
 * object (table-tested):
 * - `all=1` for pruneAll; dangling-only is the engine's default.
 * - `filters` as the engine's JSON map, when there are any.
 * - the space to keep: `keep-storage` from API 1.39; API 1.48 (Engine 28)
 *   deprecated it for `reserved-space`, and API 1.52 removed it, so 1.48 and
 *   later get `reserved-space` only.
 * Below API 1.39 the endpoint takes no options at all: that throws
 * DockerUnavailableError (an engine too old is an environment problem).
 */
export function buildPruneQuery(
  apiVersion: string,
  settings: Pick<DockerPruneSettings, 'pruneAll' | 'filters' | 'keepStorageBytes'>
): Record<string, string> {
  if (!atLeast(apiVersion, MIN_PRUNE_API_VERSION)) {
    throw new DockerUnavailableError(
      `the Docker engine speaks API ${apiVersion}; pruning the build cache needs API ${MIN_PRUNE_API_VERSION} (Docker 18.09) or newer`
    )
  }
  const query: Record<string, string> = {}
  if (settings.pruneAll) query.all = '1'
  const filters = parsePruneFilters(settings.filters)
  if (Object.keys(filters).length > 0) query.filters = JSON.stringify(filters)
  const keep = settings.keepStorageBytes
  if (keep !== undefined) {
    if (!Number.isSafeInteger(keep) || keep < 0) {
      throw new Error(`Docker keep-storage must be a whole number of bytes, not ${keep}`)
    }
    // 0 means "no limit" to BuildKit, the same as leaving it out.
    if (keep > 0) query[atLeast(apiVersion, '1.48') ? 'reserved-space' : 'keep-storage'] = String(keep)
  }
  return query
}

// The engine runs one disk-usage read at a time and refuses a second
// ("a disk usage operation is already running", HTTP 500), as when two runs
// clear one host at once: wait for it, within this bound.
const DISK_USAGE_BUSY = /disk usage operation is already running/
const DISK_USAGE_WAIT_MS = 60_000

async function systemDf(engine: EngineClient, apiVersion: string): Promise<unknown> {
  const deadline = Date.now() + DISK_USAGE_WAIT_MS
  for (;;) {
    try {
      return await engine.json('GET', systemDfPath(apiVersion))
    } catch (error) {
      const busy = error instanceof DockerApiError && error.status === 500 && DISK_USAGE_BUSY.test(error.message)
      if (!busy || Date.now() > deadline) throw error
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
  }
}

/**
 * What this prune really freed: before minus after counts what another prune
 * running at the same time (another run against this host) deleted too. The
 * engine runs prunes one after another, so a prune that deleted nothing freed
 * nothing; one that names only records listed before freed their unshared
 * bytes. One that names records not listed before (BuildKit replaced one
 * since), or an engine that names none while it reports space freed: before
 * minus after.
 */
export function reclaimedByThisPrune(
  before: readonly BuildCacheRecord[],
  beforeMinusAfter: number,
  deletedIds: readonly string[],
  reportedBytes: number
): number {
  if (deletedIds.length === 0) return reportedBytes === 0 ? 0 : beforeMinusAfter
  const deleted = new Set(deletedIds)
  const known = before.filter((record) => deleted.has(record.ID))
  return known.length === deleted.size ? Math.min(beforeMinusAfter, unsharedBytes(known)) : beforeMinusAfter
}

/**
 * The `GET /system/df` path for a negotiated version: only the build cache
 * (`type=build-cache`, API 1.42+, skips sizing images and volumes), with its
 * records (`verbose=1`: API 1.52 moved them to `BuildCacheUsage.Items`).
 */
export function systemDfPath(apiVersion: string): string {
  const params = new URLSearchParams()
  if (atLeast(apiVersion, '1.42')) params.set('type', 'build-cache')
  if (atLeast(apiVersion, '1.52')) params.set('verbose', '1')
  const query = params.toString()
  return `/v${apiVersion}/system/df${query ? `?${query}` : ''}`
}

/**
 * Prunes (or, in a dry run, measures) the Docker builder cache of the engine
 * the docker CLI on `options.host` (default: this machine) talks to. Throws DockerUnavailableError when the CLI is
 * missing or the engine cannot be reached or is too old, DockerApiError when
 * the engine refuses the prune (e.g. an unknown filter), Error for settings
 * that are not valid.
 */
export async function pruneBuildCache(
  settings: DockerPruneSettings,
  options: DockerConnectOptions = {}
): Promise<DockerPruneResult> {
  const log = options.log ?? (() => undefined)
  const operationTimeout = options.operationTimeoutMs
  // Settings errors come before any connection.
  parsePruneFilters(settings.filters)
  buildPruneQuery(MAX_API_VERSION, settings)

  const host = options.host ?? new LocalHost(options.env)
  const engine = openEngine(host, {
    docker: options.docker,
    where: host.remote ? undefined : describeLocalEndpoint(options.env ?? process.env),
    connectTimeoutMs: options.connectTimeoutMs,
    requestTimeoutMs: operationTimeout
  })
  try {
    const { apiVersion, serverApiVersion: serverApi } = await engine.ping()
    const query = buildPruneQuery(apiVersion, settings)
    const version = await engine.json<{ Version?: string }>('GET', `/v${apiVersion}/version`)
    const serverVersion = version.Version ?? 'unknown'
    log(`Docker engine ${serverVersion} ${engine.where}: API ${serverApi ?? 'unknown'}, using ${apiVersion}`)

    const before = buildCacheRecords(await systemDf(engine, apiVersion))
    const cacheBytesBefore = unsharedBytes(before)
    log(
      `Build cache: ${before.length} records, ${formatBytes(cacheBytesBefore)} not shared with images ` +
        `(${formatBytes(before.reduce((sum, r) => sum + r.Size, 0))} counting shared layers)`
    )

    if (settings.dryRun) {
      const estimate = estimatePrune(before, settings)
      if (estimate.ignoredFilters.length > 0) {
        log(`Dry run: cannot evaluate filter(s) ${estimate.ignoredFilters.join(', ')}; estimated without them`)
      }
      log(
        `Dry run: would remove ${estimate.removed.length} records, freeing ${formatBytes(estimate.reclaimedBytes)} ` +
          `(Docker would report ${formatBytes(estimate.reportedBytes)})`
      )
      return {
        dryRun: true,
        apiVersion,
        serverVersion,
        recordsBefore: before.length,
        recordsRemoved: estimate.removed.length,
        reclaimedBytes: estimate.reclaimedBytes,
        reportedBytes: estimate.reportedBytes,
        cacheBytesBefore,
        cacheBytesAfter: cacheBytesBefore - estimate.reclaimedBytes,
        recordsAfter: before.length - estimate.removed.length
      }
    }

    const queryText = new URLSearchParams(query).toString()
    log(`POST /build/prune${queryText ? `?${decodeURIComponent(queryText)}` : ''}`)
    const pruned = await engine.json<{ CachesDeleted?: string[] | null; SpaceReclaimed?: number }>(
      'POST',
      `/v${apiVersion}/build/prune${queryText ? `?${queryText}` : ''}`
    )
    const after = buildCacheRecords(await systemDf(engine, apiVersion))
    const cacheBytesAfter = unsharedBytes(after)
    const reportedBytes = pruned.SpaceReclaimed ?? 0
    const reclaimedBytes = reclaimedByThisPrune(
      before,
      Math.max(0, cacheBytesBefore - cacheBytesAfter),
      pruned.CachesDeleted ?? [],
      reportedBytes
    )
    const recordsRemoved = pruned.CachesDeleted?.length ?? 0
    log(
      `Removed ${recordsRemoved} build-cache records: ${formatBytes(reclaimedBytes)} really freed ` +
        `(Docker reported ${formatBytes(reportedBytes)}); ${after.length} records left`
    )
    return {
      dryRun: false,
      apiVersion,
      serverVersion,
      recordsBefore: before.length,
      recordsRemoved,
      reclaimedBytes,
      reportedBytes,
      cacheBytesBefore,
      cacheBytesAfter,
      recordsAfter: after.length
    }
  } finally {
    await engine.close()
  }
}
