// A full run, as the README's picture shows it (docs/summary-full.png, made by
// `npm run screenshot`): the bundled action, `target: all,actions-cache`, on
// an app on a host reached over a real sshd, whose account reaches a real
// Docker engine with a build cache to prune, and the Actions cache of a
// repository on the local GitHub API server. The job summary must carry all
// of it: the host, the files, Docker's section and the Actions cache's.
//
// With CAC_SUMMARY_HTML=FILE the run's summary HTML is written to FILE: that
// is what scripts/render-summary.mjs screenshots.
import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { makeApp } from '../scripts/summary-app.mjs'
import { tempDir } from '../__fixtures__/temp.js'
import { engineKinds, fillBuildCache, requireEngineOrSkip } from './helpers/engine.js'
import { makeEntries, startGitHubApi, type CacheEntry } from './helpers/github-api.js'
import { runAction } from './helpers/run-action.js'
import { requireSshServerOrSkip } from './helpers/ssh-server.js'

const REPOSITORY = 'octo-org/web'
const TOKEN = 'ghs_writeTokenForTheLocalServer0001'
const MiB = 1024 * 1024

// The picture's engine: Docker 28.5 with overlay2, unless CAC_ENGINES leaves it out.
const kinds = engineKinds()
const kind = kinds.includes('28.5-overlay2') ? '28.5-overlay2' : kinds[0]
const engine = kind ? await requireEngineOrSkip('summary-full.test.ts', kind) : undefined
const server = engine ? await requireSshServerOrSkip('summary-full.test.ts', { engine }) : undefined

afterAll(async () => {
  await server?.stop()
  await engine?.stop()
})

/**
 * The repository's Actions cache: Next.js build caches of main and two pull
 * requests (the ones the run deletes) beside BuildKit's, which it keeps.
 * Fixed sizes and dates, so the picture stays the same run to run.
 */
function cacheEntries(): { entries: CacheEntry[]; nextjs: CacheEntry[] } {
  const refs = ['refs/heads/main', 'refs/pull/412/merge', 'refs/pull/415/merge']
  const nextjs = makeEntries(
    6,
    (i) => `Linux-nextjs-${['9f3c2a71', '4be8d0c3', '7d21e6f9', 'c05a94b2', '18f7e3d6', 'e6b2c8a4'][i]}`,
    (i) => refs[i % 3],
    (i) => new Date(Date.UTC(2026, 10, 24 + i, 9 + i, 17 * i))
  ).map((entry, i) => ({ ...entry, size_in_bytes: [412, 388, 256, 97, 301, 143][i] * 1_000_000 + 731 * i }))
  const buildkit = makeEntries(4, (i) => `index-buildkit-${i}`).map((entry, i) => ({
    ...entry,
    id: entry.id + 5000,
    size_in_bytes: [86, 54, 121, 33][i] * 1_000_000 + 17 * i
  }))
  return { entries: [...nextjs, ...buildkit], nextjs }
}

const describeFull = engine && server ? describe : describe.skip

describeFull('a full run in the job summary', () => {
  it(`target all,actions-cache over SSH on ${engine?.label ?? 'an engine'}: host, files, Docker and the Actions cache`, async () => {
    if (!engine || !server) throw new Error('unreachable: describeFull')
    const { entries, nextjs } = cacheEntries()
    const api = await startGitHubApi({ repository: REPOSITORY, entries, tokens: { [TOKEN]: 'write' } })
    try {
      const app = makeApp(mkdtempSync(path.join(server.appDir, 'summary-')))
      server.chownToUser(path.dirname(app))
      await fillBuildCache(engine, 'summary')

      const run = await runAction(
        tempDir(),
        {
          target: 'all,actions-cache',
          'working-directory': app,
          'ssh-host': server.address,
          'ssh-key': server.privateKey,
          'ssh-known-hosts': server.knownHosts,
          'actions-cache-key': 'Linux-nextjs-',
          'github-token': TOKEN
        },
        {
          GITHUB_API_URL: api.url,
          GITHUB_REPOSITORY: REPOSITORY,
          CLEAR_APP_CACHES_API_WAIT_SCALE: '0.001',
          // The runner has no engine of its own: Docker is reached on the host.
          DOCKER_HOST: undefined,
          DOCKER_CONTEXT: undefined
        }
      )
      if (process.env.CAC_SUMMARY_HTML) writeFileSync(process.env.CAC_SUMMARY_HTML, run.summary)

      expect(run.stderr).toBe('')
      expect(run.exitCode).toBe(0)
      const files = Number(run.outputs['files-reclaimed-bytes'])
      const dockerBytes = Number(run.outputs['docker-reclaimed-bytes'])
      const cacheBytes = nextjs.reduce((sum, entry) => sum + entry.size_in_bytes, 0)
      expect(files).toBeGreaterThan(10 * MiB)
      expect(dockerBytes).toBeGreaterThan(16 * MiB)
      expect(run.outputs['actions-cache-deleted']).toBe(String(nextjs.length))
      expect(run.outputs['actions-cache-reclaimed-bytes']).toBe(String(cacheBytes))
      expect(run.outputs['reclaimed-bytes']).toBe(String(files + dockerBytes + cacheBytes))
      expect(api.entries().map((entry) => entry.key)).toEqual(entries.slice(nextjs.length).map((entry) => entry.key))

      const summary = run.summary
      expect(summary).toContain('<h2>Clear app caches</h2>')
      expect(summary).toContain(`<th>Host</th><td>${server.address}</td>`)
      expect(summary).toContain('<td>frontend/.next</td>')
      expect(summary).toMatch(/<th>Docker build cache<\/th><td>[\d.]+ MB<\/td>/)
      expect(summary).toContain('<h3>Docker build cache</h3>')
      expect(summary).toMatch(/Really freed<\/th><td>[\d.]+ MB \(\d+ bytes\)/)
      expect(summary).toContain('<h3>GitHub Actions cache</h3>')
      expect(summary).toMatch(/Entries deleted<\/th><td>6<\/td>/)
      for (const entry of nextjs) expect(summary).toContain(`<td>${entry.key}</td>`)
      expect(summary).not.toContain('Warnings and errors')
    } finally {
      await api.close()
    }
  }, 300_000)
})

describe('the full-run summary', () => {
  it('is proven where an engine and sshd can start (the suite says so when they cannot)', () => {
    // Under CI=true requireEngineOrSkip and requireSshServerOrSkip throw instead of skipping.
    expect(server !== undefined || process.env.CI !== 'true').toBe(true)
  })
})
