// The actions-cache module against a local server that follows GitHub's
// documented REST API (helpers/github-api.ts): every page is read before the
// first delete, exactly the matching entries go, 404s are not counted, a
// read-only token and a rate limit behave as documented.
import { afterEach, describe, expect, test } from '@jest/globals'
import { ActionsCacheError, clearActionsCache } from '../src/actions-cache.js'
import type { ActionsCacheSettings } from '../src/inputs.js'
import { makeEntries, startGitHubApi, type CacheEntry, type GitHubApi } from './helpers/github-api.js'

const REPOSITORY = 'octo-org/web'
const DAY = 86_400_000
// GitHub's waits (1 s between deletes, retry-after) at a thousandth.
const WAIT_SCALE = 0.001

const servers: GitHubApi[] = []
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close()
})

async function server(entries: CacheEntry[], options: Partial<Parameters<typeof startGitHubApi>[0]> = {}) {
  const api = await startGitHubApi({
    repository: REPOSITORY,
    entries,
    tokens: { 'write-token': 'write', 'read-token': 'read' },
    ...options
  })
  servers.push(api)
  return api
}

function settings(api: GitHubApi, overrides: Partial<ActionsCacheSettings> = {}): ActionsCacheSettings {
  return {
    repository: REPOSITORY,
    apiUrl: api.url,
    token: 'write-token',
    keyPrefixes: ['Linux-nextjs-'],
    refs: [],
    waitScale: WAIT_SCALE,
    ...overrides
  }
}

/**
 * 250 Next.js entries (three pages of 100) of which 120, spread over every
 * page, were last used 10 days ago and the rest an hour ago; and 30
 * BuildKit entries that no listing here names.
 */
function pagingCase(now: number): { entries: CacheEntry[]; old: CacheEntry[] } {
  const isOld = (i: number): boolean => i % 25 < 12
  const nextjs = makeEntries(
    250,
    (i) => `Linux-nextjs-${i.toString(16).padStart(40, '0')}`,
    (i) => (i % 2 === 0 ? 'refs/heads/main' : 'refs/pull/42/merge'),
    (i) => new Date(now - (isOld(i) ? 10 * DAY : 3_600_000))
  )
  const buildkit = makeEntries(30, (i) => `index-buildkit-${i}`).map((entry) => ({ ...entry, id: entry.id + 5000 }))
  return { entries: [...nextjs, ...buildkit], old: nextjs.filter((_, i) => isOld(i)) }
}

const ids = (entries: readonly { id: number }[]): number[] => entries.map((entry) => entry.id).sort((a, b) => a - b)

