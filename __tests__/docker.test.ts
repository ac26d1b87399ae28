// src/docker/ (engine.ts, estimate.ts, prune.ts): the pure parts by tables, the prune against a private,
// real dockerd (see helpers/engine.ts; skipped visibly without one, failing
// in CI).
import { afterAll, beforeEach, describe, expect, test } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { DockerApiError, DockerUnavailableError, MAX_API_VERSION, negotiateApiVersion } from '../src/docker/engine.js'
import {
  buildCacheRecords,
  estimatePrune,
  parseGoDuration,
  parsePruneFilters,
  type BuildCacheRecord
} from '../src/docker/estimate.js'
import { buildPruneQuery, pruneBuildCache, systemDfPath, type DockerPruneSettings } from '../src/docker/prune.js'
import {
  buildImage,
  dataRootBytes,
  describeIf,
  docker,
  engineBuildCache,
  settledBuildCache,
  fillBuildCache,
  requireEngineOrSkip,
  startSshd,
  type Engine
} from './helpers/engine.js'

const DEFAULTS: DockerPruneSettings = { pruneAll: true, filters: [], dryRun: false }

describe('buildPruneQuery', () => {
  const GIB5 = 5 * 1024 ** 3
  const table: [string, boolean, string[], number | undefined, Record<string, string>][] = [
    // [api, pruneAll, filters, keepStorageBytes, expected query]
    ['1.39', true, [], undefined, { all: '1' }],
    ['1.41', true, [], undefined, { all: '1' }],
    ['1.41', false, [], undefined, {}],
    ['1.41', true, ['until=24h'], undefined, { all: '1', filters: '{"until":{"24h":true}}' }],
    [
      '1.41',
      false,
      ['until=24h', 'type=exec.cachemount', ' Type = regular '],
      undefined,
      { filters: '{"until":{"24h":true},"type":{"exec.cachemount":true,"regular":true}}' }
    ],
    ['1.41', true, [], GIB5, { all: '1', 'keep-storage': String(GIB5) }],
    ['1.41', true, [], 0, { all: '1' }],
    ['1.47', true, [], GIB5, { all: '1', 'keep-storage': String(GIB5) }],
    ['1.47', false, ['until=1h'], 1024, { filters: '{"until":{"1h":true}}', 'keep-storage': '1024' }],
    ['1.48', true, [], GIB5, { all: '1', 'reserved-space': String(GIB5) }],
    ['1.48', true, ['until=24h'], undefined, { all: '1', filters: '{"until":{"24h":true}}' }],
    ['1.51', false, [], 1, { 'reserved-space': '1' }],
    ['1.52', true, [], GIB5, { all: '1', 'reserved-space': String(GIB5) }],
    ['1.52', false, ['label!=keep=1'], undefined, { filters: '{"label!":{"keep=1":true}}' }]
  ]
  test.each(table)('API %s all=%s filters=%j keep=%s', (api, pruneAll, filters, keepStorageBytes, expected) => {
    expect(buildPruneQuery(api, { pruneAll, filters, keepStorageBytes })).toEqual(expected)
  })

  const tooOld: [string, Pick<DockerPruneSettings, 'pruneAll' | 'filters' | 'keepStorageBytes'>][] = [
    ['1.38', { pruneAll: true, filters: [] }],
    ['1.38', { pruneAll: false, filters: ['until=24h'] }],
    ['1.38', { pruneAll: true, filters: [], keepStorageBytes: 1024 }],
    ['1.24', { pruneAll: true, filters: [] }]
  ]
  test.each(tooOld)('API %s is too old for options: DockerUnavailableError', (api, settings) => {
    expect(() => buildPruneQuery(api, settings)).toThrow(DockerUnavailableError)
    expect(() => buildPruneQuery(api, settings)).toThrow(/needs API 1\.39/)
  })

  test.each([-1, 1.5, Number.NaN])('keep-storage %s is refused', (keep) => {
    expect(() => buildPruneQuery('1.41', { pruneAll: true, filters: [], keepStorageBytes: keep })).toThrow(
      /whole number of bytes/
    )
  })
})

