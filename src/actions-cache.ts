// The repository's GitHub Actions cache, through the REST API: list every
// page of every listing first, keep the entries that match, then delete them
// one by one by id. Returns data; report.ts writes outputs, summary and logs.
//
// The client is @octokit/core with the plugins @actions/github's getOctokit
// builds on (pagination), plus retry and throttling, which it lacks: about
// half the bundle of getOctokit, whose 1,000-route method table this does not
// need. Like getOctokit, requests go through the runner's proxy settings.
import { HttpClient } from '@actions/http-client'
import { Octokit } from '@octokit/core'
import { paginateRest } from '@octokit/plugin-paginate-rest'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import Bottleneck from 'bottleneck/light.js'
import { fetch as undiciFetch } from 'undici'
import type { ActionsCacheSettings } from './inputs.js'

export interface ActionsCacheEntry {
  readonly id: number
  readonly key: string
  readonly ref: string
  readonly sizeInBytes: number
  /** ISO 8601, as the API gives it. */
  readonly lastAccessedAt: string
  readonly createdAt: string
}

export interface ActionsCacheFailure {
  readonly entry: ActionsCacheEntry
  readonly reason: string
}

export interface ActionsCacheResult {
  readonly dryRun: boolean
  /** owner/name */
  readonly repository: string
  /** Entries the listings returned, deduplicated by id. */
  readonly listedCount: number
  /** Deleted; on a dry run, what a real run would delete. */
  readonly deleted: readonly ActionsCacheEntry[]
  /** The sum of `size_in_bytes` of `deleted`. */
  readonly deletedBytes: number
  /** Gone before their delete (404): another run or GitHub's eviction was first. Not counted. */
  readonly alreadyGone: readonly ActionsCacheEntry[]
  readonly failures: readonly ActionsCacheFailure[]
}

/** Nothing could be listed: nothing was deleted. */
export class ActionsCacheError extends Error {
  override name = 'ActionsCacheError'
}

export interface ActionsCacheOptions {
  readonly dryRun: boolean
  /** Progress for the live log: listings, waits, every DELETES_PER_PROGRESS deletes. */
  readonly log?: (line: string) => void
  /** The clock the age filter reads; now by default. */
  readonly now?: () => number
  /** Cancels: the delete in flight finishes, no other starts; what went is still returned. */
  readonly signal?: AbortSignal
}

// GitHub's guidance for mutating requests: "wait at least one second between
// each" (a DELETE also costs 5 of the 900 secondary-limit points a minute,
// so 180 a minute is the ceiling; one a second stays well under it).
// plugin-throttling paces writes so; this states it, so that waitScale can
// shorten it in tests.
const WRITE_INTERVAL_MS = 1000
// A retry-after or x-ratelimit-reset is given in seconds.
const RETRY_AFTER_UNIT_MS = 1000
// How often one request may be retried after a rate limit before it fails.
const RATE_LIMIT_RETRIES = 3
const DELETES_PER_PROGRESS = 25
const ROUTE_LIST = 'GET /repos/{owner}/{repo}/actions/caches'
const ROUTE_DELETE = 'DELETE /repos/{owner}/{repo}/actions/caches/{cache_id}'
// The REST API version these routes are documented for.
const API_VERSION = '2022-11-28'

const ActionsCacheClient = Octokit.plugin(paginateRest, retry, throttling)
type ActionsCacheClient = InstanceType<typeof ActionsCacheClient>

function createClient(settings: ActionsCacheSettings, log: (line: string) => void): ActionsCacheClient {
  const onLimit =
    (kind: string) => (retryAfter: number, options: Record<string, unknown>, _octokit: unknown, retryCount: number) => {
      const retrying = retryCount < RATE_LIMIT_RETRIES
      // The route with its parameters, e.g. DELETE /repos/o/r/actions/caches/42.
      const url = String(options.url).replace(/\{(\w+)\}/g, (placeholder, name: string) => {
        const value = options[name]
        return typeof value === 'string' || typeof value === 'number' ? String(value) : placeholder
      })
      log(
        `GitHub's ${kind} on ${String(options.method)} ${url}: ` +
          (retrying ? `waiting ${retryAfter} s as GitHub asks, then retrying.` : 'giving up on this request.')
      )
      return retrying
    }
  // HTTPS_PROXY / NO_PROXY, as @actions/github honours them.
  const dispatcher = new HttpClient().getAgentDispatcher(settings.apiUrl)
  const client = new ActionsCacheClient({
    auth: settings.token,
    baseUrl: settings.apiUrl,
    userAgent: 'clear-app-caches',
    request: dispatcher
      ? { fetch: ((url: string, init: object) => undiciFetch(url, { ...init, dispatcher })) as typeof fetch }
      : {},
    retry: { retryAfterBaseValue: RETRY_AFTER_UNIT_MS * settings.waitScale },
    throttle: {
      retryAfterBaseValue: RETRY_AFTER_UNIT_MS * settings.waitScale,
      write: new Bottleneck.Group({ maxConcurrent: 1, minTime: WRITE_INTERVAL_MS * settings.waitScale }),
      onRateLimit: onLimit('rate limit (x-ratelimit-remaining 0)'),
      onSecondaryRateLimit: onLimit('secondary rate limit')
    }
  })
  client.hook.before('request', (options) => {
    options.headers['x-github-api-version'] = API_VERSION
  })
  return client
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status
  return typeof status === 'number' ? status : undefined
}

