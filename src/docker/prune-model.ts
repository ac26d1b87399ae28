// The engine's build-cache prune rules as data and one pure simulation: what
// `POST /build/prune` removes, for a negotiated API version and an image
// store. The dry run reads its figures from here; the real run asks here what
// its own figures mean. Nothing in this module talks to an engine.
//
// Sources, read from the code (moby/buildkit `cache/manager.go`):
// - `prune`/`pruneOnce`: a record is a candidate only while nothing holds a
//   reference to it, and every child holds one on its parents, so leaves go
//   first and a parent only after its last child; records in use never go.
//   Without `all`, records of type `internal` and `frontend` and those the
//   engine's ref checker finds in an image (`Shared`) stay. `until` (moby
//   turns it into KeepDuration) keeps records last used after now - until;
//   a record never used is a candidate. The other filters are containerd
//   filter expressions over `id` (moby sends `id~=`), `type`, `description`,
//   `parent(s)` (`key==value`).
// - With a space limit ("gc mode", keepBytes != 0) BuildKit removes ONE
//   record per pass, the first after `sortDeleteRecords`, and passes again
//   until `totalSize < keepBytes`. totalSize starts as the sum of the
//   records not shared with images and loses each removed record's size
//   (shared or not).
// - `sortDeleteRecords` ranks by the normalised rank of LastUsedAt (never
//   used first; to the nanosecond, as BuildKit keeps it and /system/df
//   prints it) plus that of UsageCount; lowest goes first. Ties are broken
//   by Go's map order, i.e. at random, so where the first place is a tie the
//   model follows every pick (simulatePrune's `outcomes`).
// - keepBytes: `keep-storage` itself before API 1.48 (BuildKit <= 0.16 in
//   Engine <= 27); from API 1.48 (Engine 28, BuildKit 0.20+)
//   `calculateKeepBytes`: start from max-used-space, lower it by what
//   min-free-space lacks on the disk (`totalSize - (minFree - free)`), keep
//   everything if only min-free-space is set and already met, and never go
//   below reserved-space. `free` is statfs f_bfree * f_bsize of BuildKit's
//   root (`util/disk.GetDiskStat`). Note: with keepBytes == totalSize the
//   stop test `totalSize < keepBytes` fails once, so a min-free-space that is
//   already met still removes one record (seen on Engine 28.5).
import { compareApiVersions, DockerUnavailableError } from './engine.js'

/** The engine's filters JSON shape: `{"until":{"24h":true}}`. */
export type PruneFilters = Record<string, Record<string, true>>

/** What the user asked of the prune (sizes in bytes; undefined or 0 = not set). */
export interface PruneRequest {
  /** true: all unused build cache (`--all`); false: dangling records only. */
  readonly pruneAll: boolean
  /** Prune filters as `key=value` lines (`until=24h`). */
  readonly filters: readonly string[]
  /** Cache always kept (`reserved-space`; `keep-storage` before API 1.48). */
  readonly reservedBytes?: number
  /** Most cache allowed (`max-used-space`, API 1.48+). */
  readonly maxUsedBytes?: number
  /** Free disk wanted after the prune (`min-free-space`, API 1.48+). */
  readonly minFreeBytes?: number
}

/** One build-cache record of `GET /system/df`, its parents in one list whatever the API spelled. */
export interface BuildCacheRecord {
  readonly ID: string
  readonly Parents: readonly string[]
  readonly Type: string
  readonly Description?: string
  readonly InUse: boolean
  readonly Shared: boolean
  readonly Size: number
  readonly CreatedAt?: string
  readonly LastUsedAt?: string | null
  readonly UsageCount?: number
}

/** The image store, as /info tells it: graph driver (overlay2 and friends) or the containerd snapshotter. */
export type ImageStore = 'graphdriver' | 'containerd'

/** The rules of one range of Engine API versions. */
export interface EngineRules {
  /** First API version of the range (the next entry's starts the next range). */
  readonly fromApi: string
  /** For messages and comments: the engines and BuildKit behind it. */
  readonly engines: string
  /** Query name of the space always kept. */
  readonly reservedParam: 'keep-storage' | 'reserved-space'
  /** `max-used-space` and `min-free-space` exist (an older engine ignores them silently). */
  readonly freeSpaceParams: boolean
  /** How keepBytes is derived: the keep-storage value, or calculateKeepBytes. */
  readonly keepBytes: 'keep-storage' | 'calculate'
  /** sortDeleteRecords' first rank: 0 (int ranks, BuildKit <= 0.16) or 1 (float ranks, later). */
  readonly firstRank: 0 | 1
}

