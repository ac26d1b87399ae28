// A full disk (issue 18): people reach for this action when the disk is full.
// Each check runs on a loop-mounted ext4 filled to its last block (statfs: 0
// bytes free, 0 available), as root, so even the blocks ext4 keeps for root
// are gone:
//   - the file targets on a full filesystem: the trap tree's caches go, nothing
//     else, and the bytes are the filesystem's free-space change;
//   - a containerd-store data root with 0 bytes free (each containerd-store row
//     of scripts/engines.json: managed, and a separate containerd whose root is
//     on the same full disk): the prune runs, its bytes are the store's du
//     shrinkage (within 1% or 1 MiB), the summary is written;
//   - over SSH, for a host without Node, on that same full disk: the container
//     path fails with one line saying the host's disk is full, leaves no
//     container behind, and works once the prune has made room.
// One fill per engine serves the three engine checks, in that order.
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals'
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statfsSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { listTree, makeAppTree, type AppTree } from '../__fixtures__/app-tree.js'
import type { Host } from '../src/host/host.js'
import { afterThisTest, sshWithImage, testSettings } from '../__fixtures__/temp.js'
import {
  docker,
  engineBuildCache,
  engineKinds,
  engineRow,
  engineStoreBytes,
  fillBuildCache,
  requireEngineOrSkip,
  type Engine
} from './helpers/engine.js'
import { makeNodeImage } from './helpers/node-image.js'
import { engineRunEnv, runAction, type ActionRun } from './helpers/run-action.js'
import { fillToTheLastBlock, mountScratch, type Fill, type ScratchFs } from './helpers/scratch-fs.js'
import { requireSshServerOrSkip, type SshServer } from './helpers/ssh-server.js'
import { freshRemoteBundle } from './helpers/remote-bundle.js'

const MiB = 1024 * 1024

/** The step's error annotations. */
const errors = (run: ActionRun): string[] => run.stdout.split('\n').filter((line) => line.startsWith('::error::'))

const remoteBundle = freshRemoteBundle()
jest.unstable_mockModule('../src/remote/script.js', () => ({
  readRemoteScript: async () => remoteBundle.read()
}))
const { clearFiles } = await import('../src/files.js')
const { clearFilesOnHost } = await import('../src/remote/files.js')
const { SshHost } = await import('../src/host/ssh.js')

/** The store's du once it has not changed for 3 s (containerd's collector), at most about 30 s. */
async function settledStoreBytes(engine: Engine): Promise<number> {
  let last = await engineStoreBytes(engine)
  for (let i = 0; i < 10; i++) {
    await new Promise((resolve) => setTimeout(resolve, 3000))
    const now = await engineStoreBytes(engine)
    if (now === last) return now
    last = now
  }
  return last
}

/** A scratch ext4 for the whole file; unmounted when the file ends. */
function scratchExt4(sizeMb: number): ScratchFs {
  const scratch = mountScratch('ext4', sizeMb)
  if (!scratch) throw new Error('unreachable: mountScratch fails under CI=true') // skipped only outside CI
  afterAll(() => scratch.unmount())
  // mkdtemp made the mount's parent 0700: let the SSH account through.
  chmodSync(path.dirname(scratch.dir), 0o755)
  return scratch
}

/** 0 bytes available; what statfs calls free is at most ext4's reserve pool, which no data write can take. */
function expectFull(fill: Fill): void {
  expect(fill.available).toBe(0)
  expect(fill.free).toBeLessThanOrEqual(fill.reserve)
}

describe('the file targets on a full filesystem', () => {
  test('the bundled action clears the caches and nothing else; the bytes are the free-space change', async () => {
    const scratch = mountScratch('ext4', 64)
    if (!scratch) return
    afterThisTest(() => scratch.unmount())
    const full = makeAppTree(path.join(scratch.dir, 'full'))
    const reference = makeAppTree(path.join(scratch.dir, 'reference'))
    const fill = fillToTheLastBlock(scratch.dir)
    expectFull(fill)

    const run = await runAction(full.root, { target: 'frontend,backend' })
    const freed = scratch.free() - fill.free
    expect(errors(run)).toEqual([])
    expect(run.exitCode).toBe(0)
    expect(Number(run.outputs['files-reclaimed-bytes'])).toBe(freed)
    expect(freed).toBeGreaterThan(100_000)
    expect(run.summary).toContain(`(${freed} bytes)`)

    // The same tree cleared with room to spare: the same paths go, the trap tree stays.
    fill.release()
    await clearFiles(testSettings(reference.root, ['frontend', 'backend']))
    expect(listTree(full.root)).toEqual(listTree(reference.root))
    expect(listTree(full.outside)).toEqual(listTree(reference.outside))
    for (const survivor of full.survivors) expect(listTree(full.root)).toContain(survivor)
  })
})

