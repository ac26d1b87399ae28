// The bundled action (dist/index.js) against a private, real dockerd: the
// docker outputs are the disk really freed, the cache is gone, the next build
// runs every step; an unreachable engine is a warning with `all` and an error
// (without a stack trace) when `docker` is named.
import { afterAll, afterEach, describe, expect, test } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import {
  buildImage,
  dataRootBytes,
  describeIf,
  engineBuildCache,
  fillBuildCache,
  requireEngineOrSkip
} from './helpers/engine.js'
import { runAction } from './helpers/run-action.js'

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

const engine = await requireEngineOrSkip('docker-action.test.ts real-engine tests')
afterAll(async () => {
  await engine?.stop()
})

describeIf(engine)('the action against a real engine', () => {
  test('target docker: outputs are the real shrinkage; no cache left; the next build runs every step', async () => {
    if (!engine) return
    const context = await fillBuildCache(engine, 'action')
    const ws = workspace()
    const duBefore = await dataRootBytes(engine.dataRoot)
    const run = await runAction(ws, { target: 'docker' }, { DOCKER_HOST: engine.host, DOCKER_CONTEXT: undefined })
    const duAfter = await dataRootBytes(engine.dataRoot)
    const shrinkage = duBefore - duAfter
    expect(run.exitCode).toBe(0)

    const reclaimed = Number(run.outputs['docker-reclaimed-bytes'])
    const reported = Number(run.outputs['docker-reported-bytes'])
    expect(reclaimed).toBeGreaterThan(16 * 1024 * 1024)
    expect(Math.abs(reclaimed - shrinkage)).toBeLessThanOrEqual(shrinkage * 0.01)
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
    expect(run.summary).toMatch(/Build cache left<\/th><td>0 B in 0 records/)
    expect(run.stdout).toMatch(/::group::docker: build cache\n(.*\n)*POST \/build\/prune\?all=1/)
  })

  test('target all with a filter the engine refuses: files still cleared and reported, the step fails', async () => {
    if (!engine) return
    const ws = workspace()
    mkdirSync(path.join(ws, 'frontend', '.next'), { recursive: true })
    writeFileSync(path.join(ws, 'frontend', '.next', 'build.bin'), Buffer.alloc(64 * 1024, 1))
    const run = await runAction(
      ws,
      { target: 'all', 'docker-filter': 'bogus=1' },
      { DOCKER_HOST: engine.host, DOCKER_CONTEXT: undefined }
    )
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toMatch(/^::error::Docker build cache not pruned: .*bogus/m)
    expect(run.stdout).not.toMatch(STACK_LINE)
    expect(Number(run.outputs['files-reclaimed-bytes'])).toBeGreaterThanOrEqual(64 * 1024)
    expect(JSON.parse(run.outputs['cleared-paths'])).toEqual(['frontend/.next'])
  })

  test('dry run: outputs predict, nothing is pruned', async () => {
    if (!engine) return
    await fillBuildCache(engine, 'actiondry')
    const before = await engineBuildCache(engine)
    const run = await runAction(
      workspace(),
      { target: 'docker', 'dry-run': 'true' },
      { DOCKER_HOST: engine.host, DOCKER_CONTEXT: undefined }
    )
    expect(run.exitCode).toBe(0)
    expect(Number(run.outputs['docker-reclaimed-bytes'])).toBeGreaterThan(16 * 1024 * 1024)
    expect((await engineBuildCache(engine)).length).toBe(before.length)
  })
})