/** Oldest first. `POST /build/prune` takes options from API 1.39 (Docker 18.09). */
export const ENGINE_RULES: readonly EngineRules[] = [
  {
    fromApi: '1.39',
    engines: 'Docker 18.09-27.x (BuildKit up to 0.16)',
    reservedParam: 'keep-storage',
    freeSpaceParams: false,
    keepBytes: 'keep-storage',
    firstRank: 0
  },
  {
    // API 1.48 deprecated keep-storage for reserved-space and added the two
    // others; API 1.52 (Docker 29) removed keep-storage.
    fromApi: '1.48',
    engines: 'Docker 28 and later (BuildKit 0.20+)',
    reservedParam: 'reserved-space',
    freeSpaceParams: true,
    keepBytes: 'calculate',
    firstRank: 1
  }
]

export const MIN_PRUNE_API_VERSION = ENGINE_RULES[0].fromApi
export const FREE_SPACE_API_VERSION = '1.48'

/** The rules for a negotiated API version; undefined below API 1.39. */
export function rulesFor(apiVersion: string): EngineRules | undefined {
  return [...ENGINE_RULES].reverse().find((rules) => compareApiVersions(apiVersion, rules.fromApi) >= 0)
}

/** An option the engine's API version does not have: nothing may be pruned then. */
export class PruneOptionUnsupportedError extends Error {
  override name = 'PruneOptionUnsupportedError'
}

/** The input names, for messages that must name what the user wrote. */
const INPUT_NAMES = { maxUsedBytes: 'docker-max-used-space', minFreeBytes: 'docker-min-free-space' } as const

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

const positive = (bytes: number | undefined): number => (bytes !== undefined && bytes > 0 ? bytes : 0)

function checkBytes(name: string, bytes: number | undefined): void {
  if (bytes !== undefined && (!Number.isSafeInteger(bytes) || bytes < 0)) {
    throw new Error(`Docker ${name} must be a whole number of bytes, not ${bytes}`)
  }
}

/**
 * The query of `POST /build/prune` for a negotiated API version (table-tested):
 * `all=1` for pruneAll; `filters` as JSON; the space kept under the name the
 * version knows (`keep-storage` below 1.48, `reserved-space` from 1.48), and
 * `max-used-space` / `min-free-space` from 1.48. 0 means "no limit" to
 * BuildKit, so it is left out. Below API 1.48 a max-used or min-free space
 * throws PruneOptionUnsupportedError naming the input and the version (the
 * engine would ignore it and prune everything); below 1.39 there are no
 * options at all and it throws the same.
 */
export function buildPruneQuery(apiVersion: string, request: PruneRequest): Record<string, string> {
  const rules = rulesFor(apiVersion)
  if (!rules) {
    // An engine that old is an environment problem, like one that is missing.
    throw new DockerUnavailableError(
      `the Docker engine speaks API ${apiVersion}; pruning the build cache needs API ${MIN_PRUNE_API_VERSION} (Docker 18.09) or newer`
    )
  }
  checkBytes('reserved space', request.reservedBytes)
  checkBytes('max used space', request.maxUsedBytes)
  checkBytes('min free space', request.minFreeBytes)
  if (!rules.freeSpaceParams) {
    for (const field of ['maxUsedBytes', 'minFreeBytes'] as const) {
      if (positive(request[field]) > 0) {
        throw new PruneOptionUnsupportedError(
          `Input '${INPUT_NAMES[field]}' needs Docker Engine API ${FREE_SPACE_API_VERSION} (Docker 28) or newer; ` +
            `this engine speaks API ${apiVersion}, which would ignore it and prune all the cache. Nothing was pruned.`
        )
      }
    }
  }
  const query: Record<string, string> = {}
  if (request.pruneAll) query.all = '1'
  const filters = parsePruneFilters(request.filters)
  if (Object.keys(filters).length > 0) query.filters = JSON.stringify(filters)
  if (positive(request.reservedBytes) > 0) query[rules.reservedParam] = String(request.reservedBytes)
  if (rules.freeSpaceParams) {
    if (positive(request.maxUsedBytes) > 0) query['max-used-space'] = String(request.maxUsedBytes)
    if (positive(request.minFreeBytes) > 0) query['min-free-space'] = String(request.minFreeBytes)
  }
  return query
}

