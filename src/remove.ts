// The remover: walks the planned roots, finds the caches the rules name,
// measures and deletes them. It counts only what it really removed (or, in a
// dry run, what a real run would), and never follows a symbolic link or
// crosses into another filesystem. It writes no outputs or logs: it returns data.
//
// Names are bytes (bytepath.ts): names and paths are byte keys from the
// listing on, the rules match those, a path handed to the system becomes a
// Buffer just for that call, and text only in what the remover returns.
//
// How it is fast (see bench/): reading metadata (readdir, lstat) costs
// microseconds of CPU on a warm cache, and libuv's thread pool adds more than
// that per call, so the walk reads metadata synchronously, depth-first. Each
// level holds at most one batch of its directory's listing (Listing), so
// memory is bounded by depth, not by how wide a directory is. Deletes run
// inline too while they answer in microseconds (tmpfs, an SSD, a warm cache);
// where they wait on the disk, unlink and rmdir go to the thread pool, up to
// `operationConcurrency` in flight, while the walk goes on (remove/delete-pace.ts).
// A directory is removed when the last of its children is.
import fs, { type Dirent, type Stats } from 'node:fs'
import path from 'node:path'
import { setImmediate as loopTurn } from 'node:timers/promises'
import { byteKey, displayPath, keyBytes, systemPath, textKey, type BytePath } from './bytepath.js'
import type { CacheSearch, RemovalPlan } from './plan.js'
import { DeletePace } from './remove/delete-pace.js'
import { DeleterThread, type DeleteOperation } from './remove/deleter-thread.js'
import { YoungGenerationCap } from './remove/young-generation.js'
import type { FileTarget } from './rules.js'

export type RemovalOwner = FileTarget | 'extra'

/** One cache path (a removal root) and what removing it freed. */
export interface RemovedPath {
  readonly owner: RemovalOwner
  /** Relative to the app root, '/'-separated, shown as displayPath does. */
  readonly path: string
  /** Entries (files, links, directories) removed, the root included. */
  readonly entries: number
  /** Allocated bytes freed (st_blocks × 512), inodes counted once, when their last link goes. */
  readonly bytes: number
  /** The whole path is gone (or would be, in a dry run). */
  readonly complete: boolean
}

export interface PathFailure {
  /** Relative to the app root, shown as displayPath does. */
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
  /** The most unlink/rmdir calls that were in flight at once (bounded by operationConcurrency). */
  readonly peakInFlight: number
}

export interface RemovalOptions {
  readonly dryRun: boolean
  /**
   * unlink/rmdir calls in flight at once on the thread pool. Given, every
   * delete goes to the pool; not given, deletes run inline while they are
   * fast and go to the pool, up to DEFAULT_OPERATION_CONCURRENCY, while they
   * are slow (remove/delete-pace.ts).
   */
  readonly operationConcurrency?: number
  /** Deletes slower than this (ms) count as slow (remove/delete-pace.ts); tests keep all inline with Infinity. */
  readonly slowDeleteMs?: number
  /** How often a directory that refills while being cleared is cleared again. */
  readonly refillRetries?: number
  readonly onProgress?: (progress: RemovalProgress) => void
  readonly progressIntervalMs?: number
  /** Called just before each rmdir (tests refill a directory here, deterministically). */
  readonly beforeRemoveDirectory?: (path: Buffer) => void
  /**
   * Cancels the clear: no delete starts after it fires, those in flight finish
   * and are counted, and every path left unfinished is reported incomplete.
   */
  readonly signal?: AbortSignal
}

// Deletes in flight: enough to keep every pool thread busy (launch.cjs sizes
// the pool, 4 threads per core) and let the walk run ahead of them; each holds
// a path and a closure. In bench/ 128 beat 64; 512 was no faster than 128 and
// peaked about 30 MB higher in RSS (README, Performance).
export const DEFAULT_OPERATION_CONCURRENCY = 128
export const DEFAULT_REFILL_RETRIES = 3
// Let completions and the progress timer run at least this often.
const ENTRIES_PER_TURN = 512
// The search needs no delete slot, so it goes on while the deletes are all
// taken, yielding this often so that their completions are answered promptly,
// until this many cache paths wait for the removal. Waiting with the removal
// left the pool and the disk idle while it crossed a part of the tree with
// nothing to find (a large node_modules: about 100 ms at 100k entries).
const SEARCH_ENTRIES_PER_TURN = 64
export const SEARCH_AHEAD_MAX = 4096

// Paths longer than this are re-anchored on an open directory handle
// (/proc/self/fd/N/...), so trees deeper than PATH_MAX (4096) still work.
const ANCHOR_AFTER = 3000
const CAN_ANCHOR = process.platform === 'linux'

