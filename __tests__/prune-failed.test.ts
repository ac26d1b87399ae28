// A prune the engine fails after it has deleted records (issue 18): BuildKit
// deletes leases one by one, and at 0 bytes free can fail on a later one
// ("write …/metadata_v2.db: no space left on device", seen about one prune in
// two in full-disk.test.ts). What the deleted records held is freed all the
// same (containerd collects it; a graph driver frees it with the record), so
// the run must report those bytes beside the error, measured as a prune that
// worked is. That failure cannot be had on demand, so here a
// proxy on the engine's socket lets the real prune run on the real engine and
// answers it with the engine's error instead of its result: everything the
// engine did is real, only its answer is the failure's.
import { afterAll, describe, expect, test } from '@jest/globals'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, request, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import path from 'node:path'
import {
  engineBuildCache,
  engineStoreBytes,
  fillBuildCache,
  requireEnginesOrSkip,
  settledBuildCache,
  settledDataRootBytes,
  type Engine
} from './helpers/engine.js'
import { within } from './helpers/prune-agreement.js'
import { engineRunEnv, runAction, type ActionRun } from './helpers/run-action.js'

const MiB = 1024 * 1024
const FAILURE =
  'failed to delete metadata of prune-failed-test: write /var/lib/docker/buildkit/metadata_v2.db: no space left on device'

const engines = await requireEnginesOrSkip('prune-failed.test.ts')
afterAll(async () => {
  for (const engine of engines) await engine.stop()
})

const errors = (run: ActionRun): string[] => run.stdout.split('\n').filter((line) => line.startsWith('::error::'))

/**
 * An HTTP proxy on a unix socket in front of `engine`: every request goes through to the engine, and
 * `POST …/build/prune` too, but once the engine has answered it, the proxy answers 500 with FAILURE.
 */
async function failingPruneProxy(engine: Engine): Promise<{ host: string; close(): Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cac-proxy-'))
  const socketPath = path.join(dir, 'docker.sock')
  const server: Server = createServer((req, res) => {
    const prune = req.method === 'POST' && /\/build\/prune(\?|$)/.test(req.url ?? '')
    const upstream = request(
      { socketPath: engine.socket, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        if (!prune) {
          res.writeHead(answer.statusCode ?? 502, answer.headers)
          answer.pipe(res)
          return
        }
        answer.resume()
        answer.on('end', () => {
          res.writeHead(500, { 'Content-Type': 'application/json' })
          res.end(JSON.stringify({ message: FAILURE }))
        })
      }
    )
    upstream.on('error', (error) => res.destroy(error))
    req.pipe(upstream)
  })
  await new Promise<void>((resolve) => server.listen(socketPath, resolve))
  return {
    host: `unix://${socketPath}`,
    close: async () => {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

for (const engine of engines) {
  describe(`a prune the engine fails after deleting records, on ${engine.label}`, () => {
    const freedBy = engine.store === 'containerd' ? 'containerd still collected' : 'the engine still freed'
    test(`the run fails in one line that gives what ${freedBy}, and reports those bytes`, async () => {
      await fillBuildCache(engine, 'pf')
      await settledBuildCache(engine)
      const proxy = await failingPruneProxy(engine)
      try {
        const workspace = mkdtempSync(path.join(tmpdir(), 'cac-ws-'))
        const run = (): Promise<ActionRun> =>
          runAction(workspace, { target: 'docker' }, { ...engineRunEnv(engine), DOCKER_HOST: proxy.host })

        const before = await settledDataRootBytes(engine.dataRoot).then(() => engineStoreBytes(engine))
        const failed = await run()
        const shrinkage = before - (await engineStoreBytes(engine))
        const reclaimed = Number(failed.outputs['docker-reclaimed-bytes'])
        console.log(`${engine.label}: a failed prune reported ${reclaimed} B, the store shrank ${shrinkage} B (du)`)
        expect(failed.exitCode).not.toBe(0)
        expect(errors(failed)).toEqual([
          expect.stringMatching(
            new RegExp(
              `^::error::Docker build cache prune failed: .*no space left on device; ${freedBy} ` +
                `\\S+ \\S+ \\(${reclaimed} bytes\\) that records deleted before the failure held$`
            )
          )
        ])
        // The engine really pruned: what it deleted is gone, and the figure is the store's shrinkage.
        expect(await engineBuildCache(engine)).toEqual([])
        expect(shrinkage).toBeGreaterThan(16 * MiB)
        expect(within(reclaimed, shrinkage)).toBe(true)
        expect(Number(failed.outputs['reclaimed-bytes'])).toBe(reclaimed)
        expect(failed.summary).toContain('<h3>Docker build cache</h3>')
        expect(failed.summary).toContain(`<th>Really freed</th><td>`)
        expect(failed.summary).toContain(`(${reclaimed} bytes)`)
        expect(failed.summary).toContain(engine.store === 'containerd' ? 'containerd' : 'not shared with images')

        // Nothing left to delete: the same failure frees nothing, and says only that it failed.
        const empty = await run()
        expect(errors(empty)).toEqual([
          expect.stringMatching(/^::error::Docker build cache not pruned: .*no space left on device$/)
        ])
        expect(empty.outputs['docker-reclaimed-bytes']).toBe('0')
        rmSync(workspace, { recursive: true, force: true })
      } finally {
        await proxy.close()
      }
    }, 300_000)
  })
}

if (engines.length === 0) test.skip('no engine', () => undefined)
