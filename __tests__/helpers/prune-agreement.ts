// What a dry run and the real prune that follows must agree on, shared by the
// real-engine suites (docker.test.ts, containerd-store.test.ts).
import { expect } from '@jest/globals'
import type { DockerPruneResult } from '../../src/docker/prune.js'

const MiB = 1024 * 1024

/** The records removed, Docker's claim, and the cache left, as the dry run predicts them and the real run reports them. */
export function agreement(result: DockerPruneResult) {
  return {
    removed: [...result.removedIds].sort(),
    reportedBytes: result.reportedBytes,
    cacheBytesAfter: result.cacheBytesAfter,
    recordsAfter: result.recordsAfter
  }
}

/** Within 1% of `truth`, or 1 MiB for small figures: the issues' bound for bytes. */
export const within = (actual: number, truth: number): boolean =>
  Math.abs(actual - truth) <= Math.max(truth * 0.01, MiB)

/**
 * The dry run names the records the real run removes, Docker's claim and the records left, exactly. The cache
 * left too, exactly on a graph driver; on the containerd store within the bytes' bound, since BuildKit sizes a
 * kept record from its snapshot's usage again after the collector ran (seen: 16 kB of 40 MB).
 */
export function expectAgreement(dry: DockerPruneResult, real: DockerPruneResult): void {
  const { cacheBytesAfter: dryLeft, ...dryRest } = agreement(dry)
  const { cacheBytesAfter: realLeft, ...realRest } = agreement(real)
  expect(dryRest).toEqual(realRest)
  if (real.store === 'containerd')
    expect({ dryLeft, close: within(dryLeft, realLeft) }).toEqual({ dryLeft, close: true })
  else expect(dryLeft).toBe(realLeft)
}