// Root may remove anything; any other user needs write and search permission
// on each directory it clears (see permitClearing).
const USER_ID = process.getuid?.()
/** One for the process: V8's flags are the process's. */
const YOUNG_GENERATION = new YoungGenerationCap()
const ALL_ACCESS = fs.constants.R_OK | fs.constants.W_OK | fs.constants.X_OK

/**
 * What a dry run has counted, so that it counts each entry once, as a real run
 * does (there a second removal of an entry meets ENOENT and counts nothing).
 * Cache paths can overlap: an extra path naming a cache the search finds too,
 * or one inside another; an exact path reached through a link. Directories are
 * known by identity, other removal roots by their directory's identity and name
 * (hardlinks are separate entries).
 */
class DryRunSeen {
  private readonly directories = new Set<string>()
  private readonly fileRoots = new Set<string>()

  /** Marks a directory counted; false when it already was. */
  enterDirectory(stat: Stats): boolean {
    const id = `${stat.dev}:${stat.ino}`
    if (this.directories.has(id)) return false
    this.directories.add(id)
    return true
  }

  isCountedDirectory(stat: Stats): boolean {
    return this.directories.has(`${stat.dev}:${stat.ino}`)
  }

  /** Marks a non-directory removal root (its name as a byte key) counted; false when it already was. */
  enterFileRoot(parent: Stats, name: string): boolean {
    const id = `${parent.dev}:${parent.ino}/${name}`
    if (this.fileRoots.has(id)) return false
    this.fileRoots.add(id)
    return true
  }

  isFileRoot(parent: Stats, name: string): boolean {
    return this.fileRoots.size > 0 && this.fileRoots.has(`${parent.dev}:${parent.ino}/${name}`)
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
      if (stat.nlink <= 1 && this.linksLeft.size > 0) this.linksLeft.delete(`${stat.dev}:${stat.ino}`)
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

interface Account {
  readonly owner: RemovalOwner
  readonly path: string
  readonly absolute: BytePath
  entries: number
  bytes: number
  complete: boolean
}

/** A directory being removed. */
interface DirNode {
  readonly parent: DirNode | undefined
  readonly account: Account
  /** Its name in its parent, as a byte key ('' for a removal root). */
  readonly name: string
  /** Path used to remove this directory itself. */
  readonly ownPath: BytePath
  /** Path prefix for its children: ownPath, or an anchored /proc/self/fd path. */
  childBase: BytePath
  anchorFd?: number
  readonly stat: Stats
  /** Children not yet gone, plus one while the directory is being read. */
  pending: number
  /** Something below could not be removed: keep this directory, report only the cause. */
  kept: boolean
  scans: number
  /** Entries the last pass listed, and how many of those were already gone when visited. */
  listed: number
  vanished: number
}

/** A cache path the search found, queued for removal. */
interface FoundPath {
  readonly owner: RemovalOwner
  readonly absolute: BytePath
  readonly expectedDev: number
  readonly known?: Stats
}

/** An entry whose name is a byte key (bytepath.ts). */
type KeyedDirent = Dirent

// Entries read from a large directory at a time: bounds memory per level of
// the walk whatever a directory holds, and is large enough to cost few calls.
const LISTING_BATCH = 1024
// A directory no larger than this (st_size) is read in one call: opendir costs
// about 10 µs more per directory, which showed in bench/, and such a directory
// holds some thousands of names at most (ext4 and tmpfs use 12 to 20 bytes a
// name). A larger one, or one whose size says nothing (0), is read in batches.
const READ_WHOLE_MAX_BYTES = 256 * 1024

/**
 * A directory's entries: a small directory read whole, a large one in
 * batches as the walk goes (opendir), never its whole listing at once. A
 * directory that fits in one batch is closed at once, so a deep walk holds no
 * handle open per level.
 */
class Listing {
  private batch: KeyedDirent[] = []
  private index = 0
  private dir: fs.Dir | undefined

  /** `size`: the directory's st_size. Throws what readdir or opendir throws. */
  constructor(path: string | Buffer, size: number) {
    if (size > 0 && size <= READ_WHOLE_MAX_BYTES) {
      this.batch = fs.readdirSync(path, { encoding: 'latin1', withFileTypes: true })
      return
    }
    this.dir = fs.opendirSync(path, { encoding: 'latin1', bufferSize: LISTING_BATCH })
    this.refill()
  }

  /** The next entry, or undefined at the end (the directory is closed then). Throws a read error, closed. */
  next(): KeyedDirent | undefined {
    if (this.index >= this.batch.length) this.refill()
    return this.batch[this.index++]
  }

  close(): void {
    const dir = this.dir
    this.dir = undefined
    dir?.closeSync()
  }

  private refill(): void {
    this.batch = []
    this.index = 0
    try {
      while (this.dir && this.batch.length < LISTING_BATCH) {
        const entry = this.dir.readSync()
        if (entry) this.batch.push(entry)
        else this.close()
      }
    } catch (error) {
      this.close()
      throw error
    }
  }
}

/** One level of the depth-first walk: a directory's listing and where we are in it. */
type Frame =
  | { readonly kind: 'tree'; readonly node: DirNode; readonly listing: Listing }
  | {
      readonly kind: 'search'
      readonly search: SearchRules
      readonly dir: BytePath
      /** Byte key of the path relative to the search root ('' at the root). */
      readonly rel: string
      readonly dev: number
      /** Mount points below the search root (relative byte keys), or undefined: then ask lstat for each directory. */
      readonly mounts: ReadonlySet<string> | undefined
      readonly listing: Listing
    }

/** A CacheSearch with its rules as byte keys (bytepath.ts), so they match names byte for byte. */
interface SearchRules {
  readonly target: FileTarget
  readonly root: BytePath
  readonly exactPaths: ReadonlySet<string>
  readonly dirNames: ReadonlySet<string>
  readonly fileSuffixes: readonly string[]
}

function searchRules(search: CacheSearch): SearchRules {
  return {
    target: search.target,
    root: textKey(search.root),
    exactPaths: new Set(search.exactPaths.map(textKey)),
    dirNames: new Set([...search.dirNames].map(textKey)),
    fileSuffixes: search.fileSuffixes.map(textKey)
  }
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code
}

function describe(error: unknown): string {
  const code = errorCode(error)
  const reasons: Record<string, string> = {
    EPERM: "operation not permitted (immutable or append-only, or another user's entry in a sticky directory?)",
    EACCES: 'permission denied',
    EROFS: 'read-only file system',
    EBUSY: 'busy (a mount point?)',
    ENAMETOOLONG: 'path too long'
  }
  if (code && reasons[code]) return `${code}: ${reasons[code]}`
  return code ?? (error instanceof Error ? error.message : String(error))
}

/**
 * Mount points in /proc/self/mountinfo format (field 5, octal escapes such as
 * \\040 decoded), as byte keys: read the table as Latin-1, so each escape
 * decodes to the byte it stands for, like the bytes around it.
 */
export function parseMountInfo(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((field): field is string => field !== undefined && field !== '')
    .map((field) => field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8))))
}