/**
 * Build-cache records from any /system/df shape: `BuildCache` (or
 * `BuildCacheUsage.Items` from API 1.52), parents under `Parent` (before API
 * 1.42), `Parents`, or `" Parents"` (Engine 28.5 at API 1.51: an upstream typo
 * in the JSON tag). Engine 28.5 answering at API 1.41 sends no parents at all.
 */
export function buildCacheRecords(systemDf: unknown): BuildCacheRecord[] {
  const df = (systemDf ?? {}) as { BuildCache?: unknown; BuildCacheUsage?: { Items?: unknown } | null }
  const items = df.BuildCacheUsage?.Items ?? df.BuildCache ?? []
  if (!Array.isArray(items)) return []
  return items.map((item: Record<string, unknown>) => {
    const parents = [
      item.Parent,
      ...[item.Parents, item[' Parents']].flatMap((list): unknown[] => (Array.isArray(list) ? (list as unknown[]) : []))
    ]
    return {
      ID: typeof item.ID === 'string' ? item.ID : '',
      Parents: [...new Set(parents.filter((p): p is string => typeof p === 'string' && p !== ''))],
      Type: typeof item.Type === 'string' ? item.Type : '',
      ...(typeof item.Description === 'string' ? { Description: item.Description } : {}),
      InUse: item.InUse === true,
      Shared: item.Shared === true,
      Size: typeof item.Size === 'number' && item.Size > 0 ? item.Size : 0,
      ...(typeof item.CreatedAt === 'string' ? { CreatedAt: item.CreatedAt } : {}),
      LastUsedAt: typeof item.LastUsedAt === 'string' ? item.LastUsedAt : null,
      UsageCount: typeof item.UsageCount === 'number' ? item.UsageCount : 0
    }
  })
}

/** Bytes of records not shared with images. */
export function unsharedBytes(records: readonly BuildCacheRecord[]): number {
  return records.reduce((sum, record) => sum + (record.Shared ? 0 : record.Size), 0)
}

