// src/docker/ (engine.ts, prune-model.ts, prune.ts, builders.ts): the pure parts by tables, the prune against a private,
// real dockerd (see helpers/engine.ts; skipped visibly without one, failing
// in CI).
// src/docker/ (engine.ts, prune-model.ts, prune.ts, builders.ts): the query
// table here (the pure model has prune-model.test.ts), then the prune against
// private, real dockerd engines, every one of helpers/engine.ts (20.10, 28.5
// overlay2, 28.5 containerd store; skipped visibly without them, failing in
// CI), each test named by its engine.
import { afterAll, beforeEach, describe, expect, test } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import path from 'node:path'
import { DockerApiError, DockerUnavailableError, MAX_API_VERSION, negotiateApiVersion } from '../src/docker/engine.js'
import { unreachedBuilders } from '../src/docker/builders.js'
import { buildPruneQuery, PruneOptionUnsupportedError, type PruneRequest } from '../src/docker/prune-model.js'
import { buildReport, dockerLines } from '../src/report.js'
import { runAction } from './helpers/run-action.js'
import {
  pruneBuildCache,
  readFreeBytes,
  systemDfPath,
  type DockerPruneResult,
  type DockerPruneSettings
} from '../src/docker/prune.js'
import { LocalHost } from '../src/host/local.js'
import {
  buildImage,
  engineStoreBytes,
  docker,
  engineBuildCache,
  settledBuildCache,
  fillBuildCache,
  makeBusyboxBase,
  requireEnginesOrSkip,
  startSshd,
  type Engine
} from './helpers/engine.js'
import { expectAgreement, expectBytesWithin, within } from './helpers/prune-agreement.js'

const DEFAULTS: DockerPruneSettings = { pruneAll: true, filters: [], dryRun: false }
const MiB = 1024 * 1024

