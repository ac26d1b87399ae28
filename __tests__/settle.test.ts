// readUntilSettled: the loop that waits out containerd's collector. Real
// timers, so each case takes a few of SETTLE_PAUSE_MS.
import { describe, expect, jest, test } from '@jest/globals'
import { readUntilSettled, SETTLE_PAUSE_MS } from '../src/docker/settle.js'

/** A read that returns `values` in turn, then the last for ever. */
function reads<T>(values: T[]): { read: () => Promise<T>; count: () => number } {
  let n = 0
  return { read: async () => values[Math.min(n++, values.length - 1)], count: () => n }
}

describe('readUntilSettled', () => {
  test('returns once two reads agree', async () => {
    const { read, count } = reads([3, 2, 1, 1])
    expect(await readUntilSettled(read, (v) => v)).toBe(1)
    expect(count()).toBe(4)
  })

  test('waits past agreeing reads until ready holds (the collector has not started yet)', async () => {
    const { read, count } = reads([5, 5, 5, 5, 4, 4])
    expect(await readUntilSettled(read, (v) => v, { ready: (v) => v < 5, tries: 10, quietReads: 8 })).toBe(4)
    expect(count()).toBe(6)
  })

  test('gives up waiting for ready after quietReads unchanged reads', async () => {
    const { read, count } = reads([5])
    expect(await readUntilSettled(read, (v) => v, { ready: () => false, tries: 10, quietReads: 3 })).toBe(5)
    expect(count()).toBe(4)
  })

  test('stops after `tries` reads however the values move', async () => {
    let n = 0
    const started = Date.now()
    expect(
      await readUntilSettled(
        async () => n++,
        (v) => v,
        { tries: 3 }
      )
    ).toBe(3)
    expect(Date.now() - started).toBeGreaterThanOrEqual(3 * SETTLE_PAUSE_MS - 50)
  })

  test('an undefined read is final', async () => {
    const { read, count } = reads([1, undefined, 2])
    expect(await readUntilSettled(read, (v) => v)).toBeUndefined()
    expect(count()).toBe(2)
  })

  test('pauseMs: 0 reads back to back (copies of a file that must agree)', async () => {
    const { read, count } = reads(['torn', 'whole', 'whole'])
    const timers = jest.spyOn(globalThis, 'setTimeout')
    try {
      expect(await readUntilSettled(read, (v) => v, { tries: 5, pauseMs: 0 })).toBe('whole')
      expect(timers).not.toHaveBeenCalled()
    } finally {
      timers.mockRestore()
    }
    expect(count()).toBe(3)
  })
})