/**
 * Mount points strictly below `root` (resolved), relative to it, as byte
 * keys; undefined where there is no mount table to read (not Linux), and the
 * search then asks lstat for each directory's device instead.
 */
export function mountPointsBelow(root: string | Buffer, mountInfo?: string): Set<string> | undefined {
  let text = mountInfo
  let realRoot: string
  try {
    text ??= fs.readFileSync('/proc/self/mountinfo', 'latin1')
    realRoot = byteKey(fs.realpathSync(root, { encoding: 'buffer' }))
  } catch {
    return undefined
  }
  const prefix = realRoot.endsWith('/') ? realRoot : `${realRoot}/`
  const below = new Set<string>()
  for (const point of parseMountInfo(text)) {
    if (point.startsWith(prefix) && point !== prefix) below.add(point.slice(prefix.length))
  }
  return below
}

/**
 * lstat that answers undefined for a path that is not there: gone (not an
 * error: another run may have removed it), or below a file (ENOTDIR: an exact
 * path such as node_modules/.cache when node_modules is a file).
 */
function lstatOrGone(p: string | Buffer): Stats | undefined {
  try {
    return fs.lstatSync(p, { throwIfNoEntry: false })
  } catch (error) {
    if (errorCode(error) === 'ENOTDIR') return undefined
    throw error
  }
}

