// The actions-cache module against a local server that follows GitHub's
// documented REST API (helpers/github-api.ts): every page is read before the
// first delete, exactly the matching entries go, a key whose every entry goes
// is deleted with one request, what a delete by key answers is what counts,
// 404s are not counted, the repository's usage is read before and after, a
// read-only token and a rate limit behave as documented.
import { afterEach, describe, expect, test } from '@jest/globals'
import { ActionsCacheError, clearActionsCache } from '../src/actions-cache.js'
import type { ActionsCacheSettings } from '../src/inputs.js'
import {
  makeEntries,
  startGitHubApi,
  type CacheEntry,
  type GitHubApi,
  type RecordedRequest
} from './helpers/github-api.js'

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

/**
 * `keys` Next.js keys, each saved on three refs (main and two pull requests),
 * newest key first; one more key saved once, before them all; and 30 BuildKit
 * entries that no listing here names.
 */
function sharedKeysCase(
  keys: number,
  lastUsedOf?: (i: number) => Date
): { entries: CacheEntry[]; nextjs: CacheEntry[]; keyOf: (k: number) => CacheEntry[] } {
  const refs = ['refs/heads/main', 'refs/pull/1/merge', 'refs/pull/2/merge']
  const shared = makeEntries(
    keys * 3,
    (i) => `Linux-nextjs-${Math.floor(i / 3)}`,
    (i) => refs[i % 3],
    lastUsedOf
  )
  const single: CacheEntry = {
    ...makeEntries(1, () => 'Linux-nextjs-single', undefined, lastUsedOf)[0],
    id: 9000,
    created_at: '2025-11-01T00:00:00.000Z'
  }
  const buildkit = makeEntries(30, (i) => `index-buildkit-${i}`).map((entry) => ({ ...entry, id: entry.id + 5000 }))
  const nextjs = [...shared, single]
  return {
    entries: [...nextjs, ...buildkit],
    nextjs,
    keyOf: (k) => shared.filter((entry) => entry.key === `Linux-nextjs-${k}`)
  }
}