describe('parsePruneFilters', () => {
  const lines: [string[], Record<string, Record<string, true>>][] = [
    [[], {}],
    [['', '  '], {}],
    [['until=24h'], { until: { '24h': true } }],
    [['until=24h', 'until=48h'], { until: { '24h': true, '48h': true } }],
    [['type=exec.cachemount'], { type: { 'exec.cachemount': true } }],
    [['label=a=b'], { label: { 'a=b': true } }],
    [['UNTIL = 10m '], { until: { '10m': true } }]
  ]
  test.each(lines)('%j', (lines, expected) => {
    expect(parsePruneFilters(lines)).toEqual(expected)
  })

  test.each([
    ['until', /not key=value/],
    ['=24h', /no valid key/],
    ['un til=24h', /no valid key/],
    ['until=', /no value/]
  ])('%j is refused', (line, message) => {
    expect(() => parsePruneFilters([line])).toThrow(message)
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

  test.each([
    ['1.41', '/v1.41/system/df'],
    ['1.42', '/v1.42/system/df?type=build-cache'],
    ['1.51', '/v1.51/system/df?type=build-cache'],
    ['1.52', '/v1.52/system/df?type=build-cache&verbose=1']
  ])('system/df path for %s', (api, expected) => {
    expect(systemDfPath(api)).toBe(expected)
  })

  test('both /system/df shapes', () => {
    const record = { ID: 'a', Type: 'regular', InUse: false, Shared: true, Size: 5 }
    expect(buildCacheRecords({ BuildCache: [record] })).toEqual([record])
    expect(buildCacheRecords({ BuildCacheUsage: { Items: [record] } })).toEqual([record])
    expect(buildCacheRecords({ BuildCache: null })).toEqual([])
    expect(buildCacheRecords({})).toEqual([])
  })
})

describe('estimatePrune (dry run)', () => {
  const NOW = Date.parse('2025-01-02T00:00:00Z')
  const rec = (ID: string, over: Partial<BuildCacheRecord> = {}): BuildCacheRecord => ({
    ID,
    Type: 'regular',
    InUse: false,
    Shared: false,
    Size: 100,
    LastUsedAt: '2025-01-01T00:00:00Z',
    ...over
  })
  const records = [
    rec('base', { Shared: true, Size: 1000 }),
    rec('layer', { Parent: 'base', Shared: true, Size: 500 }),
    rec('mount', { Type: 'exec.cachemount', Size: 300, LastUsedAt: '2025-01-01T23:30:00Z' }),
    rec('ctx', { Type: 'source.local', Size: 200 }),
    rec('busy', { InUse: true, Size: 50 }),
    rec('front', { Type: 'frontend', Size: 7 }),
    rec('child', { Parents: ['ctx'], Size: 10, LastUsedAt: null })
  ]

  const estimates: [
    Pick<DockerPruneSettings, 'pruneAll' | 'filters' | 'keepStorageBytes'>,
    string[],
    number,
    number
  ][] = [
    [{ pruneAll: true, filters: [] }, ['base', 'layer', 'mount', 'ctx', 'front', 'child'], 2017, 517],
    [{ pruneAll: false, filters: [] }, ['mount', 'ctx', 'child'], 510, 510],
    [{ pruneAll: true, filters: ['type=exec.cachemount'] }, ['mount'], 300, 300],
    // ctx is older than 1h but its child... has no LastUsedAt, so it goes too.
    [{ pruneAll: true, filters: ['until=1h'] }, ['base', 'layer', 'ctx', 'front', 'child'], 1717, 217],
    // A parent stays while a child stays: "parent" of child kept => ctx kept.
    [{ pruneAll: true, filters: ['type=source.local'] }, [], 0, 0],
    [{ pruneAll: true, filters: ['private=1'] }, ['mount', 'ctx', 'front', 'child'], 517, 517],
    // Keep 360 of 567 unshared bytes: oldest first (child has no LastUsedAt) until at most 360 are left.
    [{ pruneAll: true, filters: [], keepStorageBytes: 360 }, ['child', 'base', 'layer', 'ctx'], 1710, 210]
  ]
  test.each(estimates)('%j', (settings, removed, reported, reclaimed) => {
    const estimate = estimatePrune(records, settings, NOW)
    expect([...estimate.removed].sort()).toEqual([...removed].sort())
    expect(estimate.reportedBytes).toBe(reported)
    expect(estimate.reclaimedBytes).toBe(reclaimed)
  })

  test('filters it cannot evaluate are reported', () => {
    expect(estimatePrune(records, { pruneAll: true, filters: ['label=a=b'] }, NOW).ignoredFilters).toEqual([
      'label=a=b'
    ])
  })

  test.each([
    ['24h', 86_400_000],
    ['1h30m', 5_400_000],
    ['1.5h', 5_400_000],
    ['90s', 90_000],
    ['0', 0],
    ['10', undefined],
    ['1d', undefined]
  ])('Go duration %s', (text, ms) => {
    expect(parseGoDuration(text)).toBe(ms)
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
    const answers = [
      'HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Length: 2\r\n\r\nOK',
      `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${chunked('{"Version":"99.0.0-fake"}')}`,
      `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${chunked(df)}`
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
      recordsBefore: 2,
      recordsRemoved: 2,
      reclaimedBytes: 300,
      reportedBytes: 1300,
      cacheBytesBefore: 300,
      cacheBytesAfter: 0,
      recordsAfter: 0
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

const engine = await requireEngineOrSkip('docker.test.ts real-engine tests')
afterAll(async () => {
  await engine?.stop()
})

describeIf(engine)('pruneBuildCache against a real engine', () => {
  const e = engine as Engine
  const MiB = 1024 * 1024
  const log: string[] = []
  const prune = (settings: Partial<DockerPruneSettings> = {}, env = e.env()) =>
    pruneBuildCache({ ...DEFAULTS, ...settings }, { env, log: (line) => log.push(line) })

  const fillCache = (name: string): Promise<string> => fillBuildCache(e, name)

  beforeEach(async () => {
    // Each test starts from an empty build cache, emptied by the CLI itself.
    await docker(e.host, ['builder', 'prune', '--all', '--force'])
    log.length = 0
  })

  test('defaults: prunes everything; reclaimed bytes match the data root shrinkage; the next build is fresh', async () => {
    const dir = await fillCache('full')
    const records = await engineBuildCache(e)
    expect(records.some((r) => r.Type === 'exec.cachemount')).toBe(true)
    expect(records.some((r) => r.Shared)).toBe(true)

    const duBefore = await dataRootBytes(e.dataRoot)
    const result = await prune()
    const duAfter = await dataRootBytes(e.dataRoot)
    const shrinkage = duBefore - duAfter

    expect(result.dryRun).toBe(false)
    expect(result.recordsBefore).toBe(records.length)
    expect(result.recordsRemoved).toBe(records.length)
    expect(result.recordsAfter).toBe(0)
    expect(result.cacheBytesAfter).toBe(0)
    expect(result.reclaimedBytes).toBe(result.cacheBytesBefore)
    expect(result.reclaimedBytes).toBeGreaterThan(16 * MiB)
    expect(Math.abs(result.reclaimedBytes - shrinkage)).toBeLessThanOrEqual(shrinkage * 0.01)
    // Docker's own figure counts layers the images still hold.
    expect(result.reportedBytes).toBeGreaterThan(result.reclaimedBytes + 6 * MiB)
    expect(await engineBuildCache(e)).toEqual([])
    expect(log.join('\n')).toMatch(/POST \/build\/prune\?all=1/)

    const rebuild = await buildImage(e.host, dir, 'full:2')
    expect(rebuild).not.toMatch(/\bCACHED\b/)
  })

  test('pruneAll=false (what `docker builder prune -f` does) leaves the next build CACHED', async () => {
    const dir = await fillCache('dangling')
    const before = await engineBuildCache(e)
    const result = await prune({ pruneAll: false })
    const after = await engineBuildCache(e)
    expect(result.recordsAfter).toBe(after.length)
    expect(after.length).toBeGreaterThan(0)
    // What it kept is what images share.
    expect(after.every((r) => r.Shared || r.InUse)).toBe(true)
    expect(result.recordsRemoved).toBe(before.length - after.length)
    const rebuild = await buildImage(e.host, dir, 'dangling:2')
    expect(rebuild).toMatch(/\bCACHED\b/)
  })

  test('filter type=exec.cachemount removes only the cache mount', async () => {
    await fillCache('filtered')
    const before = await engineBuildCache(e)
    const mounts = before.filter((r) => r.Type === 'exec.cachemount')
    expect(mounts.length).toBeGreaterThan(0)
    const result = await prune({ filters: ['type=exec.cachemount'] })
    const after = await engineBuildCache(e)
    expect(after.filter((r) => r.Type === 'exec.cachemount')).toEqual([])
    expect(after.map((r) => r.ID).sort()).toEqual(
      before
        .filter((r) => r.Type !== 'exec.cachemount')
        .map((r) => r.ID)
        .sort()
    )
    expect(result.recordsRemoved).toBe(mounts.length)
    expect(result.reclaimedBytes).toBe(mounts.reduce((sum, r) => sum + r.Size, 0))
  })

  test('an unknown filter: DockerApiError with the engine message', async () => {
    const error = await prune({ filters: ['bogus=1'] }).catch((err) => err)
    expect(error).toBeInstanceOf(DockerApiError)
    expect(error.message).toMatch(/HTTP 400.*bogus/i)
  })

  test('keep-storage reaches the engine under the name its API version knows, and cache is kept', async () => {
    await fillCache('kept')
    const keep = 9 * MiB
    const result = await prune({ keepStorageBytes: keep })
    const name = Number(result.apiVersion.split('.')[1]) >= 48 ? 'reserved-space' : 'keep-storage'
    expect(log.join('\n')).toContain(`POST /build/prune?all=1&${name}=9437184`)
    expect(result.cacheBytesBefore).toBeGreaterThan(keep)
    // The engine removed records (a plain --all prune removes every one, see
    // above) but kept some cache. How much is BuildKit's business: it deletes
    // one record at a time, oldest first, against a total of its own that
    // counts layers shared with images (Engine 20.10 stops well before the
    // unshared bytes reach the limit), so no byte figure is asserted here.
    expect(result.recordsRemoved).toBeGreaterThan(0)
    expect(result.recordsAfter).toBeGreaterThan(0)
    expect(result.cacheBytesAfter).toBeGreaterThan(0)
    expect(result.reclaimedBytes).toBe(result.cacheBytesBefore - result.cacheBytesAfter)
    expect(result.recordsAfter).toBe((await engineBuildCache(e)).length)
  })

  test('dry run prunes nothing and predicts what the prune then frees', async () => {
    await fillCache('dry')
    const before = await settledBuildCache(e)
    const duBefore = await dataRootBytes(e.dataRoot)
    const dry = await prune({ dryRun: true })
    expect(dry.dryRun).toBe(true)
    expect((await engineBuildCache(e)).map((r) => r.ID).sort()).toEqual(before.map((r) => r.ID).sort())
    expect(Math.abs((await dataRootBytes(e.dataRoot)) - duBefore)).toBeLessThan(1024 * 1024)

    const real = await prune()
    expect(dry.recordsRemoved).toBe(real.recordsRemoved)
    expect(dry.reclaimedBytes).toBe(real.reclaimedBytes)
    expect(dry.reportedBytes).toBe(real.reportedBytes)
    expect(dry.cacheBytesAfter).toBe(real.cacheBytesAfter)
  })

  test('dry run with pruneAll=false predicts the dangling-only prune', async () => {
    await fillCache('drydangling')
    const dry = await prune({ dryRun: true, pruneAll: false })
    const real = await prune({ pruneAll: false })
    expect(dry.recordsRemoved).toBe(real.recordsRemoved)
    expect(dry.reclaimedBytes).toBe(real.reclaimedBytes)
    expect(dry.recordsAfter).toBe(real.recordsAfter)
  })

  test('reaches the engine over DOCKER_HOST=ssh://root@127.0.0.1:<port> through a real sshd', async () => {
    await fillCache('overssh')
    const sshd = await startSshd(e)
    try {
      const result = await prune({}, sshd.env())
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