// The containerd-store rows this file runs (its own, or those CAC_ENGINES names).
const kinds = engineKinds().filter((kind) => engineRow(kind).store === 'containerd')
interface Stage {
  readonly engine: Engine
  readonly scratch: ScratchFs
  server?: SshServer
  fill?: Fill
  tree?: AppTree
}
// Started at once (each on its own scratch disk), and set up at once below: the waits overlap.
const started: Stage[] = (
  await Promise.all(
    kinds.map(async (kind) => {
      const scratch = scratchExt4(768)
      const engine = await requireEngineOrSkip('full-disk.test.ts', kind, { disk: scratch.dir })
      return engine ? [{ engine, scratch }] : []
    })
  )
).flat()
const binDirs: string[] = []
afterAll(async () => {
  await Promise.all(started.map(async ({ engine, server }) => [await server?.stop(), await engine.stop()]))
  binDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true }))
})

test('every containerd-store engine this file names started (CI: managed and separate)', () => {
  expect(started.map(({ engine }) => engine.kind)).toEqual(kinds)
})

const IMAGE = 'cac-node:full'

/** A build cache, the node image, an SSH host whose only way is the container, the app on the disk; then the fill. */
async function prepare(stage: Stage): Promise<void> {
  const { engine, scratch } = stage
  await Promise.all([fillBuildCache(engine, 'full'), makeNodeImage(engine.host, IMAGE)])
  // The session finds the engine's docker and a node too old to use: the container path.
  const bin = mkdtempSync(path.join(tmpdir(), 'cac-ssh-bin-'))
  binDirs.push(bin)
  chmodSync(bin, 0o755)
  symlinkSync(engine.cli, path.join(bin, 'docker'))
  writeFileSync(path.join(bin, 'node'), '#!/bin/sh\necho v18.0.0\n', { mode: 0o755 })
  stage.server = await requireSshServerOrSkip('full-disk.test.ts over SSH', { path: bin, engine })
  if (stage.server) {
    // The app is on the full disk too.
    const base = path.join(scratch.dir, 'app')
    mkdirSync(base, { recursive: true })
    stage.tree = makeAppTree(base)
    chmodSync(path.join(stage.tree.root, 'frontend/.next/cache/readonly'), 0o755)
    stage.server.chownToUser(base)
  }
  stage.fill = fillToTheLastBlock(scratch.dir)
}
beforeAll(async () => {
  await Promise.all(started.map(prepare))
}, 600_000)

