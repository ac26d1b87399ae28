// A local stand-in for the GitHub REST endpoints the actions-cache target
// uses, following GitHub's documentation ("List GitHub Actions caches for a
// repository", "Delete GitHub Actions caches for a repository (using a cache
// key)", "Delete a GitHub Actions cache for a repository (using a cache ID)",
// "Get GitHub Actions cache usage for a repository", "Using pagination in the
// REST API", "Rate limits for the REST API"):
//   GET    /repos/{owner}/{repo}/actions/cache/usage   full_name, active_caches_size_in_bytes, active_caches_count
//   GET    /repos/{owner}/{repo}/actions/caches   key (prefix), ref, sort, direction, per_page (max 100), page
//   DELETE /repos/{owner}/{repo}/actions/caches?key=KEY[&ref=REF]   the complete key, every ref unless one
//          is given; 200 with the deleted caches (total_count, actions_caches); 404 when none has that key
//   DELETE /repos/{owner}/{repo}/actions/caches/{cache_id}   204; 404 once gone
// Pages carry `total_count` and `actions_caches` and a Link header built as
// GitHub builds it (on /repositories/{id}/..., rel next/last/prev/first); every
// answer carries the x-ratelimit-* headers. A token is 'write' (actions:
// write), 'read' (a fork's pull request: 403 "Resource not accessible by
// integration" on delete; it may read the usage, as anyone with read access
// may) or unknown (401). It can answer one DELETE with a secondary rate limit
// (403 + retry-after) or a spent primary one (x-ratelimit-remaining 0), fail
// some deletes (500), ignore the listing's filters, make entries vanish or
// appear when the first DELETE arrives (another run was faster, or saved an
// entry after the listing), refuse the usage (403/404), give the usage as of
// its start (GitHub refreshes the figure about every 5 minutes), serve under a
// GHES prefix (/api/v3) and act as an HTTP CONNECT proxy to itself. It records
// every request. Loopback only.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface CacheEntry {
  id: number
  ref: string
  key: string
  version: string
  last_accessed_at: string
  created_at: string
  size_in_bytes: number
}

export interface RecordedRequest {
  method: string
  /** Without the prefix and the query. */
  path: string
  query: Record<string, string>
  authorization?: string
  apiVersion?: string
  status: number
  /** Date.now() when the request arrived. */
  at: number
}

export type TokenAccess = 'write' | 'read'

export interface GitHubApiOptions {
  /** owner/name */
  repository: string
  entries: CacheEntry[]
  /** Token → what it may do; any other token gets 401. */
  tokens: Record<string, TokenAccess>
  /** A GitHub Enterprise Server serves the API under /api/v3. */
  pathPrefix?: string
  /** Answer the n-th DELETE (1-based) with a secondary rate limit, once. */
  secondaryRateLimitOnDelete?: number
  /** The retry-after of that answer, in seconds. */
  retryAfterSeconds?: number
  /** Answer the n-th DELETE (1-based) as if the primary rate limit were spent (x-ratelimit-remaining 0), once. */
  primaryRateLimitOnDelete?: number
  /** Ids whose every DELETE fails with a 500. */
  failingDeletes?: number[]
  /** Ignore the key and ref filters, as a server that does not know them would. */
  ignoreFilters?: boolean
  /** Ids that disappear when the first DELETE arrives. */
  vanishOnFirstDelete?: number[]
  /** Entries saved when the first DELETE arrives, after the listing. */
  appearOnFirstDelete?: CacheEntry[]
  /** Answer the usage with this status, as a token or server that may not give it would. */
  usageStatus?: 403 | 404
  /** Give the usage as of the server's start: GitHub's figure lags the deletes by up to about 5 minutes. */
  usageAsOfStart?: boolean
}

export interface GitHubApi {
  /** For GITHUB_API_URL: http://127.0.0.1:PORT[prefix]. */
  readonly url: string
  readonly port: number
  readonly requests: RecordedRequest[]
  /** Targets of CONNECT requests (when used as a proxy). */
  readonly connects: string[]
  /** The entries still stored. */
  entries(): CacheEntry[]
  close(): Promise<void>
}

export const REPOSITORY_ID = 641234567
const API_VERSION = '2022-11-28'
const DOCS = 'https://docs.github.com/rest/actions/cache'
const LIST_DOCS = `${DOCS}#list-github-actions-caches-for-a-repository`
const DELETE_DOCS = `${DOCS}#delete-a-github-actions-cache-for-a-repository-using-a-cache-id`
const DELETE_KEY_DOCS = `${DOCS}#delete-github-actions-caches-for-a-repository-using-a-cache-key`
const USAGE_DOCS = `${DOCS}#get-github-actions-cache-usage-for-a-repository`
const SECONDARY_DOCS =
  'https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits'
const SORT_FIELDS = ['created_at', 'last_accessed_at', 'size_in_bytes'] as const
const RATE_LIMIT = 5000