/** Bytes of all records, shared or not: what Docker's SpaceReclaimed counts. */
export function totalBytes(records: readonly BuildCacheRecord[]): number {
  return records.reduce((sum, record) => sum + record.Size, 0)
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

/**
 * calculateKeepBytes of BuildKit 0.20+ (the 1.48 rules), or keep-storage
 * (older): the cache size the prune stops below; 0 = no size limit.
 */
export function keepBytesFor(
  rules: EngineRules,
  request: PruneRequest,
  totalSize: number,
  freeBytes: number | undefined
): number {
  const reserved = positive(request.reservedBytes)
  if (rules.keepBytes === 'keep-storage') return reserved
  const maxUsed = positive(request.maxUsedBytes)
  const minFree = positive(request.minFreeBytes)
  if (maxUsed === 0 && reserved === 0 && minFree === 0) return 0
  let keep = maxUsed
  const excess = minFree > 0 ? minFree - (freeBytes ?? 0) : 0
  if (excess > 0) keep = keep === 0 ? totalSize - excess : Math.min(keep, totalSize - excess)
  else if (minFree !== 0 && keep === 0) keep = totalSize
  return Math.max(keep, reserved)
}

export interface PruneSimulation {
  /** IDs of the records the prune removes, in the order the engine removes them. */
  readonly removed: readonly string[]
  /** Docker's SpaceReclaimed: the sum of their sizes. */
  readonly reportedBytes: number
  /** Sum of the removed records not shared with images. */
  readonly unsharedRemovedBytes: number
  /** The stop limit BuildKit computed (0: no size limit). */
  readonly keepBytes: number
  /** Filters the model cannot evaluate (and ignored). */
  readonly ignoredFilters: readonly string[]
  /**
   * Every removal the engine may make, `removed` first: more than one only
   * where a space limit's pick was a tie, which BuildKit breaks at random.
   */
  readonly outcomes: readonly PruneOutcome[]
  /** false when the ties branched into more than MAX_PRUNE_STATES states and the rest were not followed. */
  readonly outcomesComplete: boolean
}

/** One way the prune can go. */
export interface PruneOutcome {
  /** IDs of the records removed, in the engine's order. */
  readonly removed: readonly string[]
  readonly reportedBytes: number
  readonly unsharedRemovedBytes: number
}

/** States (sets of removed records) the simulation follows through ties before it stops looking for more outcomes. */
export const MAX_PRUNE_STATES = 5000

function filterChecks(
  filters: PruneFilters,
  now: number
): { checks: ((r: BuildCacheRecord) => boolean)[]; ignored: string[] } {
  const checks: ((r: BuildCacheRecord) => boolean)[] = []
  const ignored: string[] = []
  for (const [key, values] of Object.entries(filters)) {
    for (const value of Object.keys(values)) {
      switch (key) {
        case 'until':
        case 'unused-for': {
          const ms = parseGoDuration(value)
          if (ms === undefined) throw new Error(`Docker prune filter "${key}=${value}" is not a duration (e.g. 24h)`)
          // KeepDuration: kept when last used after the cut-off; never used is a candidate.
          checks.push((r) => !r.LastUsedAt || Date.parse(r.LastUsedAt) <= now - ms)
          break
        }
        case 'id': {
          // moby sends `id~=value`: a regular expression matched anywhere.
          let pattern: RegExp | undefined
          try {
            pattern = new RegExp(value)
          } catch {
            pattern = undefined
          }
          checks.push((r) => (pattern ? pattern.test(r.ID) : r.ID.includes(value)))
          break
        }
        case 'type':
          checks.push((r) => r.Type === value)
          break
        case 'description':
          checks.push((r) => r.Description === value)
          break
        case 'parent':
        case 'parents':
          checks.push((r) => r.Parents.includes(value))
          break
        case 'inuse':
        case 'shared':
        case 'private':
        case 'mutable':
        case 'immutable':
          // `key==value` against a field whose value is always "": never true.
          checks.push(() => false)
          break
        default:
          ignored.push(`${key}=${value}`)
      }
    }
  }
  return { checks, ignored }
}

/**
 * LastUsedAt to the nanosecond (RFC 3339 with up to nine fractional digits,
 * as Go prints a time.Time): Date.parse stops at the millisecond, and records
 * one build step touched within a millisecond are not a tie to BuildKit.
 */
export function lastUsedNanos(text: string | null | undefined): bigint | undefined {
  if (!text) return undefined
  const match = /^(.*?)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/i.exec(text.trim())
  const ms = Date.parse(match ? `${match[1]}${match[3]}` : text)
  if (Number.isNaN(ms)) return undefined
  const fraction = match?.[2] ?? ''
  return BigInt(ms) * 1_000_000n + BigInt(fraction.slice(0, 9).padEnd(9, '0'))
}

/**
 * Two 32-bit hashes of a record ID (FNV-1a from two offsets, each mixed by MurmurHash3's finalizer: without it IDs
 * that differ in their last character hash in a line, and their sums collide). Summed, they name a set of records.
 */
function idHash(id: string): [number, number] {
  let a = 0x811c9dc5
  let b = 0x9747b28c
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i)
    a = Math.imul(a ^ c, 0x01000193)
    b = Math.imul(b ^ c, 0x01000193)
  }
  return [fmix32(a), fmix32(b)]
}

function fmix32(h: number): number {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}

// Each record's last use, parsed once: a prune with a space limit ranks the records left at every pass.
const parsedLastUse = new WeakMap<BuildCacheRecord, bigint | undefined>()
function lastUsedOf(record: BuildCacheRecord): bigint | undefined {
  if (!parsedLastUse.has(record)) parsedLastUse.set(record, lastUsedNanos(record.LastUsedAt))
  return parsedLastUse.get(record)
}

/**
 * sortDeleteRecords: the candidates in BuildKit's removal order, and those
 * that share the first place (`firsts`: one record unless BuildKit's pick is
 * a tie, which it breaks at random).
 */