describe('buildPruneQuery: names per API version', () => {
  const GIB5 = 5 * 1024 ** 3
  const table: [string, PruneRequest, Record<string, string>][] = [
    ['1.39', { pruneAll: true, filters: [] }, { all: '1' }],
    ['1.41', { pruneAll: true, filters: [] }, { all: '1' }],
    ['1.41', { pruneAll: false, filters: [] }, {}],
    ['1.41', { pruneAll: true, filters: ['until=24h'] }, { all: '1', filters: '{"until":{"24h":true}}' }],
    [
      '1.41',
      { pruneAll: false, filters: ['until=24h', 'type=exec.cachemount', ' Type = regular '] },
      { filters: '{"until":{"24h":true},"type":{"exec.cachemount":true,"regular":true}}' }
    ],
    ['1.41', { pruneAll: true, filters: [], reservedBytes: GIB5 }, { all: '1', 'keep-storage': String(GIB5) }],
    ['1.41', { pruneAll: true, filters: [], reservedBytes: 0 }, { all: '1' }],
    ['1.47', { pruneAll: true, filters: [], reservedBytes: GIB5 }, { all: '1', 'keep-storage': String(GIB5) }],
    [
      '1.47',
      { pruneAll: false, filters: ['until=1h'], reservedBytes: 1024 },
      { filters: '{"until":{"1h":true}}', 'keep-storage': '1024' }
    ],
    // 0 is "not set" to BuildKit: an engine before 1.48 may get it.
    ['1.47', { pruneAll: true, filters: [], maxUsedBytes: 0, minFreeBytes: 0 }, { all: '1' }],
    ['1.48', { pruneAll: true, filters: [], reservedBytes: GIB5 }, { all: '1', 'reserved-space': String(GIB5) }],
    ['1.48', { pruneAll: true, filters: [], maxUsedBytes: GIB5 }, { all: '1', 'max-used-space': String(GIB5) }],
    ['1.48', { pruneAll: true, filters: [], minFreeBytes: 7 }, { all: '1', 'min-free-space': '7' }],
    ['1.48', { pruneAll: true, filters: ['until=24h'] }, { all: '1', filters: '{"until":{"24h":true}}' }],
    ['1.51', { pruneAll: false, filters: [], reservedBytes: 1 }, { 'reserved-space': '1' }],
    [
      '1.51',
      { pruneAll: true, filters: [], reservedBytes: 1, maxUsedBytes: 2, minFreeBytes: 3 },
      { all: '1', 'reserved-space': '1', 'max-used-space': '2', 'min-free-space': '3' }
    ],
    ['1.52', { pruneAll: true, filters: [], reservedBytes: GIB5 }, { all: '1', 'reserved-space': String(GIB5) }],
    ['1.52', { pruneAll: false, filters: ['label!=keep=1'] }, { filters: '{"label!":{"keep=1":true}}' }]
  ]
  test.each(table)('API %s %j', (api, request, expected) => {
    expect(buildPruneQuery(api, request)).toEqual(expected)
  })

  const refusals: [string, 'maxUsedBytes' | 'minFreeBytes', string][] = [
    ['1.41', 'maxUsedBytes', 'docker-max-used-space'],
    ['1.47', 'maxUsedBytes', 'docker-max-used-space'],
    ['1.41', 'minFreeBytes', 'docker-min-free-space'],
    ['1.47', 'minFreeBytes', 'docker-min-free-space']
  ]
  test.each(refusals)('API %s refuses %s, naming the input %s and the API version', (api, field, input) => {
    const request = { pruneAll: true, filters: [], [field]: 1024 }
    expect(() => buildPruneQuery(api, request)).toThrow(PruneOptionUnsupportedError)
    expect(() => buildPruneQuery(api, request)).toThrow(
      new RegExp(
        `Input '${input}' needs Docker Engine API 1\\.48.*speaks API ${api.replace('.', '\\.')}.*Nothing was pruned`
      )
    )
  })

  test.each([
    ['1.38', { pruneAll: true, filters: [] }],
    ['1.38', { pruneAll: false, filters: ['until=24h'] }],
    ['1.38', { pruneAll: true, filters: [], reservedBytes: 1024 }],
    ['1.24', { pruneAll: true, filters: [] }]
  ])('API %s is too old for options: DockerUnavailableError', (api, request) => {
    expect(() => buildPruneQuery(api, request)).toThrow(DockerUnavailableError)
    expect(() => buildPruneQuery(api, request)).toThrow(/needs API 1\.39/)
  })

  test.each([-1, 1.5, Number.NaN])('a size of %s bytes is refused', (bytes) => {
    expect(() => buildPruneQuery('1.51', { pruneAll: true, filters: [], reservedBytes: bytes })).toThrow(
      /whole number of bytes/
    )
  })

  test('pruneBuildCache refuses a bad filter before connecting', async () => {
    await expect(
      pruneBuildCache({ ...DEFAULTS, filters: ['until'] }, { env: { PATH: '/nonexistent' } })
    ).rejects.toThrow(/not key=value/)
  })
})

describe('API version negotiation', () => {
  test.each([
    ['1.41', '1.41'],
    ['1.47', '1.47'],
    ['1.52', '1.52'],
    ['1.53', MAX_API_VERSION],
    ['2.0', MAX_API_VERSION],
    ['1.9', '1.9'],
    [undefined, '1.24'],
    ['', '1.24'],
    ['garbage', '1.24']
  ])('server %s -> %s', (server, expected) => {
    expect(negotiateApiVersion(server)).toBe(expected)
  })

  const paths: [string, ('build-cache' | 'image' | 'volume')[] | undefined, string][] = [
    ['1.41', undefined, '/v1.41/system/df'],
    ['1.41', ['build-cache', 'volume'], '/v1.41/system/df'],
    ['1.42', undefined, '/v1.42/system/df?type=build-cache'],
    ['1.51', ['build-cache', 'image', 'volume'], '/v1.51/system/df?type=build-cache&type=image&type=volume'],
    ['1.52', undefined, '/v1.52/system/df?type=build-cache&verbose=1']
  ]
  test.each(paths)('system/df path for %s %j', (api, types, expected) => {
    expect(systemDfPath(api, types)).toBe(expected)
  })
})

