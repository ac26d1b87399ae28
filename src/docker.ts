// Docker builder-cache pruning through the Engine API (issue 3).
//
// The engine is reached exactly as the docker CLI reaches it (DOCKER_HOST,
// DOCKER_CONTEXT, the current context, ssh:// hosts, TLS settings): we spawn
// `docker system dial-stdio` and speak HTTP/1.1 over its stdin/stdout. One
// child serves every request of a run (keep-alive), so an ssh host costs one
// handshake. Nothing here parses CLI text: sizes come from `GET /system/df`
// and `POST /build/prune`, in exact bytes.
//
// This module does not touch @actions/core: it returns data and reports
// progress through an optional log callback.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { formatBytes } from './bytes.js'

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

/** How to reach the engine; every field is optional. */
export interface DockerConnectOptions {
  /**
   * Environment of the docker CLI child: DOCKER_HOST, DOCKER_CONTEXT,
   * DOCKER_CONFIG, DOCKER_TLS_VERIFY, and PATH (used to find `docker`, and by
   * the CLI to find `ssh`). Default: process.env.
   */
  readonly env?: NodeJS.ProcessEnv
  /** The docker CLI to run, a name looked up on env.PATH or a path. Default "docker". */
  readonly docker?: string
  /** Time allowed to reach the engine and get its /_ping answer. Default 30 s. */
  readonly connectTimeoutMs?: number
  /** Time allowed for each later request (/system/df, /build/prune). Default 10 min. */
  readonly operationTimeoutMs?: number
  /** Receives one human-readable line per step. */
  readonly log?: (line: string) => void
}

/** The engine could not be reached, or the docker CLI is missing: expected, no stack trace. */
export class DockerUnavailableError extends Error {
  override name = 'DockerUnavailableError'
}

/** The engine answered a request with an error status (e.g. a filter it does not know). */
export class DockerApiError extends Error {
  override name = 'DockerApiError'
  constructor(
    message: string,
    readonly status: number
  ) {
    super(message)
  }
}

/** The newest Engine API version this module knows the shapes of. */
export const MAX_API_VERSION = '1.52'
/** `POST /build/prune` takes `all`, `filters` and `keep-storage` since API 1.39 (Docker 18.09). */
export const MIN_PRUNE_API_VERSION = '1.39'
/** What the Go client assumes when /_ping carries no API-Version header. */
const FALLBACK_API_VERSION = '1.24'

const DEFAULT_CONNECT_TIMEOUT_MS = 30_000
const DEFAULT_OPERATION_TIMEOUT_MS = 10 * 60_000

// ---------------------------------------------------------------------------
// Pure parts: version negotiation, query building, dry-run estimate.

/** Compares "1.41" and "1.9" numerically: negative, 0 or positive. */
export function compareApiVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number)
  const pb = b.split('.').map(Number)
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0)
    if (diff !== 0) return diff
  }
  return 0
}

function atLeast(version: string, minimum: string): boolean {
  return compareApiVersions(version, minimum) >= 0
}

/** min(server's API version, MAX_API_VERSION); the Go client's fallback when the server says nothing. */
export function negotiateApiVersion(serverApiVersion: string | undefined): string {
  const server = serverApiVersion?.trim()
  const known = server && /^\d+\.\d+$/.test(server) ? server : FALLBACK_API_VERSION
  return compareApiVersions(known, MAX_API_VERSION) < 0 ? known : MAX_API_VERSION
}

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

// ---------------------------------------------------------------------------
// Transport: HTTP/1.1 over `docker system dial-stdio`.

interface HttpResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: Buffer
}

const CRLF = Buffer.from('\r\n')
const HEADER_END = Buffer.from('\r\n\r\n')

/** Where the CLI will look for the engine, for messages. */
function describeEndpoint(env: NodeJS.ProcessEnv): string {
  if (env.DOCKER_HOST) return `at ${env.DOCKER_HOST}`
  if (env.DOCKER_CONTEXT) return `of docker context "${env.DOCKER_CONTEXT}"`
  return 'of the current docker context'
}