const ids = (entries: readonly { id: number }[]): number[] => entries.map((entry) => entry.id).sort((a, b) => a - b)
const sum = (entries: readonly CacheEntry[]): number => entries.reduce((n, entry) => n + entry.size_in_bytes, 0)
const isListing = (r: RecordedRequest): boolean => r.method === 'GET' && r.path.endsWith('/actions/caches')
const isUsage = (r: RecordedRequest): boolean => r.method === 'GET' && r.path.endsWith('/actions/cache/usage')
const deletesOf = (api: GitHubApi): RecordedRequest[] => api.requests.filter((r) => r.method === 'DELETE')

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

    const gets = api.requests.filter(isListing)
    const deletes = deletesOf(api)
    expect(gets.map((r) => [r.path, r.query.page ?? '1'])).toEqual([
      [`/repos/${REPOSITORY}/actions/caches`, '1'],
      [`/repositories/641234567/actions/caches`, '2'],
      [`/repositories/641234567/actions/caches`, '3']
    ])
    for (const get of gets) expect(get.query).toMatchObject({ key: 'Linux-nextjs-', per_page: '100' })
    // Every page, then the usage, before the first delete; the usage again after the last.
    expect(api.requests.slice(0, 4).map((r) => (isListing(r) ? 'list' : isUsage(r) ? 'usage' : r.method))).toEqual([
      'list',
      'list',
      'list',
      'usage'
    ])
    expect(api.requests.findIndex((r) => r.method === 'DELETE')).toBe(4)
    expect(isUsage(api.requests[api.requests.length - 1])).toBe(true)
    expect(api.requests).toHaveLength(4 + 120 + 1)
    // Unique keys, and an age filter: every entry by id.
    expect(deletes.map((r) => Number(r.path.split('/').pop())).sort((a, b) => a - b)).toEqual(ids(old))
    expect(result.deleteRequests).toEqual({ byKey: 0, byId: 120 })
    expect(result.usageBefore).toEqual({ sizeInBytes: sum(entries), count: 280 })
    expect(result.usageAfter).toEqual({ sizeInBytes: sum(entries) - sum(old), count: 160 })
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
      .filter((r) => isListing(r) && (r.query.page ?? '1') === '1')
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
    // The usage before (a read-only token may read it); "after" is the report's prediction.
    expect(api.requests.filter(isUsage)).toHaveLength(1)
    expect(result.usageBefore).toEqual({ sizeInBytes: sum(entries), count: entries.length })
    expect(result.usageAfter).toBeUndefined()
    expect(result.deleteRequests).toEqual({ byKey: 0, byId: 120 })
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

  test('keys shared across refs: one DELETE by key each, by id for a key saved once; the totals match', async () => {
    const { entries, nextjs } = sharedKeysCase(20)
    const api = await server(entries)
    const result = await clearActionsCache(settings(api), { dryRun: false })

    // 61 entries in 21 requests, where one by id each took 61.
    const deletes = deletesOf(api)
    expect(deletes).toHaveLength(21)
    const byKey = deletes.filter((r) => r.path === `/repos/${REPOSITORY}/actions/caches`)
    expect(byKey.map((r) => r.query.key).sort()).toEqual(
      Array.from({ length: 20 }, (_, k) => `Linux-nextjs-${k}`).sort()
    )
    // Every ref: no ref parameter.
    for (const request of byKey) expect(Object.keys(request.query)).toEqual(['key'])
    expect(byKey.every((r) => r.status === 200)).toBe(true)
    expect(deletes.filter((r) => r.path === `/repos/${REPOSITORY}/actions/caches/9000`)).toHaveLength(1)
    expect(result.deleteRequests).toEqual({ byKey: 20, byId: 1 })

    expect(ids(result.deleted)).toEqual(ids(nextjs))
    expect(result.deletedBytes).toBe(sum(nextjs))
    expect(result.alreadyGone).toEqual([])
    expect(result.failures).toEqual([])
    expect(ids(api.entries())).toEqual(ids(entries.filter((entry) => !nextjs.includes(entry))))
    expect(result.usageBefore).toEqual({ sizeInBytes: sum(entries), count: 91 })
    expect(result.usageAfter).toEqual({ sizeInBytes: sum(entries) - sum(nextjs), count: 30 })
  })

  test('dry run over shared keys: no DELETE; the requests a real run would send are counted', async () => {
    const { entries, nextjs } = sharedKeysCase(20)
    const api = await server(entries)
    const result = await clearActionsCache(settings(api), { dryRun: true })
    expect(deletesOf(api)).toEqual([])
    expect(api.entries()).toHaveLength(entries.length)
    expect(ids(result.deleted)).toEqual(ids(nextjs))
    expect(result.deleteRequests).toEqual({ byKey: 20, byId: 1 })
    expect(result.usageBefore).toEqual({ sizeInBytes: sum(entries), count: 91 })
    expect(result.usageAfter).toBeUndefined()
  })

  test('with refs: a key whose every entry on a ref goes is deleted by key and that ref; other refs keep theirs', async () => {
    const [a1, a2, a3, a4, b1] = makeEntries(5, (i) => (i < 4 ? 'Linux-nextjs-a' : 'Linux-nextjs-b'))
    // Key a: two versions on main, two on the pull request; key b once on the pull request.
    const pr = 'refs/pull/1/merge'
    const entries = [a1, a2, { ...a3, ref: pr }, { ...a4, ref: pr }, { ...b1, ref: pr }]
    const api = await server(entries)
    const result = await clearActionsCache(settings(api, { refs: [pr] }), { dryRun: false })
    const deletes = deletesOf(api)
    expect(deletes.map((r) => [r.path, r.query])).toEqual([
      [`/repos/${REPOSITORY}/actions/caches/${b1.id}`, {}],
      [`/repos/${REPOSITORY}/actions/caches`, { key: 'Linux-nextjs-a', ref: pr }]
    ])
    expect(ids(result.deleted)).toEqual(ids(entries.slice(2)))
    expect(ids(api.entries())).toEqual(ids([a1, a2]))
    expect(result.deleteRequests).toEqual({ byKey: 1, byId: 1 })
  })

  test('with an age filter every entry goes by id: a delete by key would take an entry saved since', async () => {
    const now = Date.now()
    // Every entry of every key unused for 10 days.
    const { entries, nextjs, keyOf } = sharedKeysCase(5, () => new Date(now - 10 * DAY))
    // Another run saves key 0 anew on a branch after the listing: the age filter keeps it.
    const fresh: CacheEntry = {
      ...keyOf(0)[0],
      id: 7777,
      ref: 'refs/heads/feature',
      last_accessed_at: new Date(now).toISOString()
    }
    const api = await server(entries, { appearOnFirstDelete: [fresh] })
    const result = await clearActionsCache(settings(api, { unusedFor: { text: '7d', ms: 7 * DAY } }), {
      dryRun: false,
      now: () => now
    })
    expect(deletesOf(api)).toHaveLength(16)
    expect(deletesOf(api).every((r) => /\/caches\/\d+$/.test(r.path))).toBe(true)
    expect(result.deleteRequests).toEqual({ byKey: 0, byId: 16 })
    expect(ids(result.deleted)).toEqual(ids(nextjs))
    expect(api.entries().map((entry) => entry.id)).toContain(7777)
  })

  test('a delete by key is counted from its answer: fewer when one went meanwhile, more when one was saved since', async () => {
    const { entries, nextjs, keyOf } = sharedKeysCase(4)
    // Another run deletes one entry of key 0 and all of key 1 while this one deletes;
    // another saves key 2 anew on a fourth ref (that key, every ref: in the set).
    const gone = [keyOf(0)[1], ...keyOf(1)]
    const saved: CacheEntry = { ...keyOf(2)[0], id: 8888, ref: 'refs/pull/3/merge', size_in_bytes: 5_000_000 }
    const api = await server(entries, { vanishOnFirstDelete: ids(gone), appearOnFirstDelete: [saved] })
    const lines: string[] = []
    const result = await clearActionsCache(settings(api), { dryRun: false, log: (line) => lines.push(line) })

    const byKey = deletesOf(api).filter((r) => r.path.endsWith('/actions/caches'))
    expect(byKey.map((r) => [r.query.key, r.status])).toEqual([
      ['Linux-nextjs-3', 200],
      ['Linux-nextjs-2', 200],
      ['Linux-nextjs-1', 404],
      ['Linux-nextjs-0', 200]
    ])
    const went = [...nextjs.filter((entry) => !gone.includes(entry)), saved]
    expect(ids(result.deleted)).toEqual(ids(went))
    expect(result.deletedBytes).toBe(sum(went))
    expect(ids(result.alreadyGone)).toEqual(ids(gone))
    expect(result.failures).toEqual([])
    expect(lines).toContain('Deleting key Linux-nextjs-2 also took 1 entry saved after the listing (counted).')
    expect(api.entries().filter((entry) => entry.key.startsWith('Linux-nextjs-'))).toEqual([])
  })

  test('cancelled during deletes by key: the one in flight finishes, no other request starts', async () => {
    const { entries } = sharedKeysCase(20)
    const api = await server(entries)
    const cancel = new AbortController()
    const result = await clearActionsCache(settings(api), {
      dryRun: false,
      signal: cancel.signal,
      // The first progress line: 27 entries after the ninth delete by key.
      log: (line) => {
        if (line.startsWith('… ')) cancel.abort()
      }
    })
    expect(deletesOf(api)).toHaveLength(9)
    expect(api.requests[api.requests.length - 1].method).toBe('DELETE')
    expect(result.deleted).toHaveLength(27)
    expect(result.deleteRequests).toEqual({ byKey: 9, byId: 0 })
    expect(result.usageAfter).toBeUndefined()
    expect(api.entries()).toHaveLength(entries.length - 27)
  })

  test('read-only token: a refused delete by key fails every entry of the run, with one request', async () => {
    const { entries, nextjs } = sharedKeysCase(5)
    const api = await server(entries)
    const result = await clearActionsCache(settings(api, { token: 'read-token' }), { dryRun: false })
    expect(deletesOf(api).map((r) => r.status)).toEqual([403])
    expect(result.deleted).toEqual([])
    expect(ids(result.failures.map((failure) => failure.entry))).toEqual(ids(nextjs))
    expect(result.failures[0].reason).toContain('permissions: actions: write')
  })

  test('a secondary rate limit on a delete by key is waited out and that delete retried', async () => {
    const { entries, nextjs } = sharedKeysCase(3)
    const api = await server(entries, { secondaryRateLimitOnDelete: 2, retryAfterSeconds: 60 })
    const lines: string[] = []
    const result = await clearActionsCache(settings(api), { dryRun: false, log: (line) => lines.push(line) })
    expect(deletesOf(api).map((r) => r.status)).toEqual([200, 403, 200, 200, 204])
    expect(lines.join('\n')).toMatch(
      /secondary rate limit on DELETE \/repos\/octo-org\/web\/actions\/caches\?key=Linux-nextjs-1: waiting 60 s as GitHub asks, then retrying/
    )
    expect(ids(result.deleted)).toEqual(ids(nextjs))
  })

  test.each([
    [403, 'Resource not accessible by integration'],
    [404, 'Not Found']
  ] as [403 | 404, string][])(
    'usage answered %i: not an error, said in the log, left out; the deletes go on',
    async (status, message) => {
      const { entries, nextjs } = sharedKeysCase(2)
      const api = await server(entries, { usageStatus: status })
      const lines: string[] = []
      const result = await clearActionsCache(settings(api), { dryRun: false, log: (line) => lines.push(line) })
      expect(lines.join('\n')).toContain(`Actions cache usage not readable with this token (${status} ${message}`)
      expect(lines.join('\n')).toMatch(/: left out of the summary\.$/m)
      expect(result.usageBefore).toBeUndefined()
      expect(result.usageAfter).toBeUndefined()
      // Not asked again after the deletes.
      expect(api.requests.filter(isUsage)).toHaveLength(1)
      expect(ids(result.deleted)).toEqual(ids(nextjs))
      expect(result.failures).toEqual([])
    }
  )

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

  test('deletes are paced, by key as by id: one at a time, the write interval apart', async () => {
    // Two keys on three refs and one key once: two deletes by key, one by id.
    const { entries } = sharedKeysCase(2)
    const api = await server(entries)
    // 1 s between writes at a fifth: 200 ms. Unpaced, they would arrive within a few ms.
    const result = await clearActionsCache(settings(api, { waitScale: 0.2 }), { dryRun: false })
    expect(result.deleteRequests).toEqual({ byKey: 2, byId: 1 })
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
    expect(api.requests.filter(isListing)).toHaveLength(2)
    expect(api.requests.filter(isUsage)).toHaveLength(1)
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
