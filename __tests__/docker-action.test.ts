// The bundled action (dist/index.js) against a private, real dockerd, on each
// engine of the run (20.10, 28.5 overlay2, 28.5 containerd store): the
// docker outputs are the disk really freed, the cache is gone, the next build
// runs every step; an unreachable engine is a warning with `all` and an error
// (without a stack trace) when `docker` is named.
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import {
  buildImage,
  engineStoreBytes,
  describeEngines,
  engineBuildCache,
  fillBuildCache,
  engineKinds,
  engineRow,
  requireEngineOrSkip,
  settledBuildCache,
  type Engine
} from './helpers/engine.js'
import { expectBytesWithin } from './helpers/prune-agreement.js'
import { engineRunEnv, runAction } from './helpers/run-action.js'

const workspaces: string[] = []
function workspace(): string {
  const dir = mkdtempSync('/tmp/cac-ws-')
  workspaces.push(dir)
  return dir
}
afterEach(() => {
  for (const dir of workspaces.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** A stack trace line, as a thrown error would print it. */
const STACK_LINE = /^\s+at .+\(?.*:\d+:\d+\)?$/m

describe('the action with an unreachable Docker engine', () => {
  const dead = (): Record<string, string | undefined> => {
    const dir = workspace()
    return { DOCKER_HOST: `unix://${dir}/dead.sock`, DOCKER_CONTEXT: undefined }
  }

  test('target all: the file caches are cleared, docker is a warning, exit 0', async () => {
    const ws = workspace()
    mkdirSync(path.join(ws, 'frontend', '.next'), { recursive: true })
    writeFileSync(path.join(ws, 'frontend', '.next', 'build.bin'), Buffer.alloc(64 * 1024, 1))
    mkdirSync(path.join(ws, 'backend', '__pycache__'), { recursive: true })
    writeFileSync(path.join(ws, 'backend', '__pycache__', 'x.pyc'), Buffer.alloc(16 * 1024, 1))
    const env = dead()
    const run = await runAction(ws, { target: 'all' }, env)
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toMatch(/^::warning::.*Docker.*cannot reach the Docker engine/m)
    expect(run.stdout).toContain(String(env.DOCKER_HOST))
    expect(run.stdout).not.toMatch(/^::error::/m)
    expect(run.outputs['docker-reclaimed-bytes']).toBe('0')
    expect(Number(run.outputs['files-reclaimed-bytes'])).toBeGreaterThan(0)
    expect(run.outputs['reclaimed-bytes']).toBe(run.outputs['files-reclaimed-bytes'])
  })

  test('target docker: exit 1 with ::error:: and no stack trace', async () => {
    const ws = workspace()
    const env = dead()
    const run = await runAction(ws, { target: 'docker' }, env)
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toMatch(/^::error::.*cannot reach the Docker engine/m)
    expect(run.stdout + run.stderr).not.toMatch(STACK_LINE)
    expect(run.outputs['docker-reclaimed-bytes']).toBe('0')
  })
})

// Each engine of the run (issue 13), started one after the other; the tests name it. The containerd store's data
// root keeps a filesystem of its own: the fallback measure (free space) would be right there too.
const engines: Engine[] = []
for (const kind of engineKinds()) {
  const options = { ownFilesystem: engineRow(kind).store === 'containerd' }
  const engine = await requireEngineOrSkip('docker-action.test.ts real-engine tests', kind, options)
  if (engine) engines.push(engine)
}
afterAll(async () => {
  for (const engine of engines) await engine.stop()
})

describeEngines(engines, 'the action against a real engine', (engine) => {
  // One fill for the three runs: the dry run and the refused filter must leave it whole, the real run empties it.
  let context: string
  beforeAll(async () => {
    context = await fillBuildCache(engine, 'action')
  }, 300_000)

  test('dry run: outputs predict, nothing is pruned', async () => {
    const before = await settledBuildCache(engine)
    const run = await runAction(workspace(), { target: 'docker', 'dry-run': 'true' }, engineRunEnv(engine))
    expect(run.exitCode).toBe(0)
    expect(Number(run.outputs['docker-reclaimed-bytes'])).toBeGreaterThan(16 * 1024 * 1024)
    expect((await engineBuildCache(engine)).length).toBe(before.length)
  })

  test('target all with a filter the engine refuses: files still cleared and reported, the step fails', async () => {
    const ws = workspace()
    mkdirSync(path.join(ws, 'frontend', '.next'), { recursive: true })
    writeFileSync(path.join(ws, 'frontend', '.next', 'build.bin'), Buffer.alloc(64 * 1024, 1))
    const before = await settledBuildCache(engine)
    const run = await runAction(ws, { target: 'all', 'docker-filter': 'bogus=1' }, engineRunEnv(engine))
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toMatch(/^::error::Docker build cache not pruned: .*bogus/m)
    expect(run.stdout).not.toMatch(STACK_LINE)
    expect(Number(run.outputs['files-reclaimed-bytes'])).toBeGreaterThanOrEqual(64 * 1024)
    expect(JSON.parse(run.outputs['cleared-paths'])).toEqual(['frontend/.next'])
    expect((await engineBuildCache(engine)).length).toBe(before.length)
  })

  test('target docker: outputs are the real shrinkage; no cache left; the next build runs every step', async () => {
    const duBefore = await engineStoreBytes(engine)
    const run = await runAction(workspace(), { target: 'docker' }, engineRunEnv(engine))
    const duAfter = await engineStoreBytes(engine)
    const shrinkage = duBefore - duAfter
    expect(run.exitCode).toBe(0)

    const reclaimed = Number(run.outputs['docker-reclaimed-bytes'])
    const reported = Number(run.outputs['docker-reported-bytes'])
    expect(reclaimed).toBeGreaterThan(16 * 1024 * 1024)
    expectBytesWithin('docker-reclaimed-bytes', reclaimed, shrinkage)
    // Docker's claim counts the layers the images still hold.
    expect(reported).toBeGreaterThan(reclaimed)
    expect(Number(run.outputs['reclaimed-bytes'])).toBe(Number(run.outputs['files-reclaimed-bytes'] ?? 0) + reclaimed)
    expect(run.outputs['reclaimed-bytes']).toBe(String(reclaimed))

    expect(await engineBuildCache(engine)).toEqual([])
    expect(await buildImage(engine.host, context, 'action:2')).not.toMatch(/\bCACHED\b/)

    // The job summary's Docker section: records, real bytes, Docker's claim, what is left.
    expect(run.summary).toContain('<h3>Docker build cache</h3>')
    expect(run.summary).toMatch(/Records removed<\/th><td>[1-9]\d*<\/td>/)
    expect(run.summary).toContain(`(${reclaimed} bytes)`)
    expect(run.summary).toMatch(/Docker's own claim<\/th><td>[\d.]+ MB/)
    expect(run.summary).toMatch(/Build cache left<\/th><td>0 B in 0 records \(not shared with images\)/)
    // How the figure was obtained: the records on a graph driver, the disk's free space on the containerd store.
    expect(run.summary).toMatch(
      engine.store === 'containerd'
        ? /Measured as<\/th><td>containerd\S* snapshot directories and content blobs \(under \S+\) that the prune\S* garbage collection deleted/
        : /Measured as<\/th><td>build-cache records not shared with images/
    )
    expect(run.stdout).toMatch(/::group::docker: build cache\n(.*\n)*POST \/build\/prune\?all=1/)
  })
})