/** Multi-line CLI stderr -> one line. */
function oneLine(text: string): string {
  const line = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join('; ')
  return line.length > 400 ? `${line.slice(0, 397)}...` : line
}

/** One `docker system dial-stdio` child: one HTTP/1.1 connection to the engine. */
class DialStdioConnection {
  private readonly child: ChildProcessWithoutNullStreams
  private buffered: Buffer = Buffer.alloc(0)
  private stdoutEnded = false
  private failure: Error | undefined
  private stderr = ''
  private wake: (() => void) | undefined
  private readonly exited: Promise<void>
  /** false once the server asked to close, or the connection failed. */
  reusable = true

  constructor(
    docker: string,
    env: NodeJS.ProcessEnv,
    private readonly where: string
  ) {
    this.child = spawn(docker, ['system', 'dial-stdio'], { env, stdio: ['pipe', 'pipe', 'pipe'] })
    this.exited = new Promise((resolve) => {
      this.child.once('close', () => resolve())
      this.child.once('error', () => resolve())
    })
    this.child.on('error', (error: NodeJS.ErrnoException) => {
      this.fail(
        error.code === 'ENOENT'
          ? new DockerUnavailableError(
              docker.includes('/')
                ? `the docker CLI was not found at ${docker}`
                : `the ${docker} CLI was not found on PATH`
            )
          : new DockerUnavailableError(`cannot run the docker CLI (${docker}): ${error.message}`)
      )
    })
    this.child.stdout.on('data', (chunk: Buffer) => {
      this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk])
      this.notify()
    })
    this.child.stdout.on('end', () => {
      this.stdoutEnded = true
      this.notify()
    })
    this.child.stderr.on('data', (chunk: Buffer) => {
      if (this.stderr.length < 64 * 1024) this.stderr += chunk.toString()
    })
    // EPIPE when the CLI exits early; the exit itself is what we report.
    this.child.stdin.on('error', () => undefined)
  }

  private notify(): void {
    const wake = this.wake
    this.wake = undefined
    wake?.()
  }

  fail(error: Error): void {
    this.failure ??= error
    this.reusable = false
    this.notify()
  }

  /** The reason the connection closed, from the CLI's stderr. */
  private async closedError(): Promise<Error> {
    // Wait (briefly) for the exit, so stderr is complete.
    await Promise.race([this.exited, new Promise((resolve) => setTimeout(resolve, 2000).unref())])
    const reason = oneLine(this.stderr) || 'the connection closed before the engine answered'
    return new DockerUnavailableError(`cannot reach the Docker engine ${this.where}: ${reason}`)
  }

  /** The first failure (a timeout may have come before the close). */
  private currentFailure(): Error {
    return this.failure ?? new DockerUnavailableError(`the connection to the Docker engine ${this.where} failed`)
  }

  /** Waits for more bytes; rejects when none can come. */
  private async more(): Promise<void> {
    if (this.failure) throw this.currentFailure()
    if (this.stdoutEnded) {
      this.fail(await this.closedError())
      throw this.currentFailure()
    }
    await new Promise<void>((resolve) => (this.wake = resolve))
    if (this.failure) throw this.currentFailure()
  }

  private async readUntil(delimiter: Buffer): Promise<Buffer> {
    for (;;) {
      const at = this.buffered.indexOf(delimiter)
      if (at >= 0) {
        const out = this.buffered.subarray(0, at)
        this.buffered = this.buffered.subarray(at + delimiter.length)
        return out
      }
      await this.more()
    }
  }

  private async readBytes(count: number): Promise<Buffer> {
    while (this.buffered.length < count) await this.more()
    const out = this.buffered.subarray(0, count)
    this.buffered = this.buffered.subarray(count)
    return out
  }

  private async readToEnd(): Promise<Buffer> {
    while (!this.stdoutEnded) {
      if (this.failure) throw this.failure
      await new Promise<void>((resolve) => (this.wake = resolve))
    }
    const out = this.buffered
    this.buffered = Buffer.alloc(0)
    return out
  }

  private async readChunked(): Promise<Buffer> {
    const parts: Buffer[] = []
    for (;;) {
      const sizeLine = (await this.readUntil(CRLF)).toString('latin1').split(';')[0].trim()
      if (!/^[0-9a-fA-F]+$/.test(sizeLine)) throw this.protocolError(`bad chunk size "${sizeLine.slice(0, 20)}"`)
      const size = parseInt(sizeLine, 16)
      if (size === 0) {
        // Trailers, up to an empty line.
        while ((await this.readUntil(CRLF)).length > 0);
        return Buffer.concat(parts)
      }
      parts.push(await this.readBytes(size))
      if ((await this.readUntil(CRLF)).length !== 0) throw this.protocolError('chunk longer than announced')
    }
  }

  private protocolError(what: string): DockerUnavailableError {
    this.reusable = false
    return new DockerUnavailableError(`unexpected HTTP answer from the Docker engine ${this.where}: ${what}`)
  }

  async request(method: 'GET' | 'POST' | 'HEAD', path: string): Promise<HttpResponse> {
    if (this.failure) throw this.failure
    const lines = [
      `${method} ${path} HTTP/1.1`,
      'Host: docker',
      'User-Agent: clear-app-caches',
      'Accept: application/json'
    ]
    if (method === 'POST') lines.push('Content-Length: 0')
    this.child.stdin.write(`${lines.join('\r\n')}\r\n\r\n`)
    for (;;) {
      const head = (await this.readUntil(HEADER_END)).toString('latin1')
      const [statusLine, ...headerLines] = head.split('\r\n')
      const status = /^HTTP\/1\.[01] (\d{3})\b/.exec(statusLine)
      if (!status) throw this.protocolError(`"${statusLine.slice(0, 80)}"`)
      const headers: Record<string, string> = {}
      for (const line of headerLines) {
        const colon = line.indexOf(':')
        if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
      }
      const code = Number(status[1])
      if (code >= 100 && code < 200) continue // 100 Continue and friends: the real answer follows
      if ((headers.connection ?? '').toLowerCase().includes('close')) this.reusable = false
      let body: Buffer
      if (method === 'HEAD' || code === 204 || code === 304) body = Buffer.alloc(0)
      else if ((headers['transfer-encoding'] ?? '').toLowerCase().includes('chunked')) body = await this.readChunked()
      else if (headers['content-length'] !== undefined) {
        const length = Number(headers['content-length'])
        if (!Number.isSafeInteger(length) || length < 0) throw this.protocolError('bad Content-Length')
        body = await this.readBytes(length)
      } else {
        this.reusable = false
        body = await this.readToEnd()
      }
      return { status: code, headers, body }
    }
  }

  /** Ends stdin (the CLI then closes the connection and exits); kills it if it lingers. */
  async close(): Promise<void> {
    this.reusable = false
    if (this.failure && this.child.exitCode === null && this.child.signalCode === null) {
      // Timed out or broken: no polite goodbye.
      this.child.kill('SIGTERM')
    }
    this.child.stdin.end()
    const settled = (ms: number): Promise<boolean> =>
      Promise.race([
        this.exited.then(() => true),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms).unref())
      ])
    if (this.child.exitCode !== null || this.child.signalCode !== null || (await settled(3000))) return
    this.child.kill('SIGTERM')
    if (await settled(2000)) return
    this.child.kill('SIGKILL')
    await settled(2000)
  }
}

