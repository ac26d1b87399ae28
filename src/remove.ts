// The remover: walks the planned roots, finds the caches the rules name,
// measures and deletes them. It counts only what it really removed (or, in a
// dry run, what a real run would), and never follows a symbolic link or
// crosses into another filesystem. It writes no outputs or logs: it returns data.
import { constants as fsConstants, promises as fs, type Dirent, type Stats } from 'node:fs'
import type { FileHandle } from 'node:fs/promises'
import path from 'node:path'
import type { CacheSearch, RemovalPlan } from './plan.js'
import type { FileTarget } from './rules.js'

export type RemovalOwner = FileTarget | 'extra'

/** One cache path (a removal root) and what removing it freed. */
export interface RemovedPath {
  readonly owner: RemovalOwner
  /** Relative to the app root, '/'-separated. */
  readonly path: string
  /** Entries (files, links, directories) removed, the root included. */
  entries: number
  /** Allocated bytes freed (st_blocks × 512), inodes counted once, when their last link goes. */
  bytes: number
  /** The whole path is gone (or would be, in a dry run). */
  complete: boolean
}

export interface PathFailure {
  /** Relative to the app root. */
  readonly path: string
  readonly reason: string
}

export interface RemovalProgress {
  readonly entries: number
  readonly bytes: number
}

export interface RemovalResult {
  readonly dryRun: boolean
  readonly removed: readonly RemovedPath[]
  readonly failures: readonly PathFailure[]
  readonly warnings: readonly string[]
  readonly entries: number
  readonly bytes: number
}

export interface RemovalOptions {
  readonly dryRun: boolean
  /** Directories read at once. */
  readonly directoryConcurrency?: number
  /** File-system calls in flight at once (lstat, unlink, rmdir, readdir). */
  readonly operationConcurrency?: number
  /** How often a directory that refills while being cleared is cleared again. */
  readonly refillRetries?: number
  readonly onProgress?: (progress: RemovalProgress) => void
  readonly progressIntervalMs?: number
}

// Enough to keep the disk queue full on a small runner without holding much
// memory: each in-flight call is one closure, each open directory one listing.
export const DEFAULT_DIRECTORY_CONCURRENCY = 16
export const DEFAULT_OPERATION_CONCURRENCY = 64
export const DEFAULT_REFILL_RETRIES = 3

// Paths longer than this are re-anchored on an open directory handle
// (/proc/self/fd/N/...), so trees deeper than PATH_MAX (4096) still work.
const ANCHOR_AFTER = 3000
const CAN_ANCHOR = process.platform === 'linux'

/** A counting semaphore: at most `limit` callers hold it at once. */
class Limiter {
  private active = 0
  private readonly waiting: (() => void)[] = []
  constructor(private readonly limit: number) {}

  async acquire(): Promise<void> {
    if (this.active < this.limit) {
      this.active++
      return
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve))
  }

  release(): void {
    const next = this.waiting.shift()
    if (next) next()
    else this.active--
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    await this.acquire()
    try {
      return await fn()
    } finally {
      this.release()
    }
  }
}

/**
 * Counts an inode's blocks once, when its last link goes. A file seen with one
 * link is freed by its unlink; a file with several links is freed only when
 * this run has removed as many links as it had when first seen.
 */
class LinkLedger {
  private readonly linksLeft = new Map<string, number>()

  /** Bytes freed by removing this one link of `stat`. */
  freedBy(stat: Stats): number {
    const bytes = stat.blocks * 512
    if (stat.nlink <= 1 || stat.isDirectory()) {
      if (stat.nlink <= 1) this.linksLeft.delete(`${stat.dev}:${stat.ino}`)
      return bytes
    }
    const key = `${stat.dev}:${stat.ino}`
    const left = (this.linksLeft.get(key) ?? stat.nlink) - 1
    if (left <= 0) {
      this.linksLeft.delete(key)
      return bytes
    }
    this.linksLeft.set(key, left)
    return 0
  }
}

interface Account extends RemovedPath {
  readonly absolute: string
}

