// Cancelled runs (issue 10, point 4): the bundled action and CLI, signalled
// while they delete a big tree as a cancelled job's runner does (SIGINT, then
// SIGTERM), stop, write every output for what was really freed, say they were
// cancelled and fail; a second run finishes the job.
import { describe, expect, it } from '@jest/globals'
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, watch, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterThisTest } from '../__fixtures__/temp.js'
import { mountScratch } from './helpers/scratch-fs.js'
import { REPO_ROOT, runAction } from './helpers/run-action.js'

const CLI = path.join(REPO_ROOT, 'dist', 'cli.cjs')
// 600 × 200 entries: enough that a run is still deleting when the signal lands.
const DIRS = 600
const FILES_PER_DIR = 200
const CACHE = 'frontend/.next/cache'
const SURVIVORS = ['frontend/src/app.js', 'backend/app/models.py', 'frontend/node_modules/react/index.js']
const CACHE_PATHS = ['frontend/.next', 'backend/app/__pycache__']

/** The app on a private tmpfs (fast to fill): a big Next.js cache, a small Django one, and files that must stay. */
function bigApp(): string {
  const scratch = mountScratch('tmpfs', 512)
  if (!scratch) throw new Error('unreachable: mountScratch fails under CI=true') // skipped only outside CI
  afterThisTest(() => scratch.unmount())
  const root = scratch.dir
  for (let d = 0; d < DIRS; d++) {
    const dir = path.join(root, CACHE, `d${d}`)
    mkdirSync(dir, { recursive: true })
    // Most files empty (no blocks), every tenth with a byte (one page).
    for (let f = 0; f < FILES_PER_DIR; f++) writeFileSync(path.join(dir, `f${f}`), f % 10 === 0 ? 'x' : '')
  }
  mkdirSync(path.join(root, 'backend/app/__pycache__'), { recursive: true })
  writeFileSync(path.join(root, 'backend/app/__pycache__/models.cpython-312.pyc'), 'compiled')
  for (const rel of SURVIVORS) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true })
    writeFileSync(path.join(root, rel), `keep ${rel}`)
  }
  return root
}

/** Every path below `dir` with its inode and allocated bytes (lstat, links not followed). */
function snapshot(dir: string, into = new Map<string, { ino: number; bytes: number }>()): typeof into {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name)
    const stat = lstatSync(p)
    into.set(p, { ino: stat.ino, bytes: stat.blocks * 512 })
    if (stat.isDirectory()) snapshot(p, into)
  }
  return into
}

/** Allocated bytes of the inodes whose every path in `before` is gone now. */
function bytesGone(before: ReturnType<typeof snapshot>): number {
  const surviving = new Set([...before].filter(([p]) => existsAsLink(p)).map(([, entry]) => entry.ino))
  const gone = new Map<number, number>()
  for (const [p, entry] of before) if (!existsAsLink(p) && !surviving.has(entry.ino)) gone.set(entry.ino, entry.bytes)
  return [...gone.values()].reduce((sum, bytes) => sum + bytes, 0)
}

function existsAsLink(p: string): boolean {
  return lstatSync(p, { throwIfNoEntry: false }) !== undefined
}

/**
 * Cancels `child` as the runner does, once its deletes have begun (the first
 * directory of the cache is gone): SIGINT, then SIGTERM while it finishes.
 */
function cancelOnceDeleting(child: ChildProcess, root: string): void {
  const watcher = watch(path.join(root, CACHE), () => {
    watcher.close()
    child.kill('SIGINT')
    setTimeout(() => child.kill('SIGTERM'), 50)
  })
  child.on('exit', () => watcher.close())
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

/** After a second run: exactly the caches are gone. */
function expectCachesGoneExactly(root: string): void {
  for (const rel of CACHE_PATHS) expect([rel, existsSync(path.join(root, rel))]).toEqual([rel, false])
  for (const rel of SURVIVORS) expect(readFileSync(path.join(root, rel), 'utf8')).toBe(`keep ${rel}`)
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
    expect(existsSync(path.join(root, CACHE))).toBe(true)
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
