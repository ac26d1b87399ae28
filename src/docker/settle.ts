// containerd's garbage collector removes what a prune released a moment after
// the prune has answered (seen: a 6 MiB layer gone ~a second later), so the
// disk is read again until it stops changing.

/** Reads until two reads 500 ms apart have the same key, for at most ~10 s; an undefined read is final. */
export async function readUntilSettled<T>(read: () => Promise<T>, key: (value: T) => unknown): Promise<T> {
  let last = await read()
  for (let tries = 0; tries < 20 && last !== undefined; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 500))
    const next = await read()
    if (key(next) === key(last)) return next
    last = next
  }
  return last
}