export class CacheRemover {
  private readonly dryRun: boolean
  private readonly maxInFlight: number
  private readonly refillRetries: number
  private readonly ledger = new LinkLedger()
  private readonly dryRunSeen = new DryRunSeen()
  private readonly accounts: Account[] = []
  private readonly failures: PathFailure[] = []
  private readonly warnings: string[] = []
  private entries = 0
  private bytes = 0
  /** unlink/rmdir calls not yet answered. */
  private inFlight = 0
  private peakInFlight = 0
  /** Walks running (the main one, and re-reads of directories that refilled). */
  private walks = 0
  /** Cache paths the search found, waiting for the removal walk. */
  private readonly found: (FoundPath | undefined)[] = []
  private foundHead = 0
  private searching = true
  private wakeRemover: (() => void) | undefined
  /** The removal still takes found paths (false once it has returned). */
  private removalRunning = true
  private wakeSearch: (() => void) | undefined
  /** Entries the search visited since it last yielded. */
  private sinceSearchTurn = 0
  /** Entries visited since callbacks last had a turn. */
  private sinceTurn = 0
  /** Walks waiting for a free delete slot. */
  private readonly waitingWalks: (() => void)[] = []
  private wakeDone: (() => void) | undefined
  /** Where deletes run (undefined: always on the pool, as operationConcurrency asks). */
  private readonly blockDeletes: DeletePace | undefined
  private readonly emptyDeletes: DeletePace | undefined
  /** Completions of inline deletes, run in order by the outermost one. */
  private readonly inlineDone: (() => void)[] = []
  private drainingInline = false
  /** Fast deletes of entries holding blocks, beside the walk (started on first use). */
  private readonly deleter = new DeleterThread()

  constructor(
    private readonly plan: RemovalPlan,
    private readonly options: RemovalOptions
  ) {
    this.dryRun = options.dryRun
    this.maxInFlight = options.operationConcurrency ?? DEFAULT_OPERATION_CONCURRENCY
    this.refillRetries = options.refillRetries ?? DEFAULT_REFILL_RETRIES
    if (options.operationConcurrency === undefined) {
      this.blockDeletes = new DeletePace(options.slowDeleteMs)
      this.emptyDeletes = new DeletePace(options.slowDeleteMs)
    }
  }

  async run(): Promise<RemovalResult> {
    const timer = this.options.onProgress
      ? setInterval(() => this.options.onProgress?.(this.progress()), this.options.progressIntervalMs ?? 2000)
      : undefined
    timer?.unref()
    try {
      const done = new Promise<void>((resolve) => (this.wakeDone = resolve))
      await this.trackWalk(() => this.walkRoots())
      await done
    } finally {
      if (timer) clearInterval(timer)
      this.deleter.close()
    }
    return {
      dryRun: this.dryRun,
      removed: this.accounts
        .filter((account) => account.entries > 0 || account.complete)
        .map(({ owner, path: rel, entries, bytes, complete }) => ({ owner, path: rel, entries, bytes, complete })),
      failures: this.failures,
      warnings: this.warnings,
      entries: this.entries,
      bytes: this.bytes,
      peakInFlight: this.peakInFlight
    }
  }

  progress(): RemovalProgress {
    return { entries: this.entries, bytes: this.bytes }
  }

  /**
   * Searching reads metadata on this thread; removing waits for delete slots.
   * They run side by side: the search hands each cache path it finds to the
   * removal walk through a queue, and goes on while the deletes are pending.
   */
  private async walkRoots(): Promise<void> {
    const removing = this.trackWalk(() => this.removeQueued())
    // The exact paths and extra paths go first to the removal queue, then the searches feed it.
    const roots = this.plan.searches.map(searchRules).map((search) => ({ search, stat: this.tryLstat(search.root) }))
    for (const { search, stat } of roots) {
      if (stat) for (const exact of search.exactPaths) this.enqueue(search.target, `${search.root}/${exact}`, stat.dev)
    }
    const appStat = this.plan.extraPaths.length > 0 ? this.tryLstat(textKey(this.plan.appRoot)) : undefined
    for (const extra of this.plan.extraPaths) if (appStat) this.enqueue('extra', byteKey(extra), appStat.dev)
    for (const { search, stat } of roots) {
      if (stat)
        await this.walk(this.searchFrame(search, search.root, '', stat, mountPointsBelow(keyBytes(search.root))))
    }
    this.searching = false
    this.wakeRemover?.()
    await removing
  }

  private enqueue(owner: RemovalOwner, absolute: BytePath, expectedDev: number, known?: Stats): void {
    this.found.push({ owner, absolute, expectedDev, known })
    this.wakeRemover?.()
  }

  /** Removes the cache paths found, one depth-first walk each, until the search is over. */
  private async removeQueued(): Promise<void> {
    try {
      await this.removeFound()
    } finally {
      // A search waiting for the queue to shrink goes on (a cancel ends it at its next entry).
      this.removalRunning = false
      this.wakeSearch?.()
    }
  }

