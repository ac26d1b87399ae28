// The three engines the real-engine suites prove (issue 13) start here, are
// what they say they are, and build with BuildKit. A suite that loops over
// requireEnginesOrSkip() names each engine in its test names; this one says
// which engines the run has, so a missing one shows up once, plainly.
import { afterAll, describe, expect, test } from '@jest/globals'
import { docker, engineKinds, fillBuildCache, requireEnginesOrSkip, settledBuildCache } from './helpers/engine.js'

const engines = await requireEnginesOrSkip('engines.test.ts')
afterAll(async () => {
  for (const engine of engines) await engine.stop()
})

test('every engine this run names started (CI: all three)', () => {
  expect(engines.map((engine) => engine.kind)).toEqual(engineKinds())
})

for (const engine of engines) {
  describe(`on ${engine.label}`, () => {
    test('the engine is the kind it claims: version and image store', () => {
      if (engine.kind === 'debian-20.10') {
        expect(engine.version).toMatch(/^20\.10\./)
        expect(engine.store).toBe('overlay2')
      } else {
        expect(engine.version).toMatch(/^28\.5\./)
        expect(engine.store).toBe(engine.kind === '28.5-containerd' ? 'containerd' : 'overlay2')
      }
    })

    test('a BuildKit build fills the build cache', async () => {
      await fillBuildCache(engine, 'engines')
      const records = await settledBuildCache(engine)
      expect(records.length).toBeGreaterThan(3)
      expect(records.some((record) => record.Type === 'exec.cachemount')).toBe(true)
    })

    if (engine.kind !== 'debian-20.10') {
      test('the CLI has the buildx and compose plugins', async () => {
        expect(await docker(engine.host, ['buildx', 'version'])).toMatch(/buildx/i)
        expect(await docker(engine.host, ['compose', 'version'])).toMatch(/version v?2\.\d+/)
      })
    }
  })
}