export function rankForDeletion(
  candidates: readonly BuildCacheRecord[],
  firstRank: 0 | 1
): { ordered: BuildCacheRecord[]; firsts: BuildCacheRecord[] } {
  const compareLastUsed = (a: BuildCacheRecord, b: BuildCacheRecord): number => {
    const x = lastUsedOf(a)
    const y = lastUsedOf(b)
    if (x === undefined || y === undefined) return (x === undefined ? 0 : 1) - (y === undefined ? 0 : 1)
    return x < y ? -1 : x > y ? 1 : 0
  }
  const byLastUsed = [...candidates].sort(compareLastUsed)
  const lastUsedRank = new Map<string, number>()
  let maxLastUsed = firstRank
  let latest: bigint | undefined
  for (const r of byLastUsed) {
    const t = lastUsedOf(r)
    if (t !== undefined && (latest === undefined || t > latest)) {
      latest = t
      maxLastUsed++
    }
    lastUsedRank.set(r.ID, maxLastUsed)
  }
  const byUsage = [...candidates].sort((a, b) => (a.UsageCount ?? 0) - (b.UsageCount ?? 0))
  const usageRank = new Map<string, number>()
  let maxUsage = firstRank
  let count = 0
  for (const r of byUsage) {
    if ((r.UsageCount ?? 0) !== count) {
      count = r.UsageCount ?? 0
      maxUsage++
    }
    usageRank.set(r.ID, maxUsage)
  }
  // 0/0 (BuildKit <= 0.16, nothing ever used) is NaN in Go too: such records compare as equal.
  const score = (r: BuildCacheRecord): number =>
    (lastUsedRank.get(r.ID) ?? 0) / maxLastUsed + (usageRank.get(r.ID) ?? 0) / maxUsage
  const scored = candidates.map((r) => ({ r, s: score(r) }))
  scored.sort((a, b) => (Number.isNaN(a.s) || Number.isNaN(b.s) ? 0 : a.s - b.s))
  const top = scored[0]?.s
  const firsts = scored.filter((x) => x.s === top || (Number.isNaN(x.s) && Number.isNaN(top))).map((x) => x.r)
  return { ordered: scored.map((x) => x.r), firsts }
}

/**
 * What `POST /build/prune` removes from `records` (the /system/df records
 * before it), under `rules`. `freeBytes` is the free space of the engine's
 * data root filesystem now (only min-free-space reads it). `now` is the
 * engine's clock for `until`. Where a pass's pick is a tie, every pick is
 * followed: `outcomes` holds each distinct removal, the model's first pick's first.
 */