  private async removeFound(): Promise<void> {
    for (;;) {
      // FIFO without Array#shift's O(n) move: drop the consumed head now and then.
      const next = this.found[this.foundHead]
      if (next) this.found[this.foundHead++] = undefined
      if (this.found.length - this.foundHead <= SEARCH_AHEAD_MAX / 2) this.wakeSearch?.()
      if (this.foundHead > 1024 && this.foundHead * 2 > this.found.length) {
        this.found.splice(0, this.foundHead)
        this.foundHead = 0
      }
      if (next) {
        // Wait for a delete slot first: a file or link is unlinked at once, without a walk.
        await this.pace()
        if (this.options.signal?.aborted) return
        await this.walk(this.startRemoval(next.owner, next.absolute, next.expectedDev, next.known))
      } else if (this.searching) {
        await new Promise<void>((resolve) => (this.wakeRemover = resolve))
        this.wakeRemover = undefined
      } else {
        return
      }
    }
  }

  /** Runs a walk, and resolves `done` when no walk and no delete is left. */
  private async trackWalk(walk: () => Promise<void>): Promise<void> {
    this.walks++
    try {
      await walk()
    } finally {
      this.walks--
      this.checkDone()
    }
  }

  private checkDone(): void {
    if (this.walks === 0 && this.inFlight === 0) this.wakeDone?.()
  }

  /** Depth-first from `first`, yielding to completions regularly and whenever the delete queue is full. */
  private async walk(first: Frame | undefined): Promise<void> {
    if (!first) return
    const frames: Frame[] = [first]
    const search = first.kind === 'search'
    while (frames.length > 0) {
      await (search ? this.searchPace() : this.pace())
      if (this.options.signal?.aborted) {
        // Cancelled: what these frames still hold stays, so their paths are not complete.
        for (const left of frames) {
          left.listing.close()
          if (left.kind === 'tree') left.node.account.complete = false
        }
        return
      }
      const frame = frames[frames.length - 1]
      const entry = this.nextEntry(frame)
      if (!entry) {
        frames.pop()
        if (frame.kind === 'tree') this.settle(frame.node)
        continue
      }
      const child =
        frame.kind === 'tree' ? this.visitTreeEntry(frame.node, entry.name) : this.visitSearchEntry(frame, entry)
      if (child) frames.push(child)
    }
  }

  /** The frame's next entry; undefined at its end, or when reading failed (named, and a tree's directory kept). */
  private nextEntry(frame: Frame): KeyedDirent | undefined {
    try {
      return frame.listing.next()
    } catch (error) {
      if (frame.kind === 'search') this.failures.push({ path: this.relative(frame.dir), reason: describe(error) })
      else {
        frame.node.kept = true
        this.fail(frame.node.account, this.logicalPath(frame.node), error)
      }
      return undefined
    }
  }

  /** Before each entry a removal visits: wait while the delete queue is full, and let callbacks run now and then. */
  private async pace(): Promise<void> {
    YOUNG_GENERATION.onEntry()
    if (++this.sinceTurn >= ENTRIES_PER_TURN || this.inFlight >= this.maxInFlight) {
      this.sinceTurn = 0
      await this.nextTurn()
    }
  }

  /**
   * Before each entry the search visits: it needs no delete slot, so it goes
   * on while they are all taken (yielding more often then), and waits only
   * when enough found paths are ahead of the removal.
   */
  private async searchPace(): Promise<void> {
    YOUNG_GENERATION.onEntry()
    if (this.found.length - this.foundHead >= SEARCH_AHEAD_MAX && this.removalRunning) {
      this.sinceSearchTurn = 0
      await new Promise<void>((resolve) => (this.wakeSearch = resolve))
      this.wakeSearch = undefined
      return
    }
    const perTurn = this.inFlight >= this.maxInFlight ? SEARCH_ENTRIES_PER_TURN : ENTRIES_PER_TURN
    if (++this.sinceSearchTurn >= perTurn) {
      this.sinceSearchTurn = 0
      await loopTurn()
    }
  }

  /** Waits for a free delete slot, or at least lets pending callbacks run. */
  private async nextTurn(): Promise<void> {
    if (this.inFlight < this.maxInFlight) return loopTurn()
    // Completions can queue an rmdir of their own, so check again when woken.
    while (this.inFlight >= this.maxInFlight) await new Promise<void>((resolve) => this.waitingWalks.push(resolve))
  }