describe('clearActionsCache', () => {
  test('250 entries over three pages, 120 unused for 7d: every page is read first, exactly those 120 go', async () => {
    const now = Date.now()
    const { entries, old } = pagingCase(now)
    const api = await server(entries)
    const lines: string[] = []
    const result = await clearActionsCache(settings(api, { unusedFor: { text: '7d', ms: 7 * DAY } }), {
      dryRun: false,
      log: (line) => lines.push(line),
      now: () => now
    })

    const gets = api.requests.filter((r) => r.method === 'GET')
    const deletes = api.requests.filter((r) => r.method === 'DELETE')
    expect(gets.map((r) => [r.path, r.query.page ?? '1'])).toEqual([
      [`/repos/${REPOSITORY}/actions/caches`, '1'],
      [`/repositories/641234567/actions/caches`, '2'],
      [`/repositories/641234567/actions/caches`, '3']
    ])
    for (const get of gets) expect(get.query).toMatchObject({ key: 'Linux-nextjs-', per_page: '100' })
    // Every page before the first delete.
    expect(api.requests.findIndex((r) => r.method === 'DELETE')).toBe(gets.length)
    expect(deletes.map((r) => Number(r.path.split('/').pop())).sort((a, b) => a - b)).toEqual(ids(old))
    expect(deletes.every((r) => r.status === 204)).toBe(true)
    for (const request of api.requests) {
      expect(request.authorization).toBe('token write-token')
      expect(request.apiVersion).toBe('2022-11-28')
    }

    expect(result.listedCount).toBe(250)
    expect(ids(result.deleted)).toEqual(ids(old))
    expect(result.deletedBytes).toBe(old.reduce((sum, entry) => sum + entry.size_in_bytes, 0))
    expect(result.failures).toEqual([])
    expect(result.alreadyGone).toEqual([])
    expect(ids(api.entries())).toEqual(ids(entries.filter((entry) => !old.includes(entry))))
    expect(lines).toContain("Listed key prefix 'Linux-nextjs-': 250 entries in 3 pages.")
  })

  test('cancelled mid-run: the delete in flight finishes, no other starts, what went is returned', async () => {
    const now = Date.now()
    const { entries, old } = pagingCase(now)
    const api = await server(entries)
    const cancel = new AbortController()
    const result = await clearActionsCache(settings(api, { unusedFor: { text: '7d', ms: 7 * DAY } }), {
      dryRun: false,
      now: () => now,
      signal: cancel.signal,
      // The progress line after the 25th delete: cancel there.
      log: (line) => {
        if (line.startsWith('… 25 of')) cancel.abort()
      }
    })
    expect(result.deleted).toHaveLength(25)
    expect(api.requests.filter((r) => r.method === 'DELETE')).toHaveLength(25)
    expect(result.failures).toEqual([])
    expect(api.entries()).toHaveLength(entries.length - 25)
    expect(old.length).toBeGreaterThan(25)
  })

  test('several key prefixes and refs: one listing each, deduplicated by id; the ref filter is honoured', async () => {
    const { entries } = pagingCase(Date.now())
    const api = await server(entries)
    const result = await clearActionsCache(
      settings(api, { keyPrefixes: ['Linux-', 'Linux-nextjs-'], refs: ['refs/pull/42/merge', 'refs/heads/nope'] }),
      { dryRun: false }
    )
    const listings = api.requests
      .filter((r) => r.method === 'GET' && (r.query.page ?? '1') === '1')
      .map((r) => [r.query.key, r.query.ref])
    expect(listings).toEqual([
      ['Linux-', 'refs/pull/42/merge'],
      ['Linux-', 'refs/heads/nope'],
      ['Linux-nextjs-', 'refs/pull/42/merge'],
      ['Linux-nextjs-', 'refs/heads/nope']
    ])
    const prEntries = entries.filter((entry) => entry.ref === 'refs/pull/42/merge')
    expect(prEntries).toHaveLength(125)
    const deletes = api.requests.filter((r) => r.method === 'DELETE').map((r) => Number(r.path.split('/').pop()))
    expect(deletes.sort((a, b) => a - b)).toEqual(ids(prEntries))
    expect(result.deleted).toHaveLength(125)
  })

  test('dry run: lists what would go with sizes, deletes nothing, works with a read-only token', async () => {
    const now = Date.now()
    const { entries, old } = pagingCase(now)
    const api = await server(entries)
    const result = await clearActionsCache(
      settings(api, { token: 'read-token', unusedFor: { text: '7d', ms: 7 * DAY } }),
      { dryRun: true, now: () => now }
    )
    expect(api.requests.filter((r) => r.method !== 'GET')).toEqual([])
    expect(api.entries()).toHaveLength(entries.length)
    expect(result.dryRun).toBe(true)
    expect(ids(result.deleted)).toEqual(ids(old))
    expect(result.deletedBytes).toBe(old.reduce((sum, entry) => sum + entry.size_in_bytes, 0))
  })

  test('read-only token: the 403 names the permission and explains forks; no further delete is sent', async () => {
    const { entries, old } = pagingCase(Date.now())
    const api = await server(entries)
    const result = await clearActionsCache(
      settings(api, { token: 'read-token', unusedFor: { text: '7d', ms: 7 * DAY } }),
      { dryRun: false }
    )
    expect(api.requests.filter((r) => r.method === 'DELETE')).toHaveLength(1)
    expect(result.deleted).toEqual([])
    expect(ids(result.failures.map((failure) => failure.entry))).toEqual(ids(old))
    const reason = result.failures[0].reason
    expect(reason).toMatch(/^403 Resource not accessible by integration/)
    expect(reason).toContain('permissions: actions: write')
    expect(reason).toMatch(/pull request from a fork gets a read-only GITHUB_TOKEN/)
    expect(api.entries()).toHaveLength(entries.length)
  })

  test('a secondary rate limit (403 + retry-after) is waited out and the delete retried', async () => {
    const entries = makeEntries(5, (i) => `Linux-nextjs-${i}`)
    const api = await server(entries, { secondaryRateLimitOnDelete: 3, retryAfterSeconds: 60 })
    const lines: string[] = []
    const result = await clearActionsCache(settings(api), { dryRun: false, log: (line) => lines.push(line) })
    const deletes = api.requests.filter((r) => r.method === 'DELETE')
    expect(deletes.map((r) => r.status)).toEqual([204, 204, 403, 204, 204, 204])
    expect(deletes[3].path).toBe(deletes[2].path)
    // retry-after: 60 at WAIT_SCALE is 60 ms; the retry cannot come sooner (less 2 ms: Date.now() and timer rounding).
    expect(deletes[3].at - deletes[2].at).toBeGreaterThanOrEqual(60 * 1000 * WAIT_SCALE - 2)
    expect(lines.join('\n')).toMatch(
      /secondary rate limit on DELETE \/repos\/octo-org\/web\/actions\/caches\/\d+: waiting 60 s as GitHub asks, then retrying/
    )
    expect(result.deleted).toHaveLength(5)
    expect(result.failures).toEqual([])
    expect(api.entries()).toEqual([])
  })

  test('a spent primary rate limit (x-ratelimit-remaining 0) is waited out until x-ratelimit-reset', async () => {
    const entries = makeEntries(3, (i) => `Linux-nextjs-${i}`)
    const api = await server(entries, { primaryRateLimitOnDelete: 2 })
    const lines: string[] = []
    const result = await clearActionsCache(settings(api), { dryRun: false, log: (line) => lines.push(line) })
    const deletes = api.requests.filter((r) => r.method === 'DELETE')
    expect(deletes.map((r) => r.status)).toEqual([204, 403, 204, 204])
    expect(deletes[2].path).toBe(deletes[1].path)
    expect(lines.join('\n')).toMatch(
      /rate limit \(x-ratelimit-remaining 0\) on DELETE .*: waiting [23] s as GitHub asks/
    )
    expect(result.deleted).toHaveLength(3)
  })

  test('a server that ignores the key and ref filters cannot widen what is deleted', async () => {
    const { entries } = pagingCase(Date.now())
    const api = await server(entries, { ignoreFilters: true })
    const result = await clearActionsCache(
      settings(api, { keyPrefixes: ['index-buildkit-'], refs: ['refs/heads/main'] }),
      {
        dryRun: false
      }
    )
    // The listing returned all 280 entries; only the 30 BuildKit entries on main match.
    expect(result.listedCount).toBe(30)
    expect(ids(result.deleted)).toEqual(ids(entries.filter((entry) => entry.key.startsWith('index-buildkit-'))))
    expect(api.entries().filter((entry) => entry.key.startsWith('Linux-nextjs-'))).toHaveLength(250)
  })

  test('a delete that keeps failing is retried, then named with its reason; the others still go', async () => {
    const entries = makeEntries(5, (i) => `Linux-nextjs-${i}`)
    const api = await server(entries, { failingDeletes: [entries[1].id] })
    const result = await clearActionsCache(settings(api), { dryRun: false })
    // plugin-retry: the first try and three retries.
    expect(api.requests.filter((r) => r.path.endsWith(`/${entries[1].id}`))).toHaveLength(4)
    expect(result.deleted).toHaveLength(4)
    expect(result.failures).toEqual([
      { entry: expect.objectContaining({ key: 'Linux-nextjs-1' }), reason: '500 Server Error' }
    ])
    expect(api.entries().map((entry) => entry.key)).toEqual(['Linux-nextjs-1'])
  })

  test('an entry gone before its delete (404) is neither an error nor counted', async () => {
    const entries = makeEntries(6, (i) => `Linux-nextjs-${i}`)
    const vanished = [entries[2].id, entries[4].id]
    const api = await server(entries, { vanishOnFirstDelete: vanished })
    const result = await clearActionsCache(settings(api), { dryRun: false })
    expect(api.requests.filter((r) => r.status === 404)).toHaveLength(2)
    expect(ids(result.alreadyGone)).toEqual(vanished)
    expect(result.deleted).toHaveLength(4)
    expect(result.deletedBytes).toBe(
      entries.filter((entry) => !vanished.includes(entry.id)).reduce((sum, entry) => sum + entry.size_in_bytes, 0)
    )
    expect(result.failures).toEqual([])
  })

  test('deletes are paced: one at a time, the write interval apart', async () => {
    const entries = makeEntries(3, (i) => `Linux-nextjs-${i}`)
    const api = await server(entries)
    // 1 s between writes at a fifth: 200 ms. Unpaced, they would arrive within a few ms.
    await clearActionsCache(settings(api, { waitScale: 0.2 }), { dryRun: false })
    const times = api.requests.filter((r) => r.method === 'DELETE').map((r) => r.at)
    expect(times).toHaveLength(3)
    // Half the interval: arrival times carry the jitter of an event loop shared with the client.
    for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(100)
  })

  test('a bad token fails the listing with a clear error and deletes nothing', async () => {
    const api = await server(makeEntries(3, (i) => `Linux-nextjs-${i}`))
    const run = clearActionsCache(settings(api, { token: 'nope' }), { dryRun: false })
    await expect(run).rejects.toThrow(ActionsCacheError)
    await expect(clearActionsCache(settings(api, { token: 'nope' }), { dryRun: false })).rejects.toThrow(
      /Could not list the Actions cache of octo-org\/web: 401 Bad credentials.*not valid for/
    )
    expect(api.requests.filter((r) => r.method === 'DELETE')).toEqual([])
  })

  test('another repository than the token can see: 404 on listing names it', async () => {
    const api = await server(makeEntries(3, (i) => `Linux-nextjs-${i}`))
    await expect(clearActionsCache(settings(api, { repository: 'octo-org/other' }), { dryRun: false })).rejects.toThrow(
      /404 Not Found.*No repository octo-org\/other that this token can see/
    )
  })

  test('GitHub Enterprise Server: the API under /api/v3, links followed as given', async () => {
    const entries = makeEntries(150, (i) => `Linux-nextjs-${i}`)
    const api = await server(entries, { pathPrefix: '/api/v3' })
    expect(api.url).toMatch(/\/api\/v3$/)
    const result = await clearActionsCache(settings(api), { dryRun: true })
    expect(result.deleted).toHaveLength(150)
    expect(api.requests.filter((r) => r.method === 'GET')).toHaveLength(2)
    expect(api.requests.every((r) => r.status === 200)).toBe(true)
  })

  test('through the runner proxy (HTTP_PROXY): requests are tunnelled through it', async () => {
    const api = await server(makeEntries(3, (i) => `Linux-nextjs-${i}`))
    const saved = process.env.http_proxy
    process.env.http_proxy = `http://127.0.0.1:${api.port}`
    try {
      // A name only the proxy resolves (it tunnels back to itself).
      const result = await clearActionsCache(settings(api, { apiUrl: 'http://api.github.test' }), { dryRun: false })
      expect(result.deleted).toHaveLength(3)
    } finally {
      if (saved === undefined) delete process.env.http_proxy
      else process.env.http_proxy = saved
    }
    expect(api.connects[0]).toBe('api.github.test:80')
  })
})