for (const stage of started) {
  const { engine, scratch } = stage
  describe(`a full disk under the engine, on ${engine.label}`, () => {
    const tree = (): AppTree => stage.tree as AppTree
    const fill = (): Fill => stage.fill as Fill
    const connect = async (): Promise<Host> => {
      const live = stage.server as SshServer
      const host = await SshHost.connect({ ...live.login, knownHosts: live.knownHosts })
      afterThisTest(() => void host.close())
      return host
    }
    const settings = (): ReturnType<typeof testSettings> =>
      testSettings(tree().root, ['frontend', 'backend'], { ssh: sshWithImage(IMAGE) })
    const ours = async (): Promise<string> =>
      (await docker(engine.host, ['ps', '-a', '-q', '--filter', 'label=org.clear-app-caches.remote-files'])).trim()

    test('the disk is full to the last block', () => {
      expectFull(fill())
    })

    test('over SSH without Node: the container path fails in one line saying the disk is full, and leaves no container', async () => {
      if (!stage.server) return
      const before = listTree(tree().root)
      const error = await clearFilesOnHost(await connect(), settings()).then(
        () => undefined,
        (failure: unknown) => failure as Error
      )
      // Either it works (nothing to assert here but the tree) or it says why in one line.
      if (error) {
        console.log(`${engine.label}, over SSH on a full disk: ${error.message}`)
        expect(error.message).toMatch(/the host's disk is full/)
        expect(error.message).not.toContain('\n')
        expect(listTree(tree().root)).toEqual(before)
      }
      expect(await ours()).toBe('')
    })

    test('the action prunes the build cache: its bytes are the store’s du shrinkage, the summary is written', async () => {
      expect(statfsSync(scratch.dir).bavail).toBe(0)
      const action = async (): Promise<{ run: ActionRun; reclaimed: number; shrinkage: number }> => {
        const duBefore = await engineStoreBytes(engine)
        const run = await runAction(
          mkdtempSync(path.join(tmpdir(), 'cac-ws-')),
          { target: 'docker' },
          engineRunEnv(engine)
        )
        const shrinkage = duBefore - (await engineStoreBytes(engine))
        const reclaimed = Number(run.outputs['docker-reclaimed-bytes'])
        console.log(
          `${engine.label} on a full disk: exit ${run.exitCode}, reported ${reclaimed} B, the store shrank ${shrinkage} B ` +
            `(du), disk free now ${scratch.free()} B${run.exitCode === 0 ? '' : `; ${errors(run).join(' ')}`}`
        )
        // The summary is written either way, and the figure is the store's shrinkage either way: a prune that
        // worked, or one that BuildKit could not finish, whose deleted leases containerd still collects
        // (prune-failed.test.ts makes that failure on demand).
        expect(Math.abs(reclaimed - shrinkage)).toBeLessThanOrEqual(Math.max(shrinkage * 0.01, MiB))
        expect(run.summary).toContain(`<th>Docker build cache</th>`)
        if (run.exitCode === 0 || reclaimed > 0) {
          expect(run.summary).toContain('<h3>Docker build cache</h3>')
          expect(run.summary).toContain(`(${reclaimed} bytes)`)
        }
        if (run.exitCode !== 0) {
          expect(run.summary).toMatch(/<li>❌ Docker build cache (not pruned|prune failed): .*no space left on device/)
        }
        return { run, reclaimed, shrinkage }
      }
      let { run, shrinkage } = await action()
      if (run.exitCode !== 0) {
        // Seen (about one run in two): BuildKit cannot even record the deletion, as its metadata database needs a
        // new block (bolt never writes in place): "failed to delete metadata of …: write …/metadata_v2.db: no
        // space left on device". The step fails in one line saying so, with what containerd collected of the
        // leases deleted before the failure, and with a little room the next run prunes the rest.
        expect(errors(run)).toHaveLength(1)
        expect(errors(run)[0]).toMatch(
          /^::error::Docker build cache (not pruned|prune failed): .*no space left on device/
        )
        // What the failed prune's deleted leases let containerd collect goes a moment later: not the next run's.
        await settledStoreBytes(engine)
        fill().makeRoom(MiB)
        ;({ run, shrinkage } = await action())
      }
      expect(errors(run)).toEqual([])
      expect(run.exitCode).toBe(0)
      expect(shrinkage).toBeGreaterThan(16 * MiB)
      expect(await engineBuildCache(engine)).toEqual([])
    })

    test('with the room the prune made, the container path clears the tree', async () => {
      if (!stage.server) return
      const reference = makeAppTree(mkdtempSync(path.join(tmpdir(), 'cac-full-ref-')))
      afterThisTest(() => rmSync(path.dirname(reference.root), { recursive: true, force: true }))
      chmodSync(path.join(reference.root, 'frontend/.next/cache/readonly'), 0o755)
      await clearFiles(testSettings(reference.root, ['frontend', 'backend']))
      const work = await clearFilesOnHost(await connect(), settings())
      expect(work.files?.failures).toEqual([])
      expect(listTree(tree().root)).toEqual(listTree(reference.root))
      expect(listTree(tree().outside)).toEqual(listTree(reference.outside))
      expect(await ours()).toBe('')
      fill().release()
    })
  })
}
