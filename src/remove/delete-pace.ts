// Where a delete runs: inline (a synchronous unlink/rmdir on the walk's own
// thread) or on libuv's thread pool, decided by how long deletes take here.
//
// On fast storage (tmpfs, an SSD, a warm page cache) an unlink answers in a
// few microseconds, and the pool's hand-off (a futex wake, a callback, a turn
// of the loop) costs several times that: inline is the fastest, and is what
// `rm -rf` does. On a slow disk an unlink waits for the device (ext4 with
// `discard` waits about 0.1-1 ms for each file with data blocks), and many
// deletes in flight on the pool hide that wait. Measured with bench/ on both.
//
// So deletes start inline, each timed; when a good share of a window of them
// is slow, deletes go to the pool, and a delete now and then still runs inline
// as a probe, so that the pace comes back when the slow part of the tree is
// behind (a directory of empty files after one of large ones).

/** A delete slower than this is slow: the pool's hand-off costs about this much. */
export const SLOW_DELETE_MS = 0.05
/** Inline deletes judged together. */
export const INLINE_WINDOW = 32
/** Slow deletes in one inline window that send deletes to the pool. */
export const SLOW_IN_WINDOW = 8
/** On the pool, one delete in this many runs inline, timed, as a probe. */
export const PROBE_EVERY = 256
/** Probes judged together; all fast but at most one, and deletes run inline again. */
export const PROBE_WINDOW = 4

export class DeletePace {
  private inline = true
  private judged = 0
  private slow = 0
  private untilProbe = PROBE_EVERY
  /** Windows of inline deletes judged fast so far. */
  fastWindows = 0

  constructor(private readonly slowMs = SLOW_DELETE_MS) {}

  /** True: run the next delete inline, and report how long it took with `took`. */
  nextInline(): boolean {
    if (this.inline) return true
    if (--this.untilProbe > 0) return false
    this.untilProbe = PROBE_EVERY
    return true
  }

  /** How long an inline delete took (ms), success or not. */
  took(ms: number): void {
    this.judged++
    if (ms > this.slowMs) this.slow++
    if (this.inline) {
      if (this.slow >= SLOW_IN_WINDOW) this.switchTo(false)
      else if (this.judged >= INLINE_WINDOW) {
        this.fastWindows++
        this.switchTo(true)
      }
    } else if (this.judged >= PROBE_WINDOW) {
      this.switchTo(this.slow <= 1)
    }
  }

  /** Deletes run inline now (or on the pool, false). */
  get inlineNow(): boolean {
    return this.inline
  }

  private switchTo(inline: boolean): void {
    this.inline = inline
    this.judged = 0
    this.slow = 0
    this.untilProbe = PROBE_EVERY
  }
}
