// Cancelled runs (issue 10, point 4): the bundled action and CLI, signalled
// while they delete a big tree as a cancelled job's runner does (SIGINT, then
// SIGTERM), stop, write every output for what was really freed, say they were
// cancelled and fail; a second run finishes the job.
import { describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { afterThisTest } from '../__fixtures__/temp.js'
import {
  BIG_CACHE,
  bytesGone,
  cancelOnceDeleting,
  expectCachesGoneExactly,
  fillBigApp,
  snapshot
} from './helpers/big-app.js'
import { mountScratch } from './helpers/scratch-fs.js'
import { REPO_ROOT, runAction } from './helpers/run-action.js'

const CLI = path.join(REPO_ROOT, 'dist', 'cli.cjs')
// 600 × 200 entries: enough that a run is still deleting when the signal lands.
const DIRS = 600
const FILES_PER_DIR = 200

/** The app on a private tmpfs (fast to fill): a big Next.js cache, a small Django one, and files that must stay. */
function bigApp(): string {
  const scratch = mountScratch('tmpfs', 512)
  if (!scratch) throw new Error('unreachable: mountScratch fails under CI=true') // skipped only outside CI
  afterThisTest(() => scratch.unmount())
  fillBigApp(scratch.dir, DIRS, FILES_PER_DIR)
  return scratch.dir
}

function runCli(args: string[], cancelIn?: string): Promise<{ status: number; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  if (cancelIn) cancelOnceDeleting(child, cancelIn)
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  return new Promise((resolve) => child.on('close', (code) => resolve({ status: code ?? -1, stdout, stderr })))
}

describe('a cancelled run', () => {
  it('the action, sent SIGINT then SIGTERM while deleting, writes outputs and summary for what was really freed, fails, and a second run finishes', async () => {
    const root = bigApp()
    const before = snapshot(root)
    const noEngine = { DOCKER_HOST: `unix://${root}/no-engine.sock`, DOCKER_CONTEXT: undefined }
    const run = await runAction(root, { target: 'all' }, noEngine, (child) => cancelOnceDeleting(child, root))

    expect(run.exitCode).not.toBe(0)
    const freed = bytesGone(before)
    expect(freed).toBeGreaterThan(0)
    expect(run.outputs['reclaimed-bytes']).toBe(String(freed))
    expect(run.outputs['files-reclaimed-bytes']).toBe(String(freed))
    // Stopped early: the big cache is only partly gone, so it is not listed as cleared.
    expect(existsSync(path.join(root, BIG_CACHE))).toBe(true)
    expect(JSON.parse(run.outputs['cleared-paths'])).not.toContain('frontend/.next')
    expect(run.summary).toContain('Clear app caches — cancelled')
    expect(run.summary).toContain('Cancelled: stopped before the end')
    expect(run.stdout).toMatch(/^Cancelled: stopped before the end, freed .* until then/m)
    expect(run.stdout).toMatch(/^::error::Cancelled: /m)
    // Docker had not started: skipped, and said so.
    expect(run.stdout).toContain('Docker build cache not pruned: the run was cancelled before the prune.')

    const middle = snapshot(root)
    const second = await runAction(root, { target: 'frontend,backend' })
    expect(second.exitCode).toBe(0)
    expect(second.summary).not.toContain('cancelled')
    expect(second.outputs['reclaimed-bytes']).toBe(String(bytesGone(middle)))
    expectCachesGoneExactly(root)
  }, 180_000)

  it('the CLI, sent SIGINT then SIGTERM while deleting, prints the JSON report of what was really freed and exits 130; a second run finishes', async () => {
    const root = bigApp()
    const before = snapshot(root)
    const run = await runCli(['frontend', 'backend', '--root', root, '--json'], root)

    expect(run.status).toBe(130)
    const { outputs, report } = JSON.parse(run.stdout) as {
      outputs: Record<string, string>
      report: { cancelled: boolean; removed: { path: string; complete: boolean }[] }
    }
    const freed = bytesGone(before)
    expect(report.cancelled).toBe(true)
    expect(freed).toBeGreaterThan(0)
    expect(outputs['reclaimed-bytes']).toBe(String(freed))
    expect(report.removed.find((entry) => entry.path === 'frontend/.next')?.complete).toBe(false)

    const middle = snapshot(root)
    const second = await runCli(['frontend', 'backend', '--root', root, '--json'])
    expect(second.status).toBe(0)
    const finished = JSON.parse(second.stdout) as { outputs: Record<string, string>; report: { cancelled: boolean } }
    expect(finished.report.cancelled).toBe(false)
    expect(finished.outputs['reclaimed-bytes']).toBe(String(bytesGone(middle)))
    expectCachesGoneExactly(root)
  }, 180_000)

  it('the CLI in text mode says it was cancelled', async () => {
    const root = bigApp()
    const run = await runCli(['frontend', '--root', root], root)
    expect(run.status).toBe(130)
    expect(run.stdout).toMatch(
      /^Cancelled: stopped before the end, freed .* until then; a later run clears the rest\.$/m
    )
    expect(run.stdout).toMatch(/frontend\/\.next \(partly\)/)
  }, 180_000)
})
