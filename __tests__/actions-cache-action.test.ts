// The bundled action (dist/, built by `npm run bundle`), run as the runner
// runs it, against a local server that follows GitHub's documented REST API
// for the Actions cache (helpers/github-api.ts), pointed at by GITHUB_API_URL.
// Not github.com: nothing here can reach it.
import { afterEach, describe, expect, test } from '@jest/globals'
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { makeEntries, startGitHubApi, type CacheEntry, type GitHubApi } from './helpers/github-api.js'
import { REPO_ROOT, runAction } from './helpers/run-action.js'

const REPOSITORY = 'octo-org/web'
const WRITE_TOKEN = 'ghs_writeTokenForTheLocalServer0001'
const READ_TOKEN = 'ghs_readTokenForTheLocalServer00001'
const DAY = 86_400_000
/** A stack trace line, as a thrown error would print it. */
const STACK_LINE = /^\s+at .+\(?.*:\d+:\d+\)?$/m

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

function workspace(): string {
  const dir = mkdtempSync('/tmp/cac-ws-')
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

async function server(entries: CacheEntry[], options: Partial<Parameters<typeof startGitHubApi>[0]> = {}) {
  const api = await startGitHubApi({
    repository: REPOSITORY,
    entries,
    tokens: { [WRITE_TOKEN]: 'write', [READ_TOKEN]: 'read' },
    ...options
  })
  cleanups.push(() => api.close())
  return api
}

/** The runner's environment for this repository and API; GitHub's waits at a thousandth. */
function env(api: GitHubApi): Record<string, string | undefined> {
  return {
    GITHUB_API_URL: api.url,
    GITHUB_REPOSITORY: REPOSITORY,
    CLEAR_APP_CACHES_API_WAIT_SCALE: '0.001',
    GITHUB_TOKEN: undefined,
    GH_TOKEN: undefined
  }
}

/** 250 Next.js entries over three pages, 120 of them (on every page) unused for 10 days; 30 BuildKit entries. */
function pagingCase(): { entries: CacheEntry[]; old: CacheEntry[] } {
  const now = Date.now()
  const isOld = (i: number): boolean => i % 25 < 12
  const nextjs = makeEntries(
    250,
    (i) => `Linux-nextjs-${i.toString(16).padStart(40, '0')}`,
    () => 'refs/heads/main',
    (i) => new Date(now - (isOld(i) ? 10 * DAY : 3_600_000))
  )
  const buildkit = makeEntries(30, (i) => `index-buildkit-${i}`).map((entry) => ({ ...entry, id: entry.id + 5000 }))
  return { entries: [...nextjs, ...buildkit], old: nextjs.filter((_, i) => isOld(i)) }
}

/** `keys` keys, each saved on main and two pull requests; 10 BuildKit entries that no listing here names. */
function sharedKeysCase(keys: number): { entries: CacheEntry[]; nextjs: CacheEntry[] } {
  const refs = ['refs/heads/main', 'refs/pull/1/merge', 'refs/pull/2/merge']
  const nextjs = makeEntries(
    keys * 3,
    (i) => `Linux-nextjs-${Math.floor(i / 3)}`,
    (i) => refs[i % 3],
    // Used a day ago: an age filter of a minute passes them all.
    () => new Date(Date.now() - DAY)
  )
  const buildkit = makeEntries(10, (i) => `index-buildkit-${i}`).map((entry) => ({ ...entry, id: entry.id + 5000 }))
  return { entries: [...nextjs, ...buildkit], nextjs }
}

const sum = (entries: CacheEntry[]): number => entries.reduce((n, entry) => n + entry.size_in_bytes, 0)
const isListing = (r: { method: string; path: string }): boolean =>
  r.method === 'GET' && r.path.endsWith('/actions/caches')
const isUsage = (r: { method: string; path: string }): boolean =>
  r.method === 'GET' && r.path.endsWith('/actions/cache/usage')
/** "1.0 MB in 3 entries (1000003 bytes)", as the summary gives a usage. */
const usageText = (entries: CacheEntry[]): string =>
  `in ${entries.length} ${entries.length === 1 ? 'entry' : 'entries'} (${sum(entries)} bytes)`
const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
const ids = (entries: { id: number }[]): number[] => entries.map((entry) => entry.id).sort((a, b) => a - b)
const deletedIds = (api: GitHubApi): number[] =>
  api.requests
    .filter((r) => r.method === 'DELETE' && r.status === 204)
    .map((r) => Number(r.path.split('/').pop()))
    .sort((a, b) => a - b)

describe('the action, target actions-cache, against a local GitHub API', () => {
  test('250 entries over three pages, 120 matching: exactly those deleted; count and bytes in outputs and summary', async () => {
    const { entries, old } = pagingCase()
    const api = await server(entries)
    const run = await runAction(
      workspace(),
      {
        target: 'actions-cache',
        'actions-cache-key': 'Linux-nextjs-',
        'actions-cache-unused-for': '7d',
        'github-token': WRITE_TOKEN
      },
      env(api)
    )
    expect(run.exitCode).toBe(0)
    expect(run.stdout).not.toMatch(/^::error::/m)

    // Three pages, the usage, 120 deletes by id (unique keys), the usage again.
    expect(api.requests.filter(isListing)).toHaveLength(3)
    expect(api.requests.filter(isUsage)).toHaveLength(2)
    expect(api.requests.findIndex((r) => r.method === 'DELETE')).toBe(4)
    expect(api.requests).toHaveLength(125)
    expect(deletedIds(api)).toEqual(ids(old))
    expect(ids(api.entries())).toEqual(ids(entries.filter((entry) => !old.includes(entry))))

    expect(run.outputs['actions-cache-deleted']).toBe('120')
    expect(run.outputs['actions-cache-reclaimed-bytes']).toBe(String(sum(old)))
    expect(run.outputs['reclaimed-bytes']).toBe(String(sum(old)))

    expect(run.summary).toContain('<h3>GitHub Actions cache</h3>')
    expect(run.summary).toContain('<th>Key</th><th>Ref</th><th>Size</th><th>Last used</th>')
    // Folded past 50 rows, as the file table is.
    expect(run.summary).toContain('… 70 more entries')
    expect(run.summary.match(/<td>Linux-nextjs-[0-9a-f]{40}<\/td>/g)).toHaveLength(50)
    expect(run.summary).toMatch(/Entries deleted<\/th><td>120<\/td>/)
    expect(run.summary).toContain(`(${sum(old)} bytes)`)
    expect(run.summary).toMatch(/Delete requests<\/th><td>120 \(0 by key, 120 by id\)<\/td>/)
    const left = entries.filter((entry) => !old.includes(entry))
    expect(run.summary).toMatch(new RegExp(`Cache usage before</th><td>[^<]* ${escape(usageText(entries))}</td>`))
    expect(run.summary).toMatch(new RegExp(`Cache usage after</th><td>[^<]* ${escape(usageText(left))}</td>`))
    expect(run.stdout).toMatch(/::group::actions-cache: 120 entries, .* \(octo-org\/web\)/)
    expect(run.stdout).toContain("Listed key prefix 'Linux-nextjs-': 250 entries in 3 pages.")
    expect(run.stdout + run.stderr).not.toContain(WRITE_TOKEN)
  })

  test('dry run with a read-only token: lists what would go with sizes, deletes nothing, outputs predict', async () => {
    const { entries, old } = pagingCase()
    const api = await server(entries)
    const run = await runAction(
      workspace(),
      {
        target: 'actions-cache',
        'actions-cache-key': 'Linux-nextjs-',
        'actions-cache-unused-for': '7d',
        'github-token': READ_TOKEN,
        'dry-run': 'true'
      },
      env(api)
    )
    expect(run.exitCode).toBe(0)
    expect(api.requests.filter((r) => r.method !== 'GET')).toEqual([])
    expect(api.entries()).toHaveLength(entries.length)
    expect(run.outputs['actions-cache-deleted']).toBe('120')
    expect(run.outputs['actions-cache-reclaimed-bytes']).toBe(String(sum(old)))
    expect(run.summary).toMatch(/Entries that would be deleted<\/th><td>120<\/td>/)
    // The usage before, and "after" predicted.
    const left = entries.filter((entry) => !old.includes(entry))
    expect(run.summary).toMatch(new RegExp(`Cache usage before</th><td>[^<]* ${escape(usageText(entries))}</td>`))
    expect(run.summary).toMatch(
      new RegExp(`Cache usage after \\(predicted\\)</th><td>[^<]* ${escape(usageText(left))}</td>`)
    )
    expect(run.stdout).toMatch(/^would delete Linux-nextjs-[0-9a-f]{40} \(refs\/heads\/main\): 1 MB, last used /m)
  })

  test('keys shared across refs: one request per key instead of one per entry; count and bytes still match', async () => {
    const { entries, nextjs } = sharedKeysCase(40)
    const inputs = { target: 'actions-cache', 'actions-cache-key': 'Linux-nextjs-', 'github-token': WRITE_TOKEN }
    const api = await server(entries)
    const run = await runAction(workspace(), inputs, env(api))
    expect(run.exitCode).toBe(0)
    expect(run.stdout).not.toMatch(/^::error::/m)

    // 120 entries on 40 keys: 40 deletes by key, where one by id each took 120.
    const deletes = api.requests.filter((r) => r.method === 'DELETE')
    expect(deletes).toHaveLength(40)
    expect(deletes.every((r) => r.path === `/repos/${REPOSITORY}/actions/caches` && r.status === 200)).toBe(true)
    // Two list pages, the usage, the deletes, the usage again.
    expect(api.requests).toHaveLength(2 + 1 + 40 + 1)
    expect(ids(api.entries())).toEqual(ids(entries.filter((entry) => !nextjs.includes(entry))))

    expect(run.outputs['actions-cache-deleted']).toBe('120')
    expect(run.outputs['actions-cache-reclaimed-bytes']).toBe(String(sum(nextjs)))
    expect(run.outputs['reclaimed-bytes']).toBe(String(sum(nextjs)))
    expect(run.summary).toMatch(/Entries deleted<\/th><td>120<\/td>/)
    expect(run.summary).toContain(`(${sum(nextjs)} bytes)`)
    expect(run.summary).toMatch(/Delete requests<\/th><td>40 \(40 by key, 0 by id\)<\/td>/)
    expect(run.summary.match(/<td>Linux-nextjs-\d+<\/td>/g)).toHaveLength(50)
    expect(run.summary).toContain('… 70 more entries')
    const left = entries.filter((entry) => !nextjs.includes(entry))
    expect(run.summary).toMatch(new RegExp(`Cache usage before</th><td>[^<]* ${escape(usageText(entries))}</td>`))
    expect(run.summary).toMatch(new RegExp(`Cache usage after</th><td>[^<]* ${escape(usageText(left))}</td>`))
    expect(run.stdout).toMatch(new RegExp(`^Cache usage after: [^\\n]* ${escape(usageText(left))}$`, 'm'))

    // The same entries by id (an age filter every entry passes): 120 deletes, the same totals.
    const byIdApi = await server(entries)
    const byId = await runAction(workspace(), { ...inputs, 'actions-cache-unused-for': '1m' }, env(byIdApi))
    expect(byId.exitCode).toBe(0)
    expect(byIdApi.requests.filter((r) => r.method === 'DELETE')).toHaveLength(120)
    expect(byIdApi.requests).toHaveLength(2 + 1 + 120 + 1)
    expect(byId.outputs['actions-cache-deleted']).toBe('120')
    expect(byId.outputs['actions-cache-reclaimed-bytes']).toBe(String(sum(nextjs)))
    expect(ids(byIdApi.entries())).toEqual(ids(api.entries()))
  })

  test('usage GitHub has not refreshed yet: the summary says so and gives before less what went', async () => {
    const { entries, nextjs } = sharedKeysCase(3)
    const api = await server(entries, { usageAsOfStart: true })
    const run = await runAction(
      workspace(),
      { target: 'actions-cache', 'actions-cache-key': 'Linux-nextjs-', 'github-token': WRITE_TOKEN },
      env(api)
    )
    expect(run.exitCode).toBe(0)
    const left = entries.filter((entry) => !nextjs.includes(entry))
    expect(run.summary).toMatch(
      new RegExp(
        `Cache usage after</th><td>[^<]* ${escape(usageText(entries))} as GitHub gives it, which it refreshes ` +
          `about every 5 minutes; before less what went: [^<]* ${escape(usageText(left))}</td>`
      )
    )
  })

  test('usage not readable (403): said in the log, no usage line in the summary, the clear goes on', async () => {
    const { entries } = sharedKeysCase(3)
    const api = await server(entries, { usageStatus: 403 })
    const run = await runAction(
      workspace(),
      { target: 'actions-cache', 'actions-cache-key': 'Linux-nextjs-', 'github-token': WRITE_TOKEN },
      env(api)
    )
    expect(run.exitCode).toBe(0)
    expect(run.stdout).not.toMatch(/^::(error|warning)::/m)
    expect(run.stdout).toContain('Actions cache usage not readable with this token (403 Resource not accessible')
    expect(run.summary).not.toContain('Cache usage')
    expect(run.outputs['actions-cache-deleted']).toBe('9')
  })

  test('read-only token (a fork): the step fails naming the permission to add; nothing deleted', async () => {
    const { entries } = pagingCase()
    const api = await server(entries)
    const run = await runAction(
      workspace(),
      { target: 'actions-cache', 'actions-cache-key': 'Linux-nextjs-', 'github-token': READ_TOKEN },
      env(api)
    )
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toMatch(
      /^::error::250 Actions cache entries could not be deleted: Linux-nextjs-.*403 Resource not accessible by integration.*permissions: actions: write.*fork/m
    )
    expect(run.stdout).not.toMatch(STACK_LINE)
    expect(api.requests.filter((r) => r.method === 'DELETE')).toHaveLength(1)
    expect(api.entries()).toHaveLength(entries.length)
    expect(run.outputs['actions-cache-deleted']).toBe('0')
    expect(run.outputs['actions-cache-reclaimed-bytes']).toBe('0')
  })

  test('a secondary rate limit once: waited out as retry-after says, retried, the run succeeds', async () => {
    const entries = makeEntries(8, (i) => `index-buildkit-${i}`)
    const api = await server(entries, { secondaryRateLimitOnDelete: 4, retryAfterSeconds: 60 })
    const run = await runAction(
      workspace(),
      { target: 'actions-cache', 'actions-cache-key': 'index-buildkit-', 'github-token': WRITE_TOKEN },
      env(api)
    )
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toMatch(
      /secondary rate limit on DELETE \/repos\/octo-org\/web\/actions\/caches\/\d+: waiting 60 s as GitHub asks, then retrying/
    )
    expect(api.requests.filter((r) => r.method === 'DELETE').map((r) => r.status)).toEqual([
      204, 204, 204, 403, 204, 204, 204, 204, 204
    ])
    expect(run.outputs['actions-cache-deleted']).toBe('8')
    expect(api.entries()).toEqual([])
  })

  test('one failed delete does not stop the rest; the step fails at the end naming the key and why', async () => {
    const entries = makeEntries(6, (i) => `index-buildkit-${i}`)
    const api = await server(entries, { failingDeletes: [entries[2].id] })
    const run = await runAction(
      workspace(),
      { target: 'actions-cache', 'actions-cache-key': 'index-buildkit-', 'github-token': WRITE_TOKEN },
      env(api)
    )
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toMatch(
      /^::error::1 Actions cache entry could not be deleted: index-buildkit-2 \(500 Server Error\)$/m
    )
    expect(run.outputs['actions-cache-deleted']).toBe('5')
    expect(run.outputs['actions-cache-reclaimed-bytes']).toBe(String(sum(entries) - entries[2].size_in_bytes))
    expect(api.entries().map((entry) => entry.key)).toEqual(['index-buildkit-2'])
  })

  test('an entry another run deleted first (404 mid-run) is not counted and not an error', async () => {
    const entries = makeEntries(10, (i) => `index-buildkit-${i}`)
    const gone = [entries[3], entries[7]]
    const api = await server(entries, { vanishOnFirstDelete: ids(gone) })
    const run = await runAction(
      workspace(),
      { target: 'actions-cache', 'actions-cache-key': 'index-buildkit-', 'github-token': WRITE_TOKEN },
      env(api)
    )
    expect(run.exitCode).toBe(0)
    expect(run.stdout).not.toMatch(/^::error::/m)
    expect(run.outputs['actions-cache-deleted']).toBe('8')
    expect(run.outputs['actions-cache-reclaimed-bytes']).toBe(String(sum(entries) - sum(gone)))
    expect(run.stdout).toContain('already gone before its delete, not counted: index-buildkit-3 (refs/heads/main)')
    expect(run.summary).toMatch(/Already gone \(not counted\)<\/th><td>2<\/td>/)
  })

  test('with a file target: reclaimed-bytes is files plus Actions cache', async () => {
    const entries = makeEntries(3, (i) => `Linux-nextjs-${i}`)
    const api = await server(entries)
    const ws = workspace()
    mkdirSync(path.join(ws, 'frontend', '.next'), { recursive: true })
    writeFileSync(path.join(ws, 'frontend', '.next', 'build.bin'), Buffer.alloc(64 * 1024, 1))
    const run = await runAction(
      ws,
      { target: 'frontend,actions-cache', 'actions-cache-key': 'Linux-nextjs-', 'github-token': WRITE_TOKEN },
      env(api)
    )
    expect(run.exitCode).toBe(0)
    const files = Number(run.outputs['files-reclaimed-bytes'])
    expect(files).toBeGreaterThanOrEqual(64 * 1024)
    expect(run.outputs['actions-cache-reclaimed-bytes']).toBe(String(sum(entries)))
    expect(Number(run.outputs['reclaimed-bytes'])).toBe(files + sum(entries))
  })

  test('without the target named, the Actions cache is left alone, with a warning if its inputs are set', async () => {
    const api = await server(makeEntries(3, (i) => `Linux-nextjs-${i}`))
    const run = await runAction(
      workspace(),
      { target: 'frontend', 'actions-cache-key': 'Linux-nextjs-', 'github-token': WRITE_TOKEN },
      env(api)
    )
    expect(run.exitCode).toBe(0)
    expect(api.requests).toEqual([])
    expect(run.outputs['actions-cache-deleted']).toBe('0')
    expect(run.stdout).toMatch(
      /^::warning::actions-cache-key is set, but the target actions-cache was not named \(it is never part of all\)/m
    )
  })

  test.each([
    [
      { 'actions-cache-key': '' },
      /^::error::Input 'actions-cache-key' is required with target actions-cache: .*'index-buildkit-' .*'index-<scope>-' .*'buildkit-blob-' .*'Linux-nextjs-'/m
    ],
    [
      { 'actions-cache-unused-for': '1 week' },
      /^::error::Input 'actions-cache-unused-for' must be a duration.*24h or 7d/m
    ],
    [{ 'actions-cache-ref': 'main' }, /^::error::Input 'actions-cache-ref' has 'main'.*refs\/heads\/main/m],
    [{ repository: 'not a repo' }, /^::error::Input 'repository' must be owner\/name/m],
    [{ 'github-token': '' }, /^::error::Input 'github-token' is empty/m],
    [{ target: 'actions-caches' }, /^::error::Input 'target' has an unknown value 'actions-caches'.*actions-cache/m]
  ])('bad input %j: ::error:: naming it, no request sent', async (bad, message) => {
    const api = await server(makeEntries(3, (i) => `Linux-nextjs-${i}`))
    const run = await runAction(
      workspace(),
      { target: 'actions-cache', 'actions-cache-key': 'Linux-nextjs-', 'github-token': WRITE_TOKEN, ...bad },
      env(api)
    )
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toMatch(message)
    expect(run.stdout).not.toMatch(STACK_LINE)
    expect(api.requests).toEqual([])
  })
})

/** dist/cli.cjs, asynchronously: the server answers from this process. */
function cli(
  args: string[],
  env: Record<string, string | undefined>
): Promise<{ code: number; stdout: string; stderr: string }> {
  const childEnv: Record<string, string | undefined> = { ...process.env, ...env }
  for (const key of Object.keys(childEnv)) if (childEnv[key] === undefined) delete childEnv[key]
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(REPO_ROOT, 'dist', 'cli.cjs'), ...args],
      { env: childEnv },
      (error, stdout, stderr) =>
        resolve({ code: typeof error?.code === 'number' ? error.code : error ? -1 : 0, stdout, stderr })
    )
  })
}