interface DirNode {
  readonly kind: 'tree'
  readonly parent: DirNode | undefined
  readonly account: Account
  /** Its name in its parent ('' for a removal root). */
  readonly name: string
  /** Path used to remove this directory itself. */
  readonly ownPath: string
  /** Path prefix for its children: ownPath, or an anchored /proc/self/fd path. */
  childBase: string
  anchor?: FileHandle
  readonly stat: Stats
  /** Children not yet finished, plus one while the directory is being read. */
  pending: number
  /** Something below could not be removed: keep this directory, report only the cause. */
  kept: boolean
  scans: number
}

interface SearchNode {
  readonly kind: 'search'
  readonly search: CacheSearch
  readonly dir: string
  /** Relative to the search root ('' at the root). */
  readonly rel: string
  readonly dev: number
}

type Task = DirNode | SearchNode

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code
}

function describe(error: unknown): string {
  const code = errorCode(error)
  const reasons: Record<string, string> = {
    EPERM: 'operation not permitted (immutable or append-only file?)',
    EACCES: 'permission denied',
    EROFS: 'read-only file system',
    EBUSY: 'busy (a mount point?)',
    ENAMETOOLONG: 'path too long'
  }
  if (code && reasons[code]) return `${code}: ${reasons[code]}`
  return code ?? (error instanceof Error ? error.message : String(error))
}

const vanished = (error: unknown): boolean => errorCode(error) === 'ENOENT'

export class CacheRemover {
  private readonly dryRun: boolean
  private readonly ops: Limiter
  private readonly directoryConcurrency: number
  private readonly refillRetries: number
  private readonly ledger = new LinkLedger()
  private readonly stack: Task[] = []
  private activeTasks = 0
  private readonly accounts: Account[] = []
  private readonly failures: PathFailure[] = []
  private readonly warnings: string[] = []
  private entries = 0
  private bytes = 0
  private idle: (() => void) | undefined

  constructor(
    private readonly plan: RemovalPlan,
    private readonly options: RemovalOptions
  ) {
    this.dryRun = options.dryRun
    this.ops = new Limiter(options.operationConcurrency ?? DEFAULT_OPERATION_CONCURRENCY)
    this.directoryConcurrency = options.directoryConcurrency ?? DEFAULT_DIRECTORY_CONCURRENCY
    this.refillRetries = options.refillRetries ?? DEFAULT_REFILL_RETRIES
  }

  async run(): Promise<RemovalResult> {
    const timer = this.options.onProgress
      ? setInterval(() => this.options.onProgress?.(this.progress()), this.options.progressIntervalMs ?? 2000)
      : undefined
    timer?.unref()
    try {
      const done = new Promise<void>((resolve) => (this.idle = resolve))
      this.activeTasks++ // hold the run open while the roots are queued
      await this.queueRoots()
      this.activeTasks--
      this.pump()
      await done
    } finally {
      if (timer) clearInterval(timer)
    }
    return {
      dryRun: this.dryRun,
      removed: this.accounts
        .filter((account) => account.entries > 0 || account.complete)
        .map(({ owner, path: rel, entries, bytes, complete }) => ({ owner, path: rel, entries, bytes, complete })),
      failures: this.failures,
      warnings: this.warnings,
      entries: this.entries,
      bytes: this.bytes
    }
  }

  progress(): RemovalProgress {
    return { entries: this.entries, bytes: this.bytes }
  }

  private async queueRoots(): Promise<void> {
    for (const search of this.plan.searches) {
      const rootStat = await this.lstat(search.root)
      if (!rootStat) continue
      for (const exact of search.exactPaths) {
        await this.startRemoval(search.target, path.join(search.root, exact), rootStat.dev)
      }
      this.push({ kind: 'search', search, dir: search.root, rel: '', dev: rootStat.dev })
    }
    const appStat = this.plan.extraPaths.length > 0 ? await this.lstat(this.plan.appRoot) : undefined
    for (const extra of this.plan.extraPaths) {
      if (appStat) await this.startRemoval('extra', extra, appStat.dev)
    }
  }

  private push(task: Task): void {
    this.stack.push(task)
    this.pump()
  }

  /** Starts queued tasks up to the directory concurrency; LIFO keeps the walk depth-first and the queue small. */
  private pump(): void {
    while (this.activeTasks < this.directoryConcurrency && this.stack.length > 0) {
      const task = this.stack.pop() as Task
      this.activeTasks++
      const work = task.kind === 'search' ? this.searchDirectory(task) : this.clearDirectory(task)
      work
        .catch((error: unknown) => {
          const where = task.kind === 'search' ? task.dir : this.logicalPath(task)
          this.failures.push({ path: this.relative(where), reason: describe(error) })
        })
        .finally(() => {
          this.activeTasks--
          this.pump()
          if (this.activeTasks === 0 && this.stack.length === 0) this.idle?.()
        })
    }
  }