/** `count` entries with keys `${keyOf(i)}`, newest first by id, sizes 1 MB + i. */
export function makeEntries(
  count: number,
  keyOf: (i: number) => string,
  refOf: (i: number) => string = () => 'refs/heads/main',
  lastUsedOf: (i: number) => Date = (i) => new Date(Date.UTC(2026, 0, 1, 0, i))
): CacheEntry[] {
  return Array.from({ length: count }, (_, i) => ({
    id: 1000 + i,
    ref: refOf(i),
    key: keyOf(i),
    version: `v${String(i).padStart(63, '0')}`,
    last_accessed_at: lastUsedOf(i).toISOString(),
    created_at: new Date(Date.UTC(2025, 11, 1, 0, i)).toISOString(),
    size_in_bytes: 1_000_000 + i
  }))
}

export async function startGitHubApi(options: GitHubApiOptions): Promise<GitHubApi> {
  const prefix = options.pathPrefix ?? ''
  const stored = new Map(options.entries.map((entry) => [entry.id, { ...entry }]))
  const requests: RecordedRequest[] = []
  const connects: string[] = []
  let used = 0
  let deletes = 0
  let limited = false
  let exhausted = false
  const resetAt = Math.floor(Date.now() / 1000) + 3600

  const send = (res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void => {
    used++
    res.writeHead(status, {
      ...(body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
      'x-github-api-version-selected': API_VERSION,
      'x-github-request-id': `0000:${used.toString(16).toUpperCase()}:LOCAL`,
      'x-ratelimit-limit': String(RATE_LIMIT),
      'x-ratelimit-remaining': String(RATE_LIMIT - used),
      'x-ratelimit-reset': String(resetAt),
      'x-ratelimit-used': String(used),
      'x-ratelimit-resource': 'core',
      ...headers
    })
    res.end(body === undefined ? undefined : JSON.stringify(body))
  }
  const error = (res: ServerResponse, status: number, message: string, documentation: string): void =>
    send(res, status, { message, documentation_url: documentation, status: String(status) })

  const list = (req: IncomingMessage, res: ServerResponse, url: URL): void => {
    const params = url.searchParams
    const sort = params.get('sort') ?? 'last_accessed_at'
    const direction = params.get('direction') ?? 'desc'
    if (!(SORT_FIELDS as readonly string[]).includes(sort) || !['asc', 'desc'].includes(direction)) {
      error(res, 422, 'Validation Failed', LIST_DOCS)
      return
    }
    const perPage = Math.min(100, Math.max(1, Number(params.get('per_page') ?? 30) || 30))
    const page = Math.max(1, Number(params.get('page') ?? 1) || 1)
    const key = params.get('key')
    const ref = params.get('ref')
    const field = sort as (typeof SORT_FIELDS)[number]
    const matching = [...stored.values()]
      .filter(
        (entry) =>
          options.ignoreFilters === true ||
          ((key === null || entry.key.startsWith(key)) && (ref === null || entry.ref === ref))
      )
      .sort((a, b) => {
        const order = a[field] < b[field] ? -1 : a[field] > b[field] ? 1 : a.id - b.id
        return direction === 'asc' ? order : -order
      })
    const lastPage = Math.max(1, Math.ceil(matching.length / perPage))
    // GitHub's links name the repository by id and keep the query as sent, with page set.
    const link = (n: number): string => {
      const query = new URLSearchParams(params)
      query.set('page', String(n))
      return `<http://${req.headers.host}${prefix}/repositories/${REPOSITORY_ID}/actions/caches?${query.toString()}>`
    }
    const rels: string[] = []
    if (page > 1) rels.push(`${link(Math.min(page - 1, lastPage))}; rel="prev"`)
    if (page < lastPage) rels.push(`${link(page + 1)}; rel="next"`, `${link(lastPage)}; rel="last"`)
    if (page > 1) rels.push(`${link(1)}; rel="first"`)
    send(
      res,
      200,
      { total_count: matching.length, actions_caches: matching.slice((page - 1) * perPage, page * perPage) },
      rels.length > 0 ? { link: rels.join(', ') } : {}
    )
  }

  const usageAtStart = { size: 0, count: 0 }
  for (const entry of stored.values()) {
    usageAtStart.size += entry.size_in_bytes
    usageAtStart.count++
  }
  const usage = (res: ServerResponse): void => {
    if (options.usageStatus === 403) {
      error(res, 403, 'Resource not accessible by integration', USAGE_DOCS)
      return
    }
    if (options.usageStatus === 404) {
      error(res, 404, 'Not Found', USAGE_DOCS)
      return
    }
    const now = { size: 0, count: 0 }
    for (const entry of stored.values()) {
      now.size += entry.size_in_bytes
      now.count++
    }
    const figure = options.usageAsOfStart === true ? usageAtStart : now
    send(res, 200, {
      full_name: options.repository,
      active_caches_size_in_bytes: figure.size,
      active_caches_count: figure.count
    })
  }

  /** What every DELETE meets first; true when it has been answered. */
  const refuseDelete = (res: ServerResponse, access: TokenAccess, documentation: string): boolean => {
    deletes++
    if (deletes === 1) {
      for (const gone of options.vanishOnFirstDelete ?? []) stored.delete(gone)
      for (const entry of options.appearOnFirstDelete ?? []) stored.set(entry.id, { ...entry })
    }
    if (access === 'read') {
      error(res, 403, 'Resource not accessible by integration', documentation)
      return true
    }
    if (!limited && deletes === options.secondaryRateLimitOnDelete) {
      limited = true
      send(
        res,
        403,
        {
          message:
            'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. ' +
            'If you reach out to GitHub Support for help, please include the request ID 0000:LIMIT:LOCAL.',
          documentation_url: SECONDARY_DOCS,
          status: '403'
        },
        { 'retry-after': String(options.retryAfterSeconds ?? 60) }
      )
      return true
    }
    if (!exhausted && deletes === options.primaryRateLimitOnDelete) {
      exhausted = true
      send(
        res,
        403,
        {
          message:
            'API rate limit exceeded for installation ID 12345678. If you reach out to GitHub Support for help, ' +
            'please include the request ID 0000:SPENT:LOCAL and timestamp.',
          documentation_url:
            'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-the-primary-rate-limit',
          status: '403'
        },
        { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 2) }
      )
      return true
    }
    return false
  }

  const removeById = (res: ServerResponse, access: TokenAccess, id: number): void => {
    if (refuseDelete(res, access, DELETE_DOCS)) return
    if (options.failingDeletes?.includes(id)) {
      send(res, 500, { message: 'Server Error' })
      return
    }
    if (!stored.delete(id)) {
      error(res, 404, 'Not Found', DELETE_DOCS)
      return
    }
    send(res, 204)
  }

  // The complete key (not a prefix), on every ref unless one is given; the
  // answer lists the caches deleted.
  const removeByKey = (res: ServerResponse, access: TokenAccess, url: URL): void => {
    const key = url.searchParams.get('key')
    const ref = url.searchParams.get('ref')
    if (key === null || key === '') {
      error(res, 422, 'Validation Failed', DELETE_KEY_DOCS)
      return
    }
    if (refuseDelete(res, access, DELETE_KEY_DOCS)) return
    const matching = [...stored.values()].filter((entry) => entry.key === key && (ref === null || entry.ref === ref))
    if (matching.some((entry) => options.failingDeletes?.includes(entry.id))) {
      send(res, 500, { message: 'Server Error' })
      return
    }
    if (matching.length === 0) {
      error(res, 404, 'Not Found', DELETE_KEY_DOCS)
      return
    }
    for (const entry of matching) stored.delete(entry.id)
    send(res, 200, { total_count: matching.length, actions_caches: matching })
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://local')
    const record: RecordedRequest = {
      method: req.method ?? '',
      path: url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : url.pathname,
      query: Object.fromEntries(url.searchParams),
      authorization: req.headers.authorization,
      apiVersion: req.headers['x-github-api-version'] as string | undefined,
      status: 0,
      at: Date.now()
    }
    requests.push(record)
    res.on('finish', () => (record.status = res.statusCode))
    req.resume()
    const token = /^(?:token|bearer) (.+)$/i.exec(req.headers.authorization ?? '')?.[1]
    const access = token === undefined ? undefined : options.tokens[token]
    const [owner, repo] = options.repository.split('/')
    const repoPaths = [`/repos/${owner}/${repo}`, `/repositories/${REPOSITORY_ID}`]
    const base = repoPaths.find((p) => record.path.startsWith(`${p}/actions/cache`))
    if (!url.pathname.startsWith(prefix) || base === undefined) {
      error(res, 404, 'Not Found', 'https://docs.github.com/rest')
      return
    }
    if (access === undefined) {
      error(res, 401, 'Bad credentials', 'https://docs.github.com/rest')
      return
    }
    const rest = record.path.slice(`${base}/actions/`.length)
    if (req.method === 'GET' && rest === 'cache/usage') usage(res)
    else if (req.method === 'GET' && rest === 'caches') list(req, res, url)
    else if (req.method === 'DELETE' && rest === 'caches') removeByKey(res, access, url)
    else if (req.method === 'DELETE' && /^caches\/\d+$/.test(rest)) removeById(res, access, Number(rest.slice(7)))
    else error(res, 404, 'Not Found', 'https://docs.github.com/rest')
  })
  // As a proxy: a CONNECT tunnel leads back into this server.
  server.on('connect', (req, socket, head) => {
    connects.push(req.url ?? '')
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n')
    if (head.length > 0) socket.unshift(head)
    server.emit('connection', socket)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    port,
    requests,
    connects,
    entries: () => [...stored.values()],
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
