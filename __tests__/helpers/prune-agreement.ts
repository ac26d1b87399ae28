// What a dry run and the real prune that follows must agree on, shared by the
// real-engine suites (docker.test.ts, containerd-store.test.ts).
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