describe('builders the prune does not reach (pure reader)', () => {
  test('containers buildx_buildkit_<node> and volumes <node>_state, by builder, with sizes', () => {
    const containers = [
      { Names: ['/buildx_buildkit_web0'] },
      { Names: ['/unrelated'] },
      { Names: ['/buildx_buildkit_multi1'] }
    ]
    const df = {
      Volumes: [
        { Name: 'buildx_buildkit_web0_state', UsageData: { Size: 18_000_000_000 } },
        { Name: 'buildx_buildkit_gone0_state', UsageData: { Size: -1 } },
        { Name: 'buildx_buildkit__state', UsageData: { Size: 1 } },
        { Name: 'other_state', UsageData: { Size: 5 } }
      ]
    }
    expect(unreachedBuilders(containers, df)).toEqual([
      { builder: 'gone', volume: 'buildx_buildkit_gone0_state' },
      { builder: 'multi', container: 'buildx_buildkit_multi1' },
      { builder: 'web', container: 'buildx_buildkit_web0', volume: 'buildx_buildkit_web0_state', volumeBytes: 18e9 }
    ])
    expect(unreachedBuilders(null, {})).toEqual([])
  })

  test('the summary and log lines name the volume, its size and the command, and say it was not pruned', () => {
    const docker: DockerPruneResult = {
      dryRun: false,
      apiVersion: '1.51',
      serverVersion: '28.5.2',
      store: 'containerd',
      storageDriver: 'overlayfs',
      recordsRemoved: 3,
      removedIds: ['a', 'b', 'c'],
      reclaimedBytes: 2_000_000,
      reclaimedHow: 'free space of the filesystem',
      reclaimedExact: true,
      reportedBytes: 5_000_000,
      cacheBytesBefore: 4_000_000,
      cacheBytesAfter: 1_000_000,
      recordsBefore: 5,
      recordsAfter: 2,
      notes: ['a note'],
      unreachedBuilders: [
        { builder: 'web', container: 'buildx_buildkit_web0', volume: 'buildx_buildkit_web0_state', volumeBytes: 18e9 }
      ]
    }
    const lines = dockerLines(buildReport({ dryRun: false, appRoot: '/', targets: ['docker'], docker }))
    expect(lines).toEqual([
      ['Records removed', '3'],
      ['Really freed', '2 MB (2000000 bytes)'],
      ['Measured as', 'free space of the filesystem'],
      ["Docker's own claim", "5 MB (SpaceReclaimed: every removed record's size, layers images still use included)"],
      ['Build cache left', '1 MB in 2 records (not shared with images)'],
      ['Engine', '28.5.2 (API 1.51, containerd image store, overlayfs)'],
      ['Note', 'a note'],
      [
        'buildx builder "web"',
        'cache NOT pruned (its own BuildKit): state volume buildx_buildkit_web0_state holds 18 GB; clear it with `docker buildx prune --builder web -af`'
      ]
    ])
    const dry = dockerLines(
      buildReport({
        dryRun: true,
        appRoot: '/',
        targets: ['docker'],
        docker: { ...docker, dryRun: true, reclaimedExact: false }
      })
    )
    expect(dry[1]).toEqual(['Would really free (estimate)', '2 MB (2000000 bytes)'])
    expect(dry[3][0]).toBe('Docker would claim')
    // A tie in BuildKit's pick: the range over every way the prune can go.
    const possible = {
      removals: [['a'], ['b']],
      complete: true,
      reclaimedBytes: { low: 4096, high: 8192 },
      reportedBytes: { low: 4096, high: 4096 }
    }
    const tied = dockerLines(
      buildReport({ dryRun: true, appRoot: '/', targets: ['docker'], docker: { ...docker, dryRun: true, possible } })
    )
    expect(tied[1]).toEqual([
      'Would really free',
      'between 4.096 kB and 8.192 kB (4096 to 8192 bytes): BuildKit picks among equally ranked records at random'
    ])
    expect(tied[3][1]).toMatch(/^4\.096 kB \(4096 bytes\) \(SpaceReclaimed/)
  })
})

describe('readFreeBytes: free space of a filesystem, read on the host', () => {
  test('stat -f through a LocalHost gives statfs f_bfree * f_bsize', async () => {
    const dir = mkdtempSync('/tmp/cac-free-')
    try {
      const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64m', 'tmpfs', dir])
      if (mounted.status !== 0) throw new Error(`mount: ${mounted.stderr.toString()}`)
      const stats = statfsSync(dir)
      expect(await readFreeBytes(new LocalHost(), dir)).toBe(stats.bfree * stats.bsize)
    } finally {
      spawnSync('umount', [dir])
      rmSync(dir, { recursive: true, force: true })
    }
  })

  test.each(['relative/dir', '/with space', '/x;rm'])('no read for %j (not a plain absolute path)', async (dir) => {
    expect(await readFreeBytes(new LocalHost(), dir)).toBeUndefined()
  })
})

describe('transport: dial-stdio, HTTP, unreachable engine, missing CLI', () => {
  test('a dead DOCKER_HOST socket: DockerUnavailableError naming the host', async () => {
    const dir = mkdtempSync('/tmp/cac-dead-')
    const host = `unix://${dir}/dead.sock`
    const started = Date.now()
    const error = await pruneBuildCache(DEFAULTS, { env: { ...process.env, DOCKER_HOST: host } }).catch((e) => e)
    rmSync(dir, { recursive: true, force: true })
    expect(error).toBeInstanceOf(DockerUnavailableError)
    expect(error.message).toContain(`cannot reach the Docker engine at ${host}`)
    expect(error.message).not.toContain('\n')
    expect(Date.now() - started).toBeLessThan(10_000)
  })

  test('no docker on PATH: DockerUnavailableError', async () => {
    const error = await pruneBuildCache(DEFAULTS, {
      env: { PATH: '/nonexistent', DOCKER_HOST: 'unix:///x.sock' }
    }).catch((e) => e)
    expect(error).toBeInstanceOf(DockerUnavailableError)
    expect(error.message).toBe('the docker CLI was not found on PATH')
  })

  test('HTTP through undici over dial-stdio: chunked bodies (extensions, trailers), Content-Length', async () => {
    // Transport only: a stand-in "docker" that plays canned engine answers.
    const dir = mkdtempSync('/tmp/cac-http-')
    const df = JSON.stringify({
      BuildCache: [
        { ID: 'a', Type: 'regular', InUse: false, Shared: true, Size: 1000 },
        { ID: 'b', Type: 'exec.cachemount', InUse: false, Shared: false, Size: 300 }
      ]
    })
    const chunked = (body: string): string =>
      `${Buffer.byteLength(body.slice(0, 10)).toString(16)};ext=1\r\n${body.slice(0, 10)}\r\n` +
      `${Buffer.byteLength(body.slice(10)).toString(16).toUpperCase()}\r\n${body.slice(10)}\r\n0\r\nX-Trailer: 1\r\n\r\n`
    const json = (body: string): string =>
      `HTTP/1.1 200 OK\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
    const answers = [
      'HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Length: 2\r\n\r\nOK',
      `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${chunked('{"Version":"99.0.0-fake"}')}`,
      json(
        '{"Driver":"overlay2","DriverStatus":[["Backing Filesystem","extfs"]],"DockerRootDir":"/nonexistent","Name":"elsewhere"}'
      ),
      `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${chunked(df)}`,
      json('[]')
    ]
    writeFileSync(path.join(dir, 'answers.json'), JSON.stringify(answers))
    // One canned answer per request (its head ends with an empty line; these requests have no body).
    const script = [
      `#!${process.execPath}`,
      `const answers = require(${JSON.stringify(path.join(dir, 'answers.json'))})`,
      "let seen = ''",
      "process.stdin.on('data', (chunk) => {",
      '  seen += chunk',
      "  while (seen.includes('\\r\\n\\r\\n')) {",
      "    seen = seen.slice(seen.indexOf('\\r\\n\\r\\n') + 4)",
      '    process.stdout.write(answers.shift())',
      '  }',
      '})'
    ]
    writeFileSync(path.join(dir, 'docker'), `${script.join('\n')}\n`, { mode: 0o755 })
    const result = await pruneBuildCache(
      { ...DEFAULTS, dryRun: true },
      { env: { PATH: `${dir}:/usr/bin:/bin`, DOCKER_HOST: 'unix:///fake.sock' } }
    )
    rmSync(dir, { recursive: true, force: true })
    expect(result).toEqual({
      dryRun: true,
      apiVersion: '1.41',
      serverVersion: '99.0.0-fake',
      store: 'graphdriver',
      storageDriver: 'overlay2',
      recordsBefore: 2,
      recordsRemoved: 2,
      removedIds: ['a', 'b'],
      reclaimedBytes: 300,
      reclaimedHow: expect.stringMatching(/not shared with images/),
      reclaimedExact: true,
      reportedBytes: 1300,
      cacheBytesBefore: 300,
      cacheBytesAfter: 0,
      recordsAfter: 0,
      notes: [],
      unreachedBuilders: []
    })
  })

  test('an engine that never answers: times out with DockerUnavailableError', async () => {
    // A fake "docker" that accepts the connection and says nothing.
    const dir = mkdtempSync('/tmp/cac-mute-')
    writeFileSync(path.join(dir, 'docker'), '#!/bin/sh\nexec sleep 30\n', { mode: 0o755 })
    const started = Date.now()
    const error = await pruneBuildCache(DEFAULTS, {
      env: { PATH: `${dir}:/usr/bin:/bin`, DOCKER_HOST: 'unix:///mute.sock' },
      connectTimeoutMs: 500
    }).catch((e) => e)
    rmSync(dir, { recursive: true, force: true })
    expect(error).toBeInstanceOf(DockerUnavailableError)
    expect(error.message).toBe('cannot reach the Docker engine at unix:///mute.sock: no answer within 0.5 s')
    expect(Date.now() - started).toBeLessThan(3000)
  })
})