describe('the CLI, target actions-cache', () => {
  test('--repo and --actions-cache-* options, the token from GH_TOKEN: the same outputs as the action', async () => {
    const { entries, old } = pagingCase()
    const api = await server(entries)
    const args = ['actions-cache', '--repo', REPOSITORY, '--actions-cache-key', 'Linux-nextjs-']
    const dry = await cli([...args, '--actions-cache-unused-for', '7d', '--dry-run'], {
      ...env(api),
      GITHUB_REPOSITORY: undefined,
      GH_TOKEN: READ_TOKEN
    })
    expect(dry.code).toBe(0)
    expect(dry.stdout).toMatch(/^GitHub Actions cache\nKEY\s+REF\s+SIZE\s+LAST USED$/m)
    expect(dry.stdout).toMatch(/Entries that would be deleted:\s+120/)
    expect(api.requests.filter((r) => r.method === 'DELETE')).toEqual([])

    const real = await cli([...args, '--actions-cache-unused-for', '7d', '--json'], {
      ...env(api),
      GITHUB_REPOSITORY: undefined,
      GH_TOKEN: WRITE_TOKEN
    })
    expect(real.code).toBe(0)
    const { outputs } = JSON.parse(real.stdout) as { outputs: Record<string, string> }
    expect(outputs['actions-cache-deleted']).toBe('120')
    expect(outputs['actions-cache-reclaimed-bytes']).toBe(String(sum(old)))
    expect(deletedIds(api)).toEqual(ids(old))
    expect(real.stdout + real.stderr).not.toContain(WRITE_TOKEN)
  })

  test('without a token or a key: exit 2 naming what to set, no request sent', async () => {
    const api = await server(makeEntries(3, (i) => `Linux-nextjs-${i}`))
    const noToken = await cli(['actions-cache', '--repo', REPOSITORY, '--actions-cache-key', 'x-'], env(api))
    expect(noToken.code).toBe(2)
    expect(noToken.stderr).toMatch(/^error: 'GITHUB_TOKEN or GH_TOKEN' is empty/m)
    const noKey = await cli(['actions-cache', '--repo', REPOSITORY], { ...env(api), GH_TOKEN: WRITE_TOKEN })
    expect(noKey.code).toBe(2)
    expect(noKey.stderr).toMatch(/^error: '--actions-cache-key' is required with target actions-cache/m)
    const badRepo = await cli(['actions-cache', '--repo', 'nope', '--actions-cache-key', 'x-'], {
      ...env(api),
      GH_TOKEN: WRITE_TOKEN
    })
    expect(badRepo.stderr).toMatch(/^error: '--repo' must be owner\/name/m)
    expect(api.requests).toEqual([])
  })
})
