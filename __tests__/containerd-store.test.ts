// src/docker/stores/containerd.ts against real engines with the containerd
// image store (issue 18): every cache shape (helpers/cache-shapes.ts) filled
// alone and pruned, then all of them in one fill for a chain of prunes, each
// prune first as a dry run: the dry run names the same records, the same
// claim and the same bytes (within 1% or 1 MiB) as the real run, and the real run's bytes are the shrinkage of the
// data root (and of containerd's own root when it lies elsewhere). The last
// prune runs while another process writes and deletes at least 100 MB on the
// same filesystem, outside the data root: the figure does not move.
import { afterAll, describe, expect, test } from '@jest/globals'
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { pruneBuildCache, type DockerPruneSettings } from '../src/docker/prune.js'
import { CACHE_SHAPES, fillCacheShapes } from './helpers/cache-shapes.js'
import {
  engineStoreBytes,
  requireEnginesOrSkip,
  settledBuildCache,
  settledDataRootBytes,
  type Engine
} from './helpers/engine.js'
import { expectAgreement, expectBytesWithin } from './helpers/prune-agreement.js'

const MiB = 1024 * 1024
const engines = await requireEnginesOrSkip('containerd-store.test.ts', {}, 'containerd')
afterAll(async () => {
  for (const engine of engines) await engine.stop()
})

/** The directories a prune frees on: the data root, and a separate containerd's root. */
function rootsOf(engine: Engine): string[] {
  return engine.containerd === 'separate' ? [engine.dataRoot, engine.containerdRoot] : [engine.dataRoot]
}

/**
 * Writes and deletes 16 MiB files in `dir` (fsync'd, so the blocks are
 * really taken) until stopped; stop() resolves to the bytes written.
 */
function startWriter(dir: string): { stop(): Promise<number>; written(): number } {
  const child = spawn(
    'sh',
    [
      '-c',
      'while :; do dd if=/dev/zero of="$1/w" bs=1M count=16 conv=fsync 2>/dev/null; rm -f "$1/w"; echo 16; sleep 0.2; done',
      'sh',
      dir
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] }
  )
  let mib = 0
  child.stdout.on('data', (chunk: Buffer) => (mib += 16 * chunk.toString().trim().split('\n').length))
  return {
    written: () => mib * MiB,
    stop: async () => {
      child.kill('SIGTERM')
      await new Promise((resolve) => child.once('close', resolve))
      return mib * MiB
    }
  }
}

for (const e of engines) {
  describe(`the containerd store's own bytes, on ${e.label}`, () => {
    const prune = (settings: Partial<DockerPruneSettings> = {}) =>
      pruneBuildCache({ pruneAll: true, filters: [], dryRun: false, ...settings }, { env: e.env() })

    /** One step of the chain: dry run, then the real run, with the disk's shrinkage. */
    async function step(name: string, settings: Partial<DockerPruneSettings>, during?: () => Promise<void>) {
      await settledBuildCache(e)
      await settledDataRootBytes(e.dataRoot)
      const before = await engineStoreBytes(e)
      const dry = await prune({ ...settings, dryRun: true })
      const real = await prune(settings)
      await during?.()
      const shrinkage = before - (await engineStoreBytes(e))
      console.log(
        `${e.label} ${name}: reported ${real.reclaimedBytes} B, roots shrank ${shrinkage} B (${rootsOf(e).join(' + ')}), ` +
          `dry run ${dry.reclaimedBytes} B; ${real.recordsRemoved} records; Docker claimed ${real.reportedBytes} B`
      )
      expectAgreement(dry, real)
      expect(dry.reclaimedExact).toBe(true)
      expect(dry.reclaimedHow).toMatch(/would delete once these records' leases are gone/)
      expect(real.reclaimedHow).toMatch(/that the prune's garbage collection deleted/)
      expectBytesWithin('reclaimed', real.reclaimedBytes, shrinkage)
      return { dry, real, shrinkage }
    }

    test.each(Object.keys(CACHE_SHAPES))('%s, filled alone: the default prune, dry run and real run', async (shape) => {
      await CACHE_SHAPES[shape](e, 'alone')
      await settledDataRootBytes(e.dataRoot)
      const { real } = await step(`${shape}, alone`, {})
      expect(real.recordsAfter).toBe(0)
      expect(real.reclaimedBytes).toBeGreaterThan(4 * MiB)
    })

    test('every shape, every input: the dry run predicts the real run, and the real run is the disk shrinkage, with a writer on the disk at the end', async () => {
      await fillCacheShapes(e, 'shapes')
      const records = await settledBuildCache(e)
      expect(records.some((r) => r.Type === 'exec.cachemount')).toBe(true)
      expect(records.some((r) => r.Shared)).toBe(true)
      const unshared = async (): Promise<number> =>
        (await settledBuildCache(e)).reduce((sum, r) => sum + (r.Shared ? 0 : r.Size), 0)

      // Each limit cuts into what the step before left.
      await step('reserved space (70% of the unshared cache)', { reservedBytes: Math.floor((await unshared()) * 0.7) })
      if (Number(e.apiVersion.split('.')[1]) >= 48) {
        await step('max-used-space (60% of what is left)', { maxUsedBytes: Math.floor((await unshared()) * 0.6) })
        await step('min-free-space (already met: one record)', { minFreeBytes: 1 })
      }
      await step('docker-prune-all: false', { pruneAll: false })

      // The last prune, all that is left, with another process writing to and deleting from the same filesystem.
      const scratch = mkdtempSync('/tmp/cac-writer-')
      const sameDisk = (dir: string): string => spawnSync('stat', ['-c', '%d', dir]).stdout.toString().trim()
      expect(sameDisk(scratch)).toBe(sameDisk(e.dataRoot))
      const writer = startWriter(scratch)
      try {
        const { real } = await step('the default (all), while another process writes', {}, async () => {
          // At least 100 MB written and deleted around the prune.
          while (writer.written() < 100 * 1000 * 1000) await new Promise((resolve) => setTimeout(resolve, 100))
        })
        expect(real.recordsAfter).toBe(0)
        expect(real.reclaimedBytes).toBeGreaterThan(8 * MiB)
      } finally {
        console.log(`the writer wrote and deleted ${await writer.stop()} bytes`)
        rmSync(scratch, { recursive: true, force: true })
      }
    })
  })
}

if (engines.length === 0) test.skip('no containerd-store engine', () => undefined)