// The data roots sit on their own tmpfs: on the containerd store the truth is
// read as free space, which on a shared disk moves with every other writer.
const engines = await requireEnginesOrSkip('docker.test.ts real-engine tests', { ownFilesystem: true })
afterAll(async () => {
  for (const engine of engines) await engine.stop()
})

/** What a dry run and the real run must agree on: the same records, Docker's claim, the cache left. */

/** GET /system/df (build cache) at the engine's own API version, as the engine shapes it. */
function engineSystemDf(engine: Engine): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: engine.socket, path: '/system/df?type=build-cache', timeout: 60_000 }, (res) => {
      let body = ''
      res.on('data', (chunk: Buffer) => (body += chunk.toString()))
      res.on('end', () => resolve(JSON.parse(body)))
    })
    req.on('error', reject)
    req.end()
  })
}

/** CAC_RECORD_PRUNES=dir writes each case as a fixture for prune-model.test.ts. */
function record(name: string, input: Record<string, unknown>, real: DockerPruneResult): void {
  const dir = process.env.CAC_RECORD_PRUNES
  if (!dir) return
  const file = `${name.replace(/[^\w.-]+/g, '-').replace(/-+$/, '')}.json`
  const fixture = { ...input, cachesDeleted: real.removedIds, spaceReclaimed: real.reportedBytes }
  writeFileSync(path.join(dir, file), `${JSON.stringify(fixture, null, 1)}\n`)
}