/** Sequential requests to one engine over one dial-stdio child, reconnecting if the server closes. */
class EngineSession {
  private connection: DialStdioConnection | undefined
  readonly where: string
  private readonly docker: string
  private readonly env: NodeJS.ProcessEnv

  constructor(options: DockerConnectOptions) {
    this.env = options.env ?? process.env
    this.docker = options.docker ?? 'docker'
    this.where = describeEndpoint(this.env)
  }

  async request(method: 'GET' | 'POST', path: string, timeoutMs: number): Promise<HttpResponse> {
    if (this.connection && !this.connection.reusable) {
      await this.connection.close()
      this.connection = undefined
    }
    const connection = (this.connection ??= new DialStdioConnection(this.docker, this.env, this.where))
    const timer = setTimeout(() => {
      const seconds = timeoutMs / 1000
      connection.fail(
        path === '/_ping'
          ? new DockerUnavailableError(`cannot reach the Docker engine ${this.where}: no answer within ${seconds} s`)
          : new DockerUnavailableError(
              `the Docker engine ${this.where} did not answer ${method} ${path.split('?')[0]} within ${seconds} s`
            )
      )
    }, timeoutMs)
    try {
      return await connection.request(method, path)
    } finally {
      clearTimeout(timer)
    }
  }

  /** A JSON answer; an error status throws DockerApiError with the engine's message. */
  async json<T>(method: 'GET' | 'POST', path: string, timeoutMs: number): Promise<T> {
    const response = await this.request(method, path, timeoutMs)
    const text = response.body.toString('utf8')
    if (response.status < 200 || response.status >= 300) {
      let message = text.trim()
      try {
        message = (JSON.parse(text) as { message?: string }).message ?? message
      } catch {
        // not JSON: keep the text
      }
      throw new DockerApiError(
        `the Docker engine ${this.where} refused ${method} ${path.split('?')[0]} (HTTP ${response.status}): ${oneLine(message)}`,
        response.status
      )
    }
    try {
      return JSON.parse(text) as T
    } catch {
      throw new DockerApiError(
        `the Docker engine ${this.where} answered ${method} ${path.split('?')[0]} with something that is not JSON`,
        response.status
      )
    }
  }

