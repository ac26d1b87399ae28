// containerd's garbage collector removes what a prune released a moment after
// the prune has answered: its scheduler collects a deletion at the next
// scheduled run, which comes 49 times its average collection time after the
// last (plugins/gc/scheduler.go, pause_threshold 0.02): about a second here,
// more on a large, busy store. So the disk is read again until it stops
// changing and, where the caller knows something must go, until something
// has gone.

/** The pause between two reads. */
export const SETTLE_PAUSE_MS = 500
/** The most reads after the first: ~10 s of change. */
export const SETTLE_TRIES = 20
/** Waiting for the collector: at most ~30 s, or ~5 s of no change at all when nothing of ours was to go. */
export const COLLECTOR_TRIES = 60
export const COLLECTOR_QUIET_READS = 10

/**
 * Reads until two reads `pauseMs` apart have the same key and `ready` holds
 * for the read, or until `quietReads` reads in a row have not changed, at
 * most `tries` more; an undefined read is final.
 */
export async function readUntilSettled<T>(
  read: () => Promise<T>,
  key: (value: T) => unknown,
  {
    ready = () => true,
    tries = SETTLE_TRIES,
    quietReads = tries,
    pauseMs = SETTLE_PAUSE_MS
  }: { ready?: (value: T) => boolean; tries?: number; quietReads?: number; pauseMs?: number } = {}
): Promise<T> {
  let last = await read()
  let lastKey = last === undefined ? undefined : key(last)
  let unchanged = 0
  for (let n = 0; n < tries && last !== undefined; n++) {
    if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs))
    const next = await read()
    // Each read keyed once (a key may hash megabytes: copies of containerd's databases).
    const nextKey = next === undefined ? undefined : key(next)
    unchanged = nextKey === lastKey ? unchanged + 1 : 0
    if (unchanged > 0 && (ready(next) || unchanged >= quietReads)) return next
    last = next
    lastKey = nextKey
  }
  return last
}