  /**
   * Runs an unlink or rmdir inline or on the thread pool (DeletePace, one for
   * entries holding blocks and one for those that hold none); `then` gets the
   * error, if any. An inline delete's `then` runs from a queue drained here,
   * not nested in the one before it, so a chain of parents removed one after
   * another (a deep tree) does not grow the stack.
   */
  private queue(
    operation: DeleteOperation,
    p: string | Buffer,
    stat: Stats,
    then: (error: NodeJS.ErrnoException | null) => void
  ): void {
    const pace = stat.blocks > 0 ? this.blockDeletes : this.emptyDeletes
    const inline = pace?.nextInline() ?? false
    // Once a window of deletes of entries holding blocks has been fast, the deleter thread
    // runs them beside the walk (tmpfs, 100k app: 559 against 693 ms inline). Probes, and
    // entries holding no blocks, stay inline; on a slow disk the thread never starts, and
    // its memory (about 12 MB) is not spent.
    if (inline && pace && pace === this.blockDeletes && pace.inlineNow && pace.fastWindows > 0) {
      this.deleteSent()
      this.deleter.delete(operation, p, (ms, error) => {
        pace.took(ms)
        this.deleteAnswered(then, error)
      })
      return
    }
    if (inline && pace) {
      const started = performance.now()
      let error: NodeJS.ErrnoException | null = null
      try {
        if (operation === 'unlink') fs.unlinkSync(p)
        else fs.rmdirSync(p)
      } catch (caught) {
        error = caught as NodeJS.ErrnoException
      }
      pace.took(performance.now() - started)
      if (this.drainingInline) {
        this.inlineDone.push(() => then(error))
        return
      }
      this.drainingInline = true
      try {
        then(error)
        for (let i = 0; i < this.inlineDone.length; i++) this.inlineDone[i]()
      } finally {
        this.inlineDone.length = 0
        this.drainingInline = false
      }
      return
    }
    this.deleteSent()
    fs[operation](p, (error) => this.deleteAnswered(then, error))
  }

  /** A delete left for the pool or the deleter thread: one more in flight. */
  private deleteSent(): void {
    if (++this.inFlight > this.peakInFlight) this.peakInFlight = this.inFlight
  }

  /** A delete in flight was answered, by the pool or the deleter thread. */
  private deleteAnswered(
    then: (error: NodeJS.ErrnoException | null) => void,
    error: NodeJS.ErrnoException | null
  ): void {
    this.inFlight--
    then(error)
    // Waiting walks check again; wake them all so none is left behind.
    if (this.inFlight < this.maxInFlight) for (const wake of this.waitingWalks.splice(0)) wake()
    this.checkDone()
  }

  private tryLstat(p: BytePath): Stats | undefined {
    try {
      return lstatOrGone(systemPath(p))
    } catch (error) {
      this.failures.push({ path: this.relative(p), reason: describe(error) })
      return undefined
    }
  }

  /** A path as reported: relative to the app root, shown as displayPath does. */
  private relative(absolute: BytePath): string {
    // path.relative on byte keys works byte for byte: it only looks at '/' and '.'.
    const rel = path.posix.relative(textKey(this.plan.appRoot), absolute)
    return rel === '' ? '.' : displayPath(keyBytes(rel))
  }

  private count(account: Account, stat: Stats): void {
    const freed = this.ledger.freedBy(stat)
    account.entries++
    account.bytes += freed
    this.entries++
    this.bytes += freed
  }

  private fail(account: Account, where: BytePath, error: unknown): void {
    account.complete = false
    this.failures.push({ path: this.relative(where), reason: describe(error) })
  }

  private searchFrame(
    search: SearchRules,
    dir: BytePath,
    rel: string,
    stat: Stats,
    mounts: ReadonlySet<string> | undefined
  ): Frame | undefined {
    const dev = stat.dev
    let listing: Listing
    try {
      listing = new Listing(systemPath(dir), stat.size)
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') this.failures.push({ path: this.relative(dir), reason: describe(error) })
      return undefined
    }
    return { kind: 'search', search, dir, rel, dev, mounts, listing }
  }

  private visitSearchEntry(frame: Frame & { kind: 'search' }, entry: KeyedDirent): Frame | undefined {
    const { search } = frame
    const name = entry.name
    const rel = frame.rel === '' ? name : `${frame.rel}/${name}`
    if (search.exactPaths.has(rel)) return undefined // removed as an exact path
    const absolute = `${frame.dir}/${name}`
    let isDirectory = entry.isDirectory()
    let isLink = entry.isSymbolicLink()
    let known: Stats | undefined
    if (!isDirectory && !isLink && !entry.isFile()) {
      // d_type unknown on this filesystem (or a device, fifo, socket): ask.
      known = this.tryLstat(absolute)
      if (!known) return undefined
      isDirectory = known.isDirectory()
      isLink = known.isSymbolicLink()
    }
    if (isDirectory && search.dirNames.has(name)) {
      this.enqueue(search.target, absolute, frame.dev, known)
      return undefined
    }
    if (isDirectory) {
      // Its size says how to read it (Listing).
      const stat = known ?? this.tryLstat(absolute)
      if (!stat) return undefined
      // The mount table also knows bind mounts, which keep the device number.
      if (stat.dev !== frame.dev || frame.mounts?.has(rel)) {
        this.warnings.push(`${this.relative(absolute)} is on another filesystem (a mount point): not searched.`)
        return undefined
      }
      return this.searchFrame(search, absolute, rel, stat, frame.mounts)
    }
    if ((isLink && search.dirNames.has(name)) || search.fileSuffixes.some((suffix) => name.endsWith(suffix))) {
      // A cache path that is itself a link is removed as a link.
      this.enqueue(search.target, absolute, frame.dev, known)
      return undefined
    }
    return undefined
  }