  private async lstat(p: string): Promise<Stats | undefined> {
    try {
      return await this.ops.run(() => fs.lstat(p))
    } catch (error) {
      if (vanished(error)) return undefined
      throw error
    }
  }

  private relative(absolute: string): string {
    const rel = path.relative(this.plan.appRoot, absolute)
    return rel === '' ? '.' : rel.split(path.sep).join('/')
  }

  private count(account: Account, stat: Stats): void {
    const freed = this.ledger.freedBy(stat)
    account.entries++
    account.bytes += freed
    this.entries++
    this.bytes += freed
  }

  private fail(account: Account, where: string, error: unknown): void {
    account.complete = false
    this.failures.push({ path: this.relative(where), reason: describe(error) })
  }

  /** A cache path found: remove a file or link at once, queue a directory. */
  private async startRemoval(owner: RemovalOwner, absolute: string, expectedDev: number, known?: Stats): Promise<void> {
    let stat: Stats | undefined
    try {
      stat = known ?? (await this.lstat(absolute))
    } catch (error) {
      this.failures.push({ path: this.relative(absolute), reason: describe(error) })
      return
    }
    if (!stat) return // not there: nothing to clear
    const account: Account = { owner, path: this.relative(absolute), absolute, entries: 0, bytes: 0, complete: true }
    if (stat.isDirectory()) {
      if (stat.dev !== expectedDev) {
        this.warnings.push(`${account.path} is on another filesystem (a mount point): skipped.`)
        return
      }
      this.accounts.push(account)
      this.push(this.dirNode(undefined, account, '', absolute, stat))
      return
    }
    this.accounts.push(account)
    await this.unlinkEntry(account, absolute, stat, () => absolute)
  }

  private dirNode(parent: DirNode | undefined, account: Account, name: string, ownPath: string, stat: Stats): DirNode {
    return { kind: 'tree', parent, account, name, ownPath, childBase: ownPath, stat, pending: 1, kept: false, scans: 0 }
  }

  /** Removes one non-directory entry; true when it is gone. `logical` names it in messages. */
  private async unlinkEntry(account: Account, p: string, stat: Stats, logical: () => string): Promise<boolean> {
    if (!this.dryRun) {
      try {
        await this.ops.run(() => fs.unlink(p))
      } catch (error) {
        if (vanished(error)) return true // someone else removed it: not ours to count
        this.fail(account, logical(), error)
        return false
      }
    }
    this.count(account, stat)
    return true
  }

  private async readDirectory(dir: string): Promise<Dirent[] | undefined> {
    try {
      return await this.ops.run(() => fs.readdir(dir, { withFileTypes: true }))
    } catch (error) {
      if (vanished(error)) return undefined
      throw error
    }
  }

  /** Runs `handle` for each entry with at most the operation limit in flight. */
  private async forEachEntry(entries: Dirent[], handle: (entry: Dirent) => Promise<void>): Promise<void> {
    const running = new Set<Promise<void>>()
    for (const entry of entries) {
      const work = handle(entry).finally(() => running.delete(work))
      running.add(work)
      if (running.size >= 8) await Promise.race(running)
    }
    await Promise.all(running)
  }

  private async searchDirectory(node: SearchNode): Promise<void> {
    const { search } = node
    const entries = await this.readDirectory(node.dir)
    if (!entries) return
    await this.forEachEntry(entries, async (entry) => {
      const rel = node.rel === '' ? entry.name : `${node.rel}/${entry.name}`
      if (search.exactPaths.includes(rel)) return // removed as an exact path
      const absolute = path.join(node.dir, entry.name)
      let isDirectory = entry.isDirectory()
      let isLink = entry.isSymbolicLink()
      let known: Stats | undefined
      if (!isDirectory && !isLink && !entry.isFile()) {
        // d_type unknown on this filesystem (or a device, fifo, socket): ask.
        known = await this.lstat(absolute)
        if (!known) return
        isDirectory = known.isDirectory()
        isLink = known.isSymbolicLink()
      }
      if (isDirectory && search.dirNames.has(entry.name)) {
        await this.startRemoval(search.target, absolute, node.dev, known)
      } else if (isDirectory) {
        const stat = known ?? (await this.lstat(absolute))
        if (!stat) return
        if (stat.dev !== node.dev) {
          this.warnings.push(`${this.relative(absolute)} is on another filesystem (a mount point): not searched.`)
          return
        }
        this.push({ kind: 'search', search, dir: absolute, rel, dev: node.dev })
      } else if (
        (isLink && search.dirNames.has(entry.name)) ||
        search.fileSuffixes.some((suffix) => entry.name.endsWith(suffix))
      ) {
        // A cache path that is itself a link is removed as a link.
        await this.startRemoval(search.target, absolute, node.dev, known)
      }
    })
  }