export function simulatePrune(
  records: readonly BuildCacheRecord[],
  request: PruneRequest,
  rules: EngineRules,
  freeBytes?: number,
  now: number = Date.now()
): PruneSimulation {
  const { checks, ignored } = filterChecks(parsePruneFilters(request.filters), now)
  const eligible = (r: BuildCacheRecord): boolean =>
    !r.InUse &&
    (request.pruneAll || (!r.Shared && r.Type !== 'internal' && r.Type !== 'frontend')) &&
    checks.every((check) => check(r))
  const keepBytes = keepBytesFor(rules, request, unsharedBytes(records), freeBytes)
  const candidates = records.filter(eligible)

  /**
   * Where a run of passes stands: what it removed (in order), the children each record has left, the total, and
   * a hash of the set removed (a sum of its records' hashes: the same whatever the order of removal).
   */
  interface State {
    readonly removed: BuildCacheRecord[]
    readonly gone: Set<string>
    readonly children: Map<string, number>
    totalSize: number
    hash: [number, number]
  }
  const children = new Map<string, number>()
  const known = new Set(records.map((r) => r.ID))
  for (const r of records)
    for (const parent of r.Parents) if (known.has(parent)) children.set(parent, (children.get(parent) ?? 0) + 1)
  const remove = (state: State, batch: readonly BuildCacheRecord[]): void => {
    for (const r of batch) {
      state.gone.add(r.ID)
      state.removed.push(r)
      state.totalSize -= r.Size
      const [a, b] = idHash(r.ID)
      state.hash = [(state.hash[0] + a) >>> 0, (state.hash[1] + b) >>> 0]
      for (const parent of r.Parents) {
        const left = state.children.get(parent)
        if (left !== undefined) state.children.set(parent, left - 1)
      }
    }
  }
  /** What the next pass may remove: all leaves, or with a space limit one of the first-ranked. */
  const nextPasses = (state: State): BuildCacheRecord[][] => {
    if (keepBytes !== 0 && state.totalSize < keepBytes) return []
    const leaves = candidates.filter((r) => !state.gone.has(r.ID) && !state.children.get(r.ID))
    if (leaves.length === 0) return []
    if (keepBytes === 0) return [leaves]
    return rankForDeletion(leaves, rules.firstRank).firsts.map((r) => [r])
  }

  // Each run goes on with the first pick at every tie, so the first outcome is the model's own pick; every other
  // pick starts a run of its own from a copy. A run that reaches a set of removed records another run reached
  // stops there: from the same set the prune goes the same ways. At most MAX_PRUNE_STATES sets are followed.
  const outcomes: PruneOutcome[] = []
  const seen = new Set<string>()
  /** Marks the state's set of removed records seen; false when another run reached it first. */
  const firstVisit = (state: State): boolean => {
    const key = `${state.hash[0]}:${state.hash[1]}:${state.gone.size}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  }
  let outcomesComplete = true
  const runs: State[] = [{ removed: [], gone: new Set(), children, totalSize: unsharedBytes(records), hash: [0, 0] }]
  for (let state = runs.pop(); state; state = runs.pop()) {
    let merged = false
    for (let passes = nextPasses(state); passes.length > 0; passes = nextPasses(state)) {
      for (const batch of passes.slice(1)) {
        if (outcomes.length > 0 && seen.size >= MAX_PRUNE_STATES) {
          outcomesComplete = false
          break
        }
        const other: State = {
          removed: [...state.removed],
          gone: new Set(state.gone),
          children: new Map(state.children),
          totalSize: state.totalSize,
          hash: state.hash
        }
        remove(other, batch)
        if (firstVisit(other)) runs.push(other)
      }
      remove(state, passes[0])
      if (!firstVisit(state)) {
        merged = true
        break
      }
    }
    if (merged) continue
    outcomes.push({
      removed: state.removed.map((r) => r.ID),
      reportedBytes: totalBytes(state.removed),
      unsharedRemovedBytes: unsharedBytes(state.removed)
    })
  }
  return { ...outcomes[0], keepBytes, ignoredFilters: ignored, outcomes, outcomesComplete }
}

/** How each figure is obtained on a store: said in the summary beside the figure. */
export const STORE_MEASURES: Readonly<
  Record<ImageStore, { readonly real: string; readonly dryRun: string; readonly dryRunExact: boolean }>
> = {
  graphdriver: {
    // Images keep the layers they share; a record not shared is the build cache's alone.
    real: 'build-cache records not shared with images, before minus after (GET /system/df)',
    dryRun: 'the records the prune would remove that are not shared with images (GET /system/df)',
    dryRunExact: true
  },
  containerd: {
    // Images keep their own unpacked snapshots and share only compressed
    // blobs, and a blob can be shared without the record saying so: no
    // record figure is the disk's. stores/containerd.ts measures containerd's
    // own directories; these are the fallbacks where they cannot be read.
    real: "free space of the filesystem holding the engine's data root, after minus before (statfs on the engine's host)",
    dryRun:
      'an estimate from the records not shared with images; on the containerd image store the disk can get back ' +
      'more (snapshots of shared records) or less (blobs images still hold): in our tests on Docker 28.5 the real ' +
      'prune freed from 29% less to 17% more than this estimate, and once, when every removed record was shared ' +
      'with an image, 20.9 MB against an estimate of 4 kB',
    dryRunExact: false
  }
}

/**
 * What this prune really freed, on a graph driver: before minus after counts
 * what another prune running at the same time (another run against this
 * host) deleted too. The engine runs prunes one after another, so a prune
 * that deleted nothing freed nothing; one that names only records listed
 * before freed their unshared bytes. One that names records not listed
 * before (BuildKit replaced one since), or an engine that names none while it
 * reports space freed: before minus after.
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
