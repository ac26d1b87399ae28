// The remover as a user that is not root (a self-hosted runner, a deploy
// user): the CLI (dist/cli.cjs) runs under setpriv as `cacuser`, created here
// if missing. What the user may remove goes; what it may not is named with
// its reason, everything else is cleared, and the step fails at the end.
import { describe, expect, it } from '@jest/globals'
import { execFileSync, spawnSync } from 'node:child_process'
import { chmodSync, chownSync, mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { exists, makeAppTree, type AppTree } from '../__fixtures__/app-tree.js'
import { afterThisTest } from '../__fixtures__/temp.js'
import { mountScratch, type ScratchFs } from './helpers/scratch-fs.js'
import { REPO_ROOT } from './helpers/run-action.js'

const CLI = path.join(REPO_ROOT, 'dist', 'cli.cjs')
const USER = 'cacuser'

/** The test user's uid, created if missing; undefined (skip) when this machine cannot (not root), except under CI. */
function testUser(): number | undefined {
  try {
    try {
      execFileSync('id', ['-u', USER], { stdio: 'pipe' })
    } catch {
      execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', USER], { stdio: 'pipe' })
    }
    return Number(execFileSync('id', ['-u', USER], { encoding: 'utf8' }).trim())
  } catch (error) {
    const message = `cannot create or find the user ${USER} (needs root): ${(error as Error).message}`
    if (process.env.CI === 'true') throw new Error(message)
    console.warn(`SKIPPED: ${message}`)
    return undefined
  }
}

interface CliRun {
  readonly status: number
  readonly stderr: string
  readonly outputs: Record<string, string>
  readonly report: { removed: { path: string }[]; failures: { path: string; reason: string }[] }
}

function cliAsUser(args: string[]): CliRun {
  const result = spawnSync(
    'setpriv',
    ['--reuid', USER, '--regid', USER, '--clear-groups', '--', process.execPath, CLI, ...args, '--json'],
    { cwd: '/', encoding: 'utf8' }
  )
  const parsed = JSON.parse(result.stdout) as Pick<CliRun, 'outputs' | 'report'>
  return { status: result.status ?? -1, stderr: result.stderr, ...parsed }
}

const byPath = <T extends { path: string }>(items: T[]): T[] => [...items].sort((a, b) => a.path.localeCompare(b.path))

/** A quiet tmpfs the test user can reach, so reported bytes can be compared with the free-space change. */
function userScratch(): ScratchFs | undefined {
  const scratch = mountScratch('tmpfs')
  if (!scratch) return undefined
  afterThisTest(() => scratch.unmount())
  chmodSync(path.dirname(scratch.dir), 0o755)
  chmodSync(scratch.dir, 0o755)
  return scratch
}

/** The app tree, owned by the user, plus what a root-run container build would leave in it. */
function userTree(base: string, uid: number): AppTree {
  const tree = makeAppTree(base)
  execFileSync('chown', ['-R', `${uid}:${uid}`, tree.root, tree.outside])
  const at = (rel: string): string => path.join(tree.root, rel)
  // The user may remove these: a root-owned file in its own directory, and its own read-only trees.
  writeFileSync(at('frontend/.next/cache/root-owned.bin'), Buffer.alloc(9000))
  for (const dir of ['frontend/node_modules/.cache/go-mod', 'frontend/node_modules/.cache/go-mod/pkg@v1/sub']) {
    mkdirSync(at(dir), { recursive: true })
    writeFileSync(at(`${dir}/mod.go`), Buffer.alloc(5000))
    chownSync(at(dir), uid, uid)
    chownSync(at(`${dir}/mod.go`), uid, uid)
  }
  chownSync(at('frontend/node_modules/.cache/go-mod/pkg@v1'), uid, uid)
  chmodSync(at('frontend/node_modules/.cache/go-mod/pkg@v1/sub'), 0o555)
  chmodSync(at('frontend/node_modules/.cache/go-mod/pkg@v1'), 0o500)
  // The user may not remove these: a root-owned directory full of files, and a cache root it cannot read.
  mkdirSync(at('backend/app/__pycache__/built'))
  for (let i = 0; i < 50; i++) writeFileSync(at(`backend/app/__pycache__/built/m${i}.pyc`), Buffer.alloc(1000))
  execFileSync('chown', ['root:root', at('frontend/.turbo')])
  chmodSync(at('frontend/.turbo'), 0o700)
  return tree
}

describe('not root', () => {
  it('clears what the user may remove, names what it may not and why, counts bytes exactly, and fails', () => {
    const uid = testUser()
    const scratch = uid === undefined ? undefined : userScratch()
    if (uid === undefined || !scratch) return
    const tree = userTree(scratch.dir, uid)
    const args = ['frontend', 'backend', '--root', tree.root]

    const dryRun = cliAsUser([...args, '--dry-run'])
    const before = scratch.free()
    const run = cliAsUser(args)
    const freed = scratch.free() - before

    expect(run.status).toBe(1)
    expect(byPath(run.report.failures)).toEqual([
      {
        path: 'backend/app/__pycache__/built',
        reason: expect.stringMatching(/^EACCES: permission denied \(owned by uid 0, mode 755: uid \d+ may not remove/)
      },
      {
        path: 'frontend/.turbo',
        reason: expect.stringMatching(/^EACCES: permission denied \(owned by uid 0, mode 700/)
      }
    ])
    // Named once, left whole: the failure is the directory, not its 50 files.
    expect(exists(path.join(tree.root, 'backend/app/__pycache__/built/m49.pyc'))).toBe(true)
    expect(exists(path.join(tree.root, 'frontend/.turbo/turbo-build.log'))).toBe(true)
    // Everything else is cleared.
    const stuck = ['frontend/.turbo', 'backend/app/__pycache__']
    for (const rel of [...tree.caches.frontend, ...tree.caches.backend].filter((rel) => !stuck.includes(rel)))
      expect([rel, exists(path.join(tree.root, rel))]).toEqual([rel, false])
    expect(exists(path.join(tree.root, 'backend/app/__pycache__/views.cpython-311.pyc'))).toBe(false)
    for (const rel of tree.survivors) expect([rel, exists(path.join(tree.root, rel))]).toEqual([rel, true])
    expect(Number(run.outputs['files-reclaimed-bytes'])).toBe(freed)
    expect(dryRun.status).toBe(1)
    expect(byPath(dryRun.report.failures)).toEqual(byPath(run.report.failures))
    expect(dryRun.outputs['files-reclaimed-bytes']).toBe(run.outputs['files-reclaimed-bytes'])
  })

  it('a cache root the user cannot read at all is named, and the rest cleared', () => {
    const uid = testUser()
    const scratch = uid === undefined ? undefined : userScratch()
    if (uid === undefined || !scratch) return
    const tree = makeAppTree(scratch.dir)
    execFileSync('chown', ['-R', `${uid}:${uid}`, tree.root, tree.outside])
    chmodSync(path.join(tree.root, 'frontend/.next'), 0o700)
    execFileSync('chown', ['-R', 'root:root', path.join(tree.root, 'frontend/.next')])
    const run = cliAsUser(['frontend', '--root', tree.root])
    expect(run.status).toBe(1)
    expect(run.report.failures).toEqual([
      { path: 'frontend/.next', reason: expect.stringMatching(/^EACCES: permission denied/) }
    ])
    expect(exists(path.join(tree.root, 'frontend/.next/cache/webpack/client.pack'))).toBe(true)
    expect(exists(path.join(tree.root, 'frontend/out'))).toBe(false)
  })
})
