// The dry-run model of `POST /build/prune` (pure): the engine's filters, the
// build-cache records of `GET /system/df`, and what a prune would remove.
import type { DockerPruneSettings } from './prune.js'

/** The engine's filters JSON shape: `{"until":{"24h":true}}`. */
export type PruneFilters = Record<string, Record<string, true>>

/**
 * `key=value` lines -> the engine's filters map, as the docker CLI's
 * `--filter` reads them (split at the first "=", key lower-cased, both
 * trimmed). Blank lines are skipped; anything else that is not key=value
 * throws an Error naming the line.
 */
export function parsePruneFilters(lines: readonly string[]): PruneFilters {
  const filters: PruneFilters = {}
  for (const raw of lines) {
    const line = raw.trim()
    if (line === '') continue
    const at = line.indexOf('=')
    if (at < 0) throw new Error(`Docker prune filter "${line}" is not key=value (e.g. until=24h)`)
    const key = line.slice(0, at).trim().toLowerCase()
    const value = line.slice(at + 1).trim()
    if (!/^[a-z][a-z0-9._-]*!?$/.test(key)) {
      throw new Error(`Docker prune filter "${line}" has no valid key before "=" (e.g. until=24h)`)
    }
    if (value === '') throw new Error(`Docker prune filter "${line}" has no value after "=" (e.g. until=24h)`)
    ;(filters[key] ??= {})[value] = true
  }
  return filters
}

/** One build-cache record of `GET /system/df`. */
export interface BuildCacheRecord {
  readonly ID: string
  /** Before API 1.42. */
  readonly Parent?: string
  /** API 1.42 and later. */
  readonly Parents?: readonly string[] | null
  readonly Type: string
  readonly Description?: string
  readonly InUse: boolean
  readonly Shared: boolean
  readonly Size: number
  readonly CreatedAt?: string
  readonly LastUsedAt?: string | null
  readonly UsageCount?: number
}

/** Build-cache records from either /system/df shape (`BuildCache`, or `BuildCacheUsage.Items` from API 1.52). */
export function buildCacheRecords(systemDf: unknown): BuildCacheRecord[] {
  const df = (systemDf ?? {}) as { BuildCache?: unknown; BuildCacheUsage?: { Items?: unknown } | null }
  const items = df.BuildCacheUsage?.Items ?? df.BuildCache ?? []
  if (!Array.isArray(items)) return []
  return items.map((item: Record<string, unknown>) => ({
    ...(item as unknown as BuildCacheRecord),
    ID: typeof item.ID === 'string' ? item.ID : '',
    Type: typeof item.Type === 'string' ? item.Type : '',
    InUse: item.InUse === true,
    Shared: item.Shared === true,
    Size: typeof item.Size === 'number' && item.Size > 0 ? item.Size : 0
  }))
}

/** Bytes of records not shared with images: what removing them really frees. */
export function unsharedBytes(records: readonly BuildCacheRecord[]): number {
  return records.reduce((sum, record) => sum + (record.Shared ? 0 : record.Size), 0)
}

/** Go's time.ParseDuration ("24h", "1h30m", "90s", "1.5h") in milliseconds; undefined if not one. */
export function parseGoDuration(text: string): number | undefined {
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: 1e3, m: 60e3, h: 3600e3 }
  const trimmed = text.trim()
  if (trimmed === '0') return 0
  const whole = /^([+-]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/
  if (!whole.test(trimmed)) return undefined
  let total = 0
  for (const part of trimmed.replace(/^[+-]/, '').matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) {
    total += Number(part[1]) * units[part[2]]
  }
  return trimmed.startsWith('-') ? -total : total
}

export interface PruneEstimate {
  /** IDs of the records the prune would remove. */
  readonly removed: readonly string[]
  /** Sum of their sizes, shared or not: what SpaceReclaimed would say. */
  readonly reportedBytes: number
  /** Sum of the unshared ones: what the disk would get back. */
  readonly reclaimedBytes: number
  /** Filters the estimate could not evaluate, and ignored. */
  readonly ignoredFilters: readonly string[]
}