for (const e of engines) {
  const at48 = Number(e.apiVersion.split('.')[1]) >= 48
  describe(`pruneBuildCache on ${e.label}`, () => {
    const log: string[] = []
    const prune = (settings: Partial<DockerPruneSettings> = {}, env = e.env()) =>
      pruneBuildCache({ ...DEFAULTS, ...settings }, { env, log: (line) => log.push(line) })

    beforeEach(async () => {
      // Each test starts from an empty build cache, emptied by the engine's own CLI.
      await docker(e.host, ['builder', 'prune', '--all', '--force'])
      log.length = 0
    })

    test('defaults: prunes everything; really freed is within 1% of the data root shrinkage; Docker claims more; the next build is fresh', async () => {
      const dir = await fillBuildCache(e, 'full')
      const records = await settledBuildCache(e)
      expect(records.some((r) => r.Type === 'exec.cachemount')).toBe(true)
      expect(records.some((r) => r.Shared)).toBe(true)

      const duBefore = await engineStoreBytes(e)
      const result = await prune()
      const shrinkage = duBefore - (await engineStoreBytes(e))
      console.log(
        `${e.label}: really freed ${result.reclaimedBytes}, data root shrank ${shrinkage}, Docker claimed ${result.reportedBytes} (${result.reclaimedHow})`
      )

      expect(result.dryRun).toBe(false)
      expect(result.store).toBe(e.store === 'containerd' ? 'containerd' : 'graphdriver')
      expect(result.recordsBefore).toBe(records.length)
      expect(result.recordsRemoved).toBe(records.length)
      expect(result.recordsAfter).toBe(0)
      expect(result.cacheBytesAfter).toBe(0)
      expect(result.reclaimedBytes).toBeGreaterThan(16 * MiB)
      expect(within(result.reclaimedBytes, shrinkage)).toBe(true)
      expect(result.reclaimedHow).toMatch(
        e.store === 'containerd' ? /snapshot directories and content blobs/ : /not shared/
      )
      // Docker's own figure counts layers the images still hold.
      expect(result.reportedBytes).toBeGreaterThan(result.reclaimedBytes)
      expect(await engineBuildCache(e)).toEqual([])
      expect(log.join('\n')).toMatch(/POST \/build\/prune\?all=1/)

      const rebuild = await buildImage(e.host, dir, 'full:2')
      expect(rebuild).not.toMatch(/\bCACHED\b/)
    })

    test('pruneAll=false (what `docker builder prune -f` does) leaves the next build CACHED', async () => {
      const dir = await fillBuildCache(e, 'dangling')
      const before = await settledBuildCache(e)
      const result = await prune({ pruneAll: false })
      const after = await engineBuildCache(e)
      expect(result.recordsAfter).toBe(after.length)
      expect(after.length).toBeGreaterThan(0)
      // What it kept is what images share (and what those hang from).
      expect(after.some((r) => r.Shared)).toBe(true)
      expect(result.recordsRemoved).toBe(before.length - after.length)
      const rebuild = await buildImage(e.host, dir, 'dangling:2')
      if (e.store === 'containerd') {
        // Seen on Engine 28.5 with the containerd store: the kept records do not make the next build CACHED.
        console.log(
          `${e.label}: after a dangling-only prune the next build is ${/\bCACHED\b/.test(rebuild) ? '' : 'not '}CACHED`
        )
      } else {
        expect(rebuild).toMatch(/\bCACHED\b/)
      }
    })

    // The dry run against the real run, setting by setting: the same records, claim and cache left.
    const cases: [string, (cache: { unshared: number; until: string }) => Partial<DockerPruneSettings>][] = [
      ['the default (all unused)', () => ({})],
      ['docker-prune-all: false', () => ({ pruneAll: false })],
      ['a filter (until=)', ({ until }) => ({ filters: [`until=${until}`] })],
      ['reserved space', ({ unshared }) => ({ reservedBytes: Math.floor(unshared * 0.7) })]
    ]
    if (at48) cases.push(['max-used-space', ({ unshared }) => ({ maxUsedBytes: Math.floor(unshared * 0.7) })])
    test.each(cases)('dry run equals the real run: %s', async (_name, settingsOf) => {
      // Two fills; for until=, some seconds apart, so that it has a side to cut. The cut sits 10 s from
      // either fill: the real run comes after the dry run, which reads containerd's disk and metadata
      // (seconds on a busy machine), and the cut moves with the clock.
      await fillBuildCache(e, 'older')
      const gapMs = _name.includes('until=') ? 20_000 : 0
      await new Promise((resolve) => setTimeout(resolve, gapMs))
      const middle = Date.now() - gapMs / 2
      await fillBuildCache(e, 'newer')
      const records = await settledBuildCache(e)
      const raw = await engineSystemDf(e)
      const unshared = records.reduce((sum, r) => sum + (r.Shared ? 0 : r.Size), 0)
      const settings = settingsOf({ unshared, until: `${Math.round((Date.now() - middle) / 1000)}s` })

      const duBefore = await engineStoreBytes(e)
      const recordedAt = new Date().toISOString()
      const dry = await prune({ ...settings, dryRun: true })
      expect((await engineBuildCache(e)).map((r) => r.ID).sort()).toEqual(records.map((r) => r.ID).sort())
      const real = await prune(settings)
      const shrinkage = duBefore - (await engineStoreBytes(e))
      console.log(
        `${e.label} ${_name}: dry run ${dry.recordsRemoved} records, ${dry.reclaimedBytes} B; real ${real.recordsRemoved} records, ` +
          `${real.reclaimedBytes} B (data root shrank ${shrinkage}); notes: ${dry.notes.join(' | ')}`
      )
      record(
        `${e.kind}-${_name}`,
        { engine: e.label, apiVersion: e.apiVersion, request: settings, now: recordedAt, systemDf: raw },
        real
      )
      expectAgreement(dry, real)
      expect(real.recordsRemoved).toBeGreaterThan(0)
      expectBytesWithin('reclaimed', real.reclaimedBytes, shrinkage)
      expect(dry.reclaimedExact).toBe(true)
      if (e.store === 'containerd') {
        // containerd's collector replayed on a copy of its metadata, sized on the disk.
        expect(dry.reclaimedHow).toMatch(/would delete once these records' leases are gone/)
      } else if (!dry.possible) {
        expect(dry.reclaimedBytes).toBe(real.reclaimedBytes)
      }
    })

    if (at48) {
      test('min-free-space: the dry run computes from the free space now and says so; one already met still removes one record, as BuildKit does', async () => {
        await fillBuildCache(e, 'minfree')
        await settledBuildCache(e)
        const dry = await prune({ minFreeBytes: 1, dryRun: true })
        expect(dry.notes.join(' ')).toMatch(/min-free-space: computed from the free space now/)
        const real = await prune({ minFreeBytes: 1 })
        expect(real.recordsRemoved).toBe(1)
        expectAgreement(dry, real)
        expect(log.join('\n')).toContain('min-free-space=1')
      })
    } else {
      test.each([
        ['docker-max-used-space', { maxUsedBytes: 8 * MiB }],
        ['docker-min-free-space', { minFreeBytes: 8 * MiB }]
      ])(
        'refuses %s on API %s before touching anything (the engine would ignore it and prune all)',
        async (input, settings) => {
          await fillBuildCache(e, 'refused')
          const before = await settledBuildCache(e)
          for (const dryRun of [true, false]) {
            const error = await prune({ ...settings, dryRun }).catch((err: unknown) => err)
            expect(error).toBeInstanceOf(PruneOptionUnsupportedError)
            expect((error as Error).message).toContain(`Input '${input}' needs Docker Engine API 1.48`)
            expect((error as Error).message).toContain(`speaks API ${e.apiVersion}`)
          }
          expect((await engineBuildCache(e)).map((r) => r.ID).sort()).toEqual(before.map((r) => r.ID).sort())
          expect(log.join('\n')).not.toContain('POST /build/prune')
        }
      )
    }

    if (!at48) {
      test('the action: docker-max-used-space on this engine is an ::error:: naming the input and API version; nothing pruned; every output set', async () => {
        await fillBuildCache(e, 'actionrefused')
        const before = await settledBuildCache(e)
        const ws = mkdtempSync('/tmp/cac-ws-')
        try {
          const run = await runAction(ws, { target: 'docker', 'docker-max-used-space': '8MB' }, e.env())
          expect(run.exitCode).not.toBe(0)
          expect(run.stdout).toMatch(
            new RegExp(
              `^::error::.*Input 'docker-max-used-space' needs Docker Engine API 1\\.48.*API ${e.apiVersion.replace('.', '\\.')}`,
              'm'
            )
          )
          for (const name of [
            'reclaimed-bytes',
            'reclaimed',
            'docker-reclaimed-bytes',
            'docker-reported-bytes',
            'cleared-paths'
          ]) {
            expect(run.outputs[name]).toBeDefined()
          }
          expect(run.outputs['docker-reclaimed-bytes']).toBe('0')
          expect((await engineBuildCache(e)).map((r) => r.ID).sort()).toEqual(before.map((r) => r.ID).sort())
        } finally {
          rmSync(ws, { recursive: true, force: true })
        }
      })
    }

    test('filter type=exec.cachemount removes only the cache mount', async () => {
      await fillBuildCache(e, 'filtered')
      const before = await settledBuildCache(e)
      const mounts = before.filter((r) => r.Type === 'exec.cachemount')
      expect(mounts.length).toBeGreaterThan(0)
      const result = await prune({ filters: ['type=exec.cachemount'] })
      const after = await engineBuildCache(e)
      expect(after.map((r) => r.ID).sort()).toEqual(
        before
          .filter((r) => r.Type !== 'exec.cachemount')
          .map((r) => r.ID)
          .sort()
      )
      expect(result.recordsRemoved).toBe(mounts.length)
      expect(result.reportedBytes).toBe(mounts.reduce((sum, r) => sum + r.Size, 0))
    })

    test('an unknown filter: DockerApiError with the engine message', async () => {
      const error = await prune({ filters: ['bogus=1'] }).catch((err) => err)
      expect(error).toBeInstanceOf(DockerApiError)
      expect(error.message).toMatch(/HTTP 400.*bogus/i)
    })

    test('a buildx builder of its own (container buildx_buildkit_<name>0, volume ..._state) is reported with its size and command, never pruned', async () => {
      await makeBusyboxBase(e.host, 'bbase:1')
      const node = 'buildx_buildkit_fakebuilder0'
      await docker(e.host, ['volume', 'create', `${node}_state`])
      await docker(e.host, [
        'run',
        '--rm',
        '--network=none',
        '-v',
        `${node}_state:/state`,
        'bbase:1',
        'dd',
        'if=/dev/zero',
        'of=/state/cache',
        'bs=1048576',
        'count=3'
      ])
      await docker(e.host, [
        'create',
        '--name',
        node,
        '--network=none',
        '-v',
        `${node}_state:/state`,
        'bbase:1',
        'true'
      ])
      try {
        const result = await prune()
        expect(result.unreachedBuilders).toEqual([
          { builder: 'fakebuilder', container: node, volume: `${node}_state`, volumeBytes: expect.any(Number) }
        ])
        expect(result.unreachedBuilders[0].volumeBytes).toBeGreaterThanOrEqual(3 * MiB)
        expect(log.join('\n')).toContain(
          `buildx builder "fakebuilder" keeps its own BuildKit cache (${node}_state, 3.146 MB): not pruned here; clear it with \`docker buildx prune --builder fakebuilder -af\``
        )
        expect(await docker(e.host, ['volume', 'ls', '-q'])).toContain(`${node}_state`)
      } finally {
        await docker(e.host, ['rm', '-f', node])
        await docker(e.host, ['volume', 'rm', `${node}_state`])
      }
    })

    test('reaches the engine over DOCKER_HOST=ssh://root@127.0.0.1:<port> through a real sshd', async () => {
      await fillBuildCache(e, 'overssh')
      const sshd = await startSshd(e)
      try {
        const result = await prune({}, { ...sshd.env(), ...(e.dockerConfig ? { DOCKER_CONFIG: e.dockerConfig } : {}) })
        expect(result.recordsRemoved).toBeGreaterThan(0)
        expect(result.reclaimedBytes).toBeGreaterThan(16 * MiB)
        expect(result.recordsAfter).toBe(0)
        expect(await engineBuildCache(e)).toEqual([])
        expect(log[0]).toContain(sshd.host)
      } finally {
        await sshd.stop()
      }
    })
  })
}