  /** A cache path found: remove a file or link at once; a directory becomes a walk frame. */
  private startRemoval(owner: RemovalOwner, absolute: BytePath, expectedDev: number, known?: Stats): Frame | undefined {
    const stat = known ?? this.tryLstat(absolute)
    if (!stat) return undefined // not there: nothing to clear
    const account: Account = { owner, path: this.relative(absolute), absolute, entries: 0, bytes: 0, complete: true }
    if (stat.isDirectory() && stat.dev !== expectedDev) {
      this.warnings.push(`${account.path} is on another filesystem (a mount point): skipped.`)
      return undefined
    }
    if (this.dryRun && !this.isNewDryRunRoot(absolute, stat)) return undefined
    this.accounts.push(account)
    if (stat.isDirectory()) return this.treeFrame(this.dirNode(undefined, account, '', absolute, stat))
    this.removeEntry(undefined, account, systemPath(absolute), stat, () => absolute)
    return undefined
  }

  /** In a dry run: false for a removal root already counted, itself or inside another. */
  private isNewDryRunRoot(absolute: BytePath, stat: Stats): boolean {
    const slash = absolute.lastIndexOf('/')
    const parent = this.tryLstat(absolute.slice(0, slash))
    if (!parent || this.dryRunSeen.isCountedDirectory(parent)) return false
    return stat.isDirectory()
      ? this.dryRunSeen.enterDirectory(stat)
      : this.dryRunSeen.enterFileRoot(parent, absolute.slice(slash + 1))
  }

  private dirNode(
    parent: DirNode | undefined,
    account: Account,
    name: string,
    ownPath: BytePath,
    stat: Stats
  ): DirNode {
    return {
      parent,
      account,
      name,
      ownPath,
      childBase: ownPath,
      stat,
      pending: 1,
      kept: false,
      scans: 0,
      listed: 0,
      vanished: 0
    }
  }

