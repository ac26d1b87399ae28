// The engines of scripts/engines.json (issues 13, 18) start here, are what
// their rows say, build with BuildKit, answer /system/df and prune. A suite
// that loops over requireEnginesOrSkip() names each engine in its test names;
// this one says which engines the run has, so a missing one shows up once,
// plainly. The table itself keeps the suite's coverage: an engine before API
// 1.48, and one from 1.48 on each store, in every engine suite.
import { existsSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, test } from '@jest/globals'
import {
  docker,
  ENGINE_TABLE,
  engineBuildCache,
  engineKinds,
  engineRow,
  fillBuildCache,
  requireEnginesOrSkip,
  settledBuildCache
} from './helpers/engine.js'

const TESTS = path.dirname(fileURLToPath(import.meta.url))
// The suite's coverage is the committed table's; a table of one's own (CAC_ENGINES_TABLE, e.g. Docker's static
// binaries) is checked row by row only.
const committedTable = process.env.CAC_ENGINES_TABLE === undefined ? test : test.skip

describe('the engines table (scripts/engines.json)', () => {
  test('every row is complete and its suites are test files that exist', () => {
    for (const row of ENGINE_TABLE) {
      expect(row.name).toMatch(/^[a-z0-9][a-z0-9.-]*$/)
      expect(['overlay2', 'containerd']).toContain(row.store)
      expect(['managed', 'separate']).toContain(row.containerd)
      expect(Object.keys(row.source).length).toBeGreaterThan(0)
      expect(row.api.min ?? row.api.below).toMatch(/^1\.\d+$/)
      for (const suite of row.suites) if (suite !== '*') expect(existsSync(path.join(TESTS, suite))).toBe(true)
    }
  })

  committedTable('every engine suite runs an engine before API 1.48 and one from 1.48 on each store', () => {
    const everywhere = ENGINE_TABLE.filter((row) => row.suites.includes('*'))
    expect(everywhere.some((row) => row.api.below !== undefined && Number(row.api.below.split('.')[1]) <= 48)).toBe(
      true
    )
    for (const store of ['overlay2', 'containerd']) {
      expect(
        everywhere.some(
          (row) => row.store === store && row.api.min !== undefined && Number(row.api.min.split('.')[1]) >= 48
        )
      ).toBe(true)
    }
  })

  committedTable('a separate containerd is proven where it matters: engines, docker, the action, a full disk', () => {
    const separate = ENGINE_TABLE.filter((row) => row.containerd === 'separate')
    expect(separate.length).toBeGreaterThan(0)
    for (const row of separate) {
      expect(row.store).toBe('containerd')
      expect(row.suites).toEqual(
        expect.arrayContaining(['engines.test.ts', 'docker.test.ts', 'docker-action.test.ts', 'full-disk.test.ts'])
      )
    }
  })
})

const engines = await requireEnginesOrSkip('engines.test.ts')
afterAll(async () => {
  await Promise.all(engines.map((engine) => engine.stop()))
})

test('every engine this run names started (CI: every row)', () => {
  expect(engines.map((engine) => engine.kind)).toEqual(engineKinds())
})

/** Files (not directories) anywhere below dir. */
function filesUnder(dir: string): number {
  if (!existsSync(dir)) return 0
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).length
}

for (const engine of engines) {
  const row = engineRow(engine.kind)
  describe(`on ${engine.label}`, () => {
    test('the engine is what its row says: API range, image store, containerd layout', () => {
      const minor = Number(engine.apiVersion.split('.')[1])
      if (row.api.min) expect(minor).toBeGreaterThanOrEqual(Number(row.api.min.split('.')[1]))
      if (row.api.below) expect(minor).toBeLessThan(Number(row.api.below.split('.')[1]))
      expect(engine.store).toBe(row.store)
      expect(engine.containerd).toBe(row.containerd)
      if ('system' in row.source) expect(engine.cli).toBe('/usr/bin/docker')
      // The row's version is what it was written against; the engine names what it really is.
      console.log(`${engine.kind}: row written against ${row.version}, runs ${engine.label}`)
    })

    test('a BuildKit build fills the build cache, /system/df lists it, and a prune empties it', async () => {
      await fillBuildCache(engine, 'engines')
      const records = await settledBuildCache(engine)
      expect(records.length).toBeGreaterThan(3)
      expect(records.some((record) => record.Type === 'exec.cachemount')).toBe(true)
      const df = await docker(engine.host, ['system', 'df'])
      expect(df).toMatch(/Build Cache/)
      await docker(engine.host, ['builder', 'prune', '--all', '--force'])
      expect(await engineBuildCache(engine)).toEqual([])
    })

    if (engine.store === 'containerd') {
      test(`containerd's content and snapshots live in its own root${engine.containerd === 'separate' ? ', outside the data root' : ''}`, () => {
        // The image of fillBuildCache is still there: its blobs and snapshots are containerd's.
        expect(
          filesUnder(path.join(engine.containerdRoot, 'io.containerd.content.v1.content', 'blobs'))
        ).toBeGreaterThan(0)
        expect(
          readdirSync(path.join(engine.containerdRoot, 'io.containerd.snapshotter.v1.overlayfs', 'snapshots')).length
        ).toBeGreaterThan(0)
        const dataRootHas = (name: string): boolean =>
          readdirSync(engine.dataRoot, { recursive: true }).some((entry) => String(entry).endsWith(name))
        if (engine.containerd === 'separate') {
          expect(path.relative(engine.dataRoot, engine.containerdRoot).startsWith('..')).toBe(true)
          expect(dataRootHas('io.containerd.content.v1.content')).toBe(false)
          expect(dataRootHas('io.containerd.snapshotter.v1.overlayfs')).toBe(false)
        } else {
          expect(engine.containerdRoot.startsWith(`${engine.dataRoot}/`)).toBe(true)
        }
      })
    }

    if (!('system' in row.source)) {
      test('the CLI has the buildx and compose plugins', async () => {
        expect(await docker(engine.host, ['buildx', 'version'])).toMatch(/buildx/i)
        expect(await docker(engine.host, ['compose', 'version'])).toMatch(/version v?2\.\d+/)
      })
    }
  })
}
