// A big app for the tests that stop or race a clear (cancel, cancel-ssh, overlap): a
// Next.js cache of many small files, a small Django one and files that must
// stay; and the allocated bytes of what really vanished, to compare with what
// a run reports.
import type { ChildProcess } from 'node:child_process'
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, watch, writeFileSync } from 'node:fs'
import path from 'node:path'
import { expect } from '@jest/globals'

export const BIG_CACHE = 'frontend/.next/cache'
export const BIG_SURVIVORS = ['frontend/src/app.js', 'backend/app/models.py', 'frontend/node_modules/react/index.js']
export const BIG_CACHE_PATHS = ['frontend/.next', 'backend/app/__pycache__']

/** Fills `root` with `dirs` × `filesPerDir` cache entries (every tenth holds a byte), no hardlinks. */
export function fillBigApp(root: string, dirs: number, filesPerDir: number): void {
  for (let d = 0; d < dirs; d++) {
    const dir = path.join(root, BIG_CACHE, `d${d}`)
    mkdirSync(dir, { recursive: true })
    for (let f = 0; f < filesPerDir; f++) writeFileSync(path.join(dir, `f${f}`), f % 10 === 0 ? 'x' : '')
  }
  mkdirSync(path.join(root, 'backend/app/__pycache__'), { recursive: true })
  writeFileSync(path.join(root, 'backend/app/__pycache__/models.cpython-312.pyc'), 'compiled')
  for (const rel of BIG_SURVIVORS) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true })
    writeFileSync(path.join(root, rel), `keep ${rel}`)
  }
}

export type Snapshot = Map<string, { ino: number; bytes: number }>

/** Every path below `dir` with its inode and allocated bytes (lstat, links not followed). */
export function snapshot(dir: string, into: Snapshot = new Map()): Snapshot {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name)
    const stat = lstatSync(p)
    into.set(p, { ino: stat.ino, bytes: stat.blocks * 512 })
    if (stat.isDirectory()) snapshot(p, into)
  }
  return into
}

function existsAsLink(p: string): boolean {
  return lstatSync(p, { throwIfNoEntry: false }) !== undefined
}

/** Allocated bytes of the inodes whose every path in `before` is gone now. */
export function bytesGone(before: Snapshot): number {
  const surviving = new Set([...before].filter(([p]) => existsAsLink(p)).map(([, entry]) => entry.ino))
  const gone = new Map<number, number>()
  for (const [p, entry] of before) if (!existsAsLink(p) && !surviving.has(entry.ino)) gone.set(entry.ino, entry.bytes)
  return [...gone.values()].reduce((sum, bytes) => sum + bytes, 0)
}

/** After a run that finished: exactly the caches are gone. */
export function expectCachesGoneExactly(root: string): void {
  for (const rel of BIG_CACHE_PATHS) expect([rel, existsSync(path.join(root, rel))]).toEqual([rel, false])
  for (const rel of BIG_SURVIVORS) expect(readFileSync(path.join(root, rel), 'utf8')).toBe(`keep ${rel}`)
}

/**
 * Cancels `child` as the runner does, once deletes have begun in `root` (the
 * tree is on this machine: the first directory of the cache goes): SIGINT,
 * then SIGTERM while it finishes.
 */
export function cancelOnceDeleting(child: ChildProcess, root: string): void {
  const watcher = watch(path.join(root, BIG_CACHE), () => {
    watcher.close()
    child.kill('SIGINT')
    setTimeout(() => child.kill('SIGTERM'), 50)
  })
  child.on('exit', () => watcher.close())
}