  /** Reads a directory to clear; on failure the directory is kept and named, and settled. */
  private treeFrame(node: DirNode): Frame | undefined {
    node.scans++
    node.listed = 0
    node.vanished = 0
    try {
      if (node.scans === 1) this.permitClearing(node)
      if (CAN_ANCHOR && node.anchorFd === undefined && node.childBase.length > ANCHOR_AFTER) {
        node.anchorFd = fs.openSync(
          systemPath(node.ownPath),
          fs.constants.O_RDONLY | fs.constants.O_DIRECTORY | fs.constants.O_NOFOLLOW
        )
        node.childBase = `/proc/self/fd/${node.anchorFd}`
      }
      return { kind: 'tree', node, listing: new Listing(systemPath(node.childBase), node.stat.size) }
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') {
        node.kept = true
        this.fail(node.account, this.logicalPath(node), error)
      }
      this.settle(node)
      return undefined
    }
  }

  /**
   * Not root: a directory this user owns but may not read or write (a
   * read-only tree, as Go's module cache is) is made writable first, as `go
   * clean -modcache` does; one it does not own and may not clear (what a
   * container build running as root leaves) throws, and is named once rather
   * than entry by entry, and kept whole.
   */
  private permitClearing(node: DirNode): void {
    if (USER_ID === undefined || USER_ID === 0) return
    const { mode, uid } = node.stat
    if (uid === USER_ID) {
      if ((mode & 0o700) !== 0o700 && !this.dryRun) fs.chmodSync(systemPath(node.ownPath), (mode & 0o7777) | 0o700)
      return
    }
    try {
      fs.accessSync(systemPath(node.ownPath), ALL_ACCESS)
    } catch (error) {
      if (errorCode(error) !== 'EACCES') throw error
      const owner = `owned by uid ${uid}, mode ${(mode & 0o7777).toString(8)}`
      throw new Error(`EACCES: permission denied (${owner}: uid ${USER_ID} may not remove what is in it)`)
    }
  }

  private visitTreeEntry(node: DirNode, name: string): Frame | undefined {
    const childPath = `${node.childBase}/${name}`
    // One path for the lstat and the unlink (a Buffer only for a name that is not ASCII).
    const child = systemPath(childPath)
    const logical = (): BytePath => `${this.logicalPath(node)}/${name}`
    node.listed++
    let stat: Stats | undefined
    try {
      stat = lstatOrGone(child)
    } catch (error) {
      node.kept = true
      this.fail(node.account, logical(), error)
      return undefined
    }
    if (!stat) {
      node.vanished++
      return undefined
    }
    if (!stat.isDirectory()) {
      if (this.dryRun && this.dryRunSeen.isFileRoot(node.stat, name)) return undefined // counted as its own root
      this.removeEntry(node, node.account, child, stat, logical)
      return undefined
    }
    if (stat.dev !== node.stat.dev) {
      node.kept = true
      this.warnings.push(`${this.relative(logical())} is another filesystem mounted inside a cache: skipped.`)
      return undefined
    }
    if (this.dryRun && !this.dryRunSeen.enterDirectory(stat)) return undefined // counted as its own root
    node.pending++
    return this.treeFrame(this.dirNode(node, node.account, name, childPath, stat))
  }

  /** Unlinks one non-directory entry (in a dry run, only counts it). */
  private removeEntry(
    parent: DirNode | undefined,
    account: Account,
    p: string | Buffer,
    stat: Stats,
    logical: () => BytePath
  ): void {
    if (this.dryRun) {
      this.count(account, stat)
      return
    }
    if (this.options.signal?.aborted) {
      account.complete = false
      return
    }
    if (parent) parent.pending++
    this.queue('unlink', p, stat, (error) => {
      if (!error) this.count(account, stat)
      else if (error.code === 'ENOENT') {
        if (parent) parent.vanished++
      } else {
        // ENOENT: someone else removed it; not ours to count, not an error.
        if (parent) parent.kept = true
        this.fail(account, logical(), error)
      }
      if (parent) this.settle(parent)
    })
  }

  /** One piece of `node` is done; when all are, remove it and tell its parent. */
  private settle(node: DirNode): void {
    if (--node.pending > 0) return
    if (node.anchorFd !== undefined) {
      fs.closeSync(node.anchorFd)
      node.anchorFd = undefined
      node.childBase = node.ownPath
    }
    if (node.kept) return this.settleParent(node, false)
    if (this.dryRun) {
      this.count(node.account, node.stat)
      return this.settleParent(node, true)
    }
    if (this.options.signal?.aborted) {
      node.account.complete = false
      return
    }
    this.options.beforeRemoveDirectory?.(keyBytes(node.ownPath))
    this.queue('rmdir', systemPath(node.ownPath), node.stat, (error) => {
      if (!error) {
        this.count(node.account, node.stat)
        return this.settleParent(node, true)
      }
      if (error.code === 'ENOENT') return this.settleParent(node, true)
      if ((error.code === 'ENOTEMPTY' || error.code === 'EEXIST') && node.scans <= this.refillRetries) {
        // Refilled while we cleared it (a build still writing): read it again.
        node.pending = 1
        void this.trackWalk(() => this.walk(this.treeFrame(node)))
        return
      }
      const reason = error.code === 'ENOTEMPTY' || error.code === 'EEXIST' ? new Error(this.stillNotEmpty(node)) : error
      this.fail(node.account, this.logicalPath(node), reason)
      this.settleParent(node, false)
    })
  }

  /** Why a directory is still not empty after its last pass: blame a writer only when one was seen. */
  private stillNotEmpty(node: DirNode): string {
    const passes = `still not empty after ${node.scans} passes`
    if (node.listed > node.vanished) return `${passes} (something keeps writing to it)`
    if (node.listed > 0) return `${passes} (its last pass listed ${node.listed} entries that were gone by name)`
    return `${passes} (its last pass listed no entries)`
  }

  private settleParent(node: DirNode, gone: boolean): void {
    const parent = node.parent
    if (!parent) {
      if (!gone) node.account.complete = false
      return
    }
    if (!gone) parent.kept = true
    this.settle(parent)
  }

  private logicalPath(node: DirNode): BytePath {
    const names: string[] = []
    for (let current: DirNode | undefined = node; current?.parent; current = current.parent) names.push(current.name)
    return [node.account.absolute, ...names.reverse()].join('/')
  }
}

/** Clears every path the plan names; see CacheRemover. */
export async function removeCaches(plan: RemovalPlan, options: RemovalOptions): Promise<RemovalResult> {
  return new CacheRemover(plan, options).run()
}