/** A 403 that is not a rate limit: the token lacks the permission. */
function isPermissionRefusal(error: unknown): boolean {
  return statusOf(error) === 403 && !/rate limit/i.test(String((error as Error).message))
}

/** The API's answer, with what to do about it where that is known. */
function describeRequestError(error: unknown, settings: ActionsCacheSettings, action: 'list' | 'delete'): string {
  const status = statusOf(error)
  const message = error instanceof Error ? error.message : String(error)
  const answer = status === undefined ? message : `${status} ${message}`
  if (isPermissionRefusal(error)) {
    const permission = action === 'delete' ? 'actions: write' : 'actions: read'
    return (
      `${answer}. The token may not ${action} Actions caches: give the job \`permissions: ${permission}\`. ` +
      `A pull request from a fork gets a read-only GITHUB_TOKEN whatever the workflow asks, ` +
      `so clear the cache from a push, schedule or workflow_dispatch run instead.`
    )
  }
  if (status === 401) return `${answer}. The token is not valid for ${settings.apiUrl}.`
  if (status === 404 && action === 'list') {
    return `${answer}. No repository ${settings.repository} that this token can see at ${settings.apiUrl}.`
  }
  return answer
}

/** Every page of every listing (one per key prefix and ref), deduplicated by id. */
async function listEntries(
  client: ActionsCacheClient,
  settings: ActionsCacheSettings,
  log: (line: string) => void
): Promise<ActionsCacheEntry[]> {
  const [owner, repo] = settings.repository.split('/')
  const byId = new Map<number, ActionsCacheEntry>()
  const refs: (string | undefined)[] = settings.refs.length > 0 ? [...settings.refs] : [undefined]
  for (const key of settings.keyPrefixes) {
    for (const ref of refs) {
      let pages = 0
      let listed = 0
      // Newest first: an entry saved while the pages are read pushes the rest
      // back (read twice, deduplicated), where sorting by last use would move
      // an entry restored meanwhile to a page already read.
      const iterator = client.paginate.iterator(ROUTE_LIST, {
        owner,
        repo,
        key,
        ...(ref === undefined ? {} : { ref }),
        sort: 'created_at',
        direction: 'desc',
        per_page: 100
      })
      try {
        for await (const page of iterator) {
          pages++
          for (const cache of page.data) {
            listed++
            // The API filters by prefix and ref; checked again here, so that
            // a server that ignored a filter cannot widen what is deleted.
            if (cache.id === undefined || !cache.key?.startsWith(key)) continue
            if (ref !== undefined && cache.ref !== ref) continue
            byId.set(cache.id, {
              id: cache.id,
              key: cache.key,
              ref: cache.ref ?? '',
              sizeInBytes: cache.size_in_bytes ?? 0,
              lastAccessedAt: cache.last_accessed_at ?? '',
              createdAt: cache.created_at ?? ''
            })
          }
        }
      } catch (error) {
        throw new ActionsCacheError(
          `Could not list the Actions cache of ${settings.repository}: ${describeRequestError(error, settings, 'list')}`
        )
      }
      log(
        `Listed key prefix '${key}'${ref === undefined ? '' : ` on ${ref}`}: ` +
          `${listed} entries in ${pages} ${pages === 1 ? 'page' : 'pages'}.`
      )
    }
  }
  return [...byId.values()]
}

/**
 * Lists the entries `settings` names and deletes them (or, on a dry run,
 * only lists them). Throws ActionsCacheError when listing fails: then nothing
 * was deleted. A failed delete does not stop the others, except a refused
 * permission, which would refuse every other delete alike.
 */
export async function clearActionsCache(
  settings: ActionsCacheSettings,
  options: ActionsCacheOptions
): Promise<ActionsCacheResult> {
  const log = options.log ?? (() => {})
  const client = createClient(settings, log)
  const listedEntries = await listEntries(client, settings, log)
  const now = (options.now ?? Date.now)()
  const unusedForMs = settings.unusedFor?.ms
  const chosen = listedEntries.filter(
    (entry) => unusedForMs === undefined || now - Date.parse(entry.lastAccessedAt) >= unusedForMs
  )
  const deleted: ActionsCacheEntry[] = []
  const alreadyGone: ActionsCacheEntry[] = []
  const failures: ActionsCacheFailure[] = []
  if (options.dryRun) {
    deleted.push(...chosen)
  } else {
    const [owner, repo] = settings.repository.split('/')
    let refusal: string | undefined
    for (const entry of chosen) {
      if (options.signal?.aborted) break
      if (refusal !== undefined) {
        failures.push({ entry, reason: refusal })
        continue
      }
      try {
        await client.request(ROUTE_DELETE, { owner, repo, cache_id: entry.id })
        deleted.push(entry)
        if (deleted.length % DELETES_PER_PROGRESS === 0) log(`… ${deleted.length} of ${chosen.length} entries deleted`)
      } catch (error) {
        if (statusOf(error) === 404) {
          alreadyGone.push(entry)
          continue
        }
        const reason = describeRequestError(error, settings, 'delete')
        failures.push({ entry, reason })
        if (isPermissionRefusal(error)) refusal = reason
      }
    }
  }
  return {
    dryRun: options.dryRun,
    repository: settings.repository,
    listedCount: listedEntries.length,
    deleted,
    deletedBytes: deleted.reduce((sum, entry) => sum + entry.sizeInBytes, 0),
    alreadyGone,
    failures
  }
}