  private async clearDirectory(node: DirNode): Promise<void> {
    node.scans++
    if (CAN_ANCHOR && node.childBase.length > ANCHOR_AFTER && !node.anchor) {
      node.anchor = await this.ops.run(() =>
        fs.open(node.ownPath, fsConstants.O_RDONLY | fsConstants.O_DIRECTORY | fsConstants.O_NOFOLLOW)
      )
      node.childBase = `/proc/self/fd/${node.anchor.fd}`
    }
    let entries: Dirent[] | undefined
    try {
      entries = await this.readDirectory(node.childBase)
    } catch (error) {
      node.kept = true
      this.fail(node.account, this.logicalPath(node), error)
    }
    if (entries) {
      await this.forEachEntry(entries, async (entry) => {
        const child = `${node.childBase}/${entry.name}`
        let stat: Stats | undefined
        try {
          stat = await this.lstat(child)
        } catch (error) {
          node.kept = true
          this.fail(node.account, `${this.logicalPath(node)}/${entry.name}`, error)
          return
        }
        if (!stat) return
        if (stat.isDirectory()) {
          if (stat.dev !== node.stat.dev) {
            node.kept = true
            this.warnings.push(
              `${this.relative(`${this.logicalPath(node)}/${entry.name}`)} is another filesystem mounted inside a cache: skipped.`
            )
            return
          }
          node.pending++
          this.push(this.dirNode(node, node.account, entry.name, child, stat))
          return
        }
        const logical = (): string => `${this.logicalPath(node)}/${entry.name}`
        if (!(await this.unlinkEntry(node.account, child, stat, logical))) node.kept = true
      })
    }
    await this.settle(node)
  }

  /** One piece of `node` is done; when all are, remove it and tell its parent. */
  private async settle(node: DirNode): Promise<void> {
    if (--node.pending > 0) return
    await node.anchor?.close()
    node.anchor = undefined
    node.childBase = node.ownPath
    let gone = !node.kept
    if (gone && !this.dryRun) {
      try {
        await this.ops.run(() => fs.rmdir(node.ownPath))
      } catch (error) {
        const code = errorCode(error)
        if (code === 'ENOENT') {
          return this.settleParent(node, true)
        }
        if (code === 'ENOTEMPTY' || code === 'EEXIST') {
          // Refilled while we cleared it (a build still writing, a second run).
          if (node.scans <= this.refillRetries) {
            node.pending = 1
            this.push(node)
            return
          }
          this.fail(
            node.account,
            this.logicalPath(node),
            new Error(`still not empty after ${node.scans} passes (something keeps writing to it)`)
          )
        } else {
          this.fail(node.account, this.logicalPath(node), error)
        }
        gone = false
      }
    }
    if (gone) this.count(node.account, node.stat)
    await this.settleParent(node, gone)
  }

  private async settleParent(node: DirNode, gone: boolean): Promise<void> {
    const parent = node.parent
    if (!parent) {
      if (!gone) node.account.complete = false
      return
    }
    if (!gone) parent.kept = true
    await this.settle(parent)
  }

  private logicalPath(node: DirNode): string {
    const names: string[] = []
    let current: DirNode | undefined = node
    while (current?.parent) {
      names.push(current.name)
      current = current.parent
    }
    return [node.account.absolute, ...names.reverse()].join('/')
  }
}

/** Clears every path the plan names; see CacheRemover. */
export async function removeCaches(plan: RemovalPlan, options: RemovalOptions): Promise<RemovalResult> {
  return new CacheRemover(plan, options).run()
}