  async close(): Promise<void> {
    await this.connection?.close()
    this.connection = undefined
  }
}

// ---------------------------------------------------------------------------
// The operation.

/**
 * Prunes (or, in a dry run, measures) the Docker builder cache of the engine
 * the docker CLI would talk to. Throws DockerUnavailableError when the CLI is
 * missing or the engine cannot be reached or is too old, DockerApiError when
 * the engine refuses the prune (e.g. an unknown filter), Error for settings
 * that are not valid.
 */
export async function pruneBuildCache(
  settings: DockerPruneSettings,
  options: DockerConnectOptions = {}
): Promise<DockerPruneResult> {
  const log = options.log ?? (() => undefined)
  const connectTimeout = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS
  const operationTimeout = options.operationTimeoutMs ?? DEFAULT_OPERATION_TIMEOUT_MS
  // Settings errors come before any connection.
  parsePruneFilters(settings.filters)
  buildPruneQuery(MAX_API_VERSION, settings)

  const session = new EngineSession(options)
  try {
    const ping = await session.request('GET', '/_ping', connectTimeout)
    if (ping.status !== 200) {
      throw new DockerUnavailableError(
        `the Docker engine ${session.where} answered /_ping with HTTP ${ping.status}: ${oneLine(ping.body.toString('utf8'))}`
      )
    }
    const serverApi = ping.headers['api-version']
    const apiVersion = negotiateApiVersion(serverApi)
    const query = buildPruneQuery(apiVersion, settings)
    const version = await session.json<{ Version?: string }>('GET', `/v${apiVersion}/version`, operationTimeout)
    const serverVersion = version.Version ?? 'unknown'
    log(`Docker engine ${serverVersion} ${session.where}: API ${serverApi ?? 'unknown'}, using ${apiVersion}`)

    const before = buildCacheRecords(await session.json('GET', systemDfPath(apiVersion), operationTimeout))
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
    const pruned = await session.json<{ CachesDeleted?: string[] | null; SpaceReclaimed?: number }>(
      'POST',
      `/v${apiVersion}/build/prune${queryText ? `?${queryText}` : ''}`,
      operationTimeout
    )
    const after = buildCacheRecords(await session.json('GET', systemDfPath(apiVersion), operationTimeout))
    const cacheBytesAfter = unsharedBytes(after)
    const reclaimedBytes = Math.max(0, cacheBytesBefore - cacheBytesAfter)
    const reportedBytes = pruned.SpaceReclaimed ?? 0
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
    await session.close()
  }
}
