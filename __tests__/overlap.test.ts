// Overlapping runs on one host (issue 14, point 4): two bundled actions
// started together against one host over a real sshd, on one tree and one
// Docker engine, as a fleet matrix that lists a host twice does. Both succeed;
// their file bytes add up to what really vanished (an entry the other run
// removed first is neither counted nor an error); their Docker prunes add up
// to what the engine freed; with the host's node and in containers, where
// neither run's start-up removes the other's container.
import { afterAll, beforeEach, describe, expect, it } from '@jest/globals'
import { chmodSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { bytesGone, expectCachesGoneExactly, fillBigApp, snapshot } from './helpers/big-app.js'
import {
  dataRootBytes,
  docker,
  engineBuildCache,
  fillBuildCache,
  requireEngineOrSkip,
  settledBuildCache,
  which,
  type Engine
} from './helpers/engine.js'
import { makeNodeImage } from './helpers/node-image.js'
import { expectBytesWithin } from './helpers/prune-agreement.js'
import { reclaimedByThisPrune } from '../src/docker/prune-model.js'
import { planCacheRemoval } from '../src/plan.js'
import { removeCaches } from '../src/remove.js'
import { tempDir, testSettings } from '../__fixtures__/temp.js'
import type { BuildCacheRecord } from '../src/docker/prune-model.js'
import { runAction, type ActionRun } from './helpers/run-action.js'
import { requireSshServerOrSkip, type SshServer } from './helpers/ssh-server.js'

const MiB = 1024 * 1024
const IMAGE = 'cac-node:test'

const engine = await requireEngineOrSkip('overlapping runs on one host')
afterAll(async () => engine?.stop())

/** A tree the account owns: 150 × 200 cache entries, no hardlinks (a pair split between two runs frees uncounted). */
function sharedTree(server: SshServer): string {
  const root = tempDir('cac-overlap-')
  chmodSync(root, 0o755)
  fillBigApp(root, 150, 200)
  server.chownToUser(root)
  return root
}

const errors = (run: ActionRun): string[] => run.stdout.split('\n').filter((line) => line.startsWith('::error::'))

/** Two runs of frontend,backend,docker on one tree and one engine, started together. */
async function expectBothSucceed(e: Engine, server: SshServer, extra: Record<string, string> = {}): Promise<void> {
  await fillBuildCache(e, 'overlap')
  // BuildKit may still replace a record just after a build: both runs should see the same cache.
  await settledBuildCache(e)
  const root = sharedTree(server)
  const before = snapshot(root)
  const duBefore = await dataRootBytes(e.dataRoot)
  const inputs = {
    target: 'frontend,backend,docker',
    'working-directory': root,
    'ssh-host': server.address,
    'ssh-key': server.privateKey,
    'ssh-known-hosts': server.knownHosts,
    ...extra
  }
  const runs = await Promise.all([runAction(tempDir(), inputs), runAction(tempDir(), inputs)])
  const shrinkage = duBefore - (await dataRootBytes(e.dataRoot))

  for (const run of runs) {
    expect(run.stderr).toBe('')
    expect(errors(run)).toEqual([])
    expect(run.exitCode).toBe(0)
    expect(run.summary).not.toContain('failed')
  }
  // Files: each counted only what it removed, so the two add up to what vanished.
  const files = runs.map((run) => Number(run.outputs['files-reclaimed-bytes']))
  expect(files[0] + files[1]).toBe(bytesGone(before))
  expectCachesGoneExactly(root)
  // Docker: each reports what its prune removed; together, what the engine freed.
  const pruned = runs.map((run) => Number(run.outputs['docker-reclaimed-bytes']))
  expect(pruned[0] + pruned[1]).toBeGreaterThan(16 * MiB)
  expectBytesWithin("both runs' docker-reclaimed-bytes", pruned[0] + pruned[1], shrinkage)
  expect(await engineBuildCache(e)).toEqual([])
  for (const run of runs)
    expect(run.outputs['reclaimed-bytes']).toBe(
      String(Number(run.outputs['files-reclaimed-bytes']) + Number(run.outputs['docker-reclaimed-bytes']))
    )
}

describe('two removers on one tree at once, in one process', () => {
  it('both succeed; each counts only what it removed, so they add up to what vanished, each entry once', async () => {
    for (let round = 0; round < 3; round++) {
      const root = tempDir('cac-overlap-local-')
      fillBigApp(root, 40, 100)
      const before = snapshot(root)
      const cacheEntries = [...before.keys()].filter(
        (p) => p.startsWith(path.join(root, 'frontend/.next')) || p.includes('__pycache__')
      ).length
      const plan = await planCacheRemoval(testSettings(root, ['frontend', 'backend']))
      // Few deletes in flight each, so that the two interleave entry by entry.
      const results = await Promise.all(
        [1, 2].map(() => removeCaches(plan, { dryRun: false, operationConcurrency: 4 }))
      )
      for (const result of results) {
        expect(result.failures).toEqual([])
        expect(result.warnings).toEqual([])
      }
      // Both really raced: each removed a share.
      expect(Math.min(results[0].entries, results[1].entries)).toBeGreaterThan(0)
      expect(results[0].bytes + results[1].bytes).toBe(bytesGone(before))
      expect(results[0].entries + results[1].entries).toBe(cacheEntries)
      expectCachesGoneExactly(root)
    }
  })
})

describe('reclaimedByThisPrune: only what this prune deleted', () => {
  const record = (ID: string, Size: number, Shared = false): BuildCacheRecord => ({
    ID,
    Size,
    Shared,
    InUse: false,
    Parents: [],
    Type: 'regular'
  })
  const before = [record('a', 100), record('b', 50), record('s', 70, true)]

  it('a prune that deleted nothing (the other run’s prune deleted it all) freed nothing', () => {
    expect(reclaimedByThisPrune(before, 150, [], 0)).toBe(0)
  })

  it('counts the unshared bytes of the records it names, at most before minus after', () => {
    expect(reclaimedByThisPrune(before, 150, ['a', 's'], 170)).toBe(100)
    expect(reclaimedByThisPrune(before, 150, ['a', 'b', 's'], 220)).toBe(150)
    expect(reclaimedByThisPrune(before, 80, ['a', 'b'], 150)).toBe(80)
  })

  it('before minus after when it names a record not listed before, or names none but reports space', () => {
    expect(reclaimedByThisPrune(before, 150, ['a', 'replaced'], 150)).toBe(150)
    expect(reclaimedByThisPrune(before, 150, [], 150)).toBe(150)
  })
})

;(engine ? describe : describe.skip)(`two runs against one host at once, on ${engine?.label ?? 'an engine'}`, () => {
  const e = engine as Engine
  const servers: SshServer[] = []
  afterAll(async () => Promise.all(servers.map((server) => server.stop())))
  beforeEach(async () => {
    await docker(e.host, ['builder', 'prune', '--all', '--force'])
  })

  it('with the host’s node: both succeed, and their bytes add up to what was freed', async () => {
    const server = await requireSshServerOrSkip('overlapping runs, host’s node', { engine: e })
    if (!server) return
    servers.push(server)
    await expectBothSucceed(e, server)
  }, 300_000)

  it('in containers: both succeed, neither removes the other’s container, and their bytes add up', async () => {
    await makeNodeImage(e.host, IMAGE)
    // The session finds docker (pointed at the private engine) and a node too old to use.
    const bin = tempDir('cac-ssh-bin-')
    chmodSync(bin, 0o755)
    symlinkSync(which('docker') as string, path.join(bin, 'docker'))
    writeFileSync(path.join(bin, 'node'), '#!/bin/sh\necho v18.0.0\n', { mode: 0o755 })
    const server = await requireSshServerOrSkip('overlapping runs, in containers', { path: bin, engine: e })
    if (!server) return
    servers.push(server)
    await expectBothSucceed(e, server, { 'remote-node-image': IMAGE })
    expect(await docker(e.host, ['ps', '-a', '-q'])).toBe('')
  }, 300_000)
})