/**
 * What `POST /build/prune` would remove, from /system/df records (dry run).
 * An approximation of BuildKit's cache manager prune (cache/manager.go,
 * `prune`/`pruneOnce`, as vendored in Engine 20.10 and later):
 * - records in use are never removed;
 * - `all=false` ("dangling only") also keeps records of type `internal` and
 *   `frontend` and every record shared with an image (the engine's ref
 *   checker sees its layer chain in an image; /system/df reports that as
 *   `Shared`), which is why `docker builder prune -f` leaves the next build
 *   CACHED;
 * - `until`/`unused-for` keep records last used within that duration; the
 *   `type`, `id` (prefix), `description`, `parent`, `inuse`, `shared` and
 *   `private` filters are applied; others (`label`, `mutable`, ...) cannot be
 *   evaluated from /system/df and are ignored (reported back);
 * - a record goes only when all its children go (BuildKit frees a parent
 *   after its last child, in repeated passes);
 * - keep-storage: BuildKit deletes candidates oldest-first until the unshared
 *   total is at or below the limit; it orders by a mix of last use and usage
 *   count, we order by LastUsedAt only.
 */
export function estimatePrune(
  records: readonly BuildCacheRecord[],
  settings: Pick<DockerPruneSettings, 'pruneAll' | 'filters' | 'keepStorageBytes'>,
  now: number = Date.now()
): PruneEstimate {
  const filters = parsePruneFilters(settings.filters)
  const ignoredFilters: string[] = []
  const checks: ((record: BuildCacheRecord) => boolean)[] = []
  for (const [key, values] of Object.entries(filters)) {
    for (const value of Object.keys(values)) {
      switch (key) {
        case 'until':
        case 'unused-for': {
          const ms = parseGoDuration(value)
          if (ms === undefined) throw new Error(`Docker prune filter "${key}=${value}" is not a duration (e.g. 24h)`)
          checks.push((r) => !r.LastUsedAt || Date.parse(r.LastUsedAt) <= now - ms)
          break
        }
        case 'type':
          checks.push((r) => r.Type === value)
          break
        case 'id':
          checks.push((r) => r.ID.startsWith(value))
          break
        case 'description':
          checks.push((r) => r.Description === value)
          break
        case 'parent':
          checks.push((r) => r.Parent === value || (r.Parents ?? []).includes(value))
          break
        case 'inuse':
          checks.push((r) => r.InUse)
          break
        case 'shared':
          checks.push((r) => r.Shared)
          break
        case 'private':
          checks.push((r) => !r.Shared)
          break
        default:
          ignoredFilters.push(`${key}=${value}`)
      }
    }
  }

  const candidate = (r: BuildCacheRecord): boolean =>
    !r.InUse &&
    (settings.pruneAll || (!r.Shared && r.Type !== 'internal' && r.Type !== 'frontend')) &&
    checks.every((check) => check(r))

  const children = new Map<string, string[]>()
  for (const record of records) {
    for (const parent of [record.Parent, ...(record.Parents ?? [])]) {
      if (parent) children.set(parent, [...(children.get(parent) ?? []), record.ID])
    }
  }
  // A parent stays while any child stays.
  const closeOverChildren = (removed: Set<string>): void => {
    for (let changed = true; changed;) {
      changed = false
      for (const id of removed) {
        if ((children.get(id) ?? []).some((child) => !removed.has(child))) {
          removed.delete(id)
          changed = true
        }
      }
    }
  }

  const removed = new Set(records.filter(candidate).map((r) => r.ID))
  closeOverChildren(removed)

  const keep = settings.keepStorageBytes ?? 0
  if (keep > 0) {
    let total = unsharedBytes(records)
    const lastUsed = (r: BuildCacheRecord): number => (r.LastUsedAt ? Date.parse(r.LastUsedAt) : 0)
    const oldestFirst = records.filter((r) => removed.has(r.ID)).sort((a, b) => lastUsed(a) - lastUsed(b))
    removed.clear()
    for (const record of oldestFirst) {
      if (total <= keep) break
      removed.add(record.ID)
      if (!record.Shared) total -= record.Size
    }
    closeOverChildren(removed)
  }

  const chosen = records.filter((r) => removed.has(r.ID))
  return {
    removed: chosen.map((r) => r.ID),
    reportedBytes: chosen.reduce((sum, r) => sum + r.Size, 0),
    reclaimedBytes: unsharedBytes(chosen),
    ignoredFilters
  }
}
