// Docker builder-cache pruning through the Engine API. STUB: the interface is
// fixed; the implementation is being written (issue 3).

export interface DockerPruneSettings {
  /** true: all unused build cache (`--all`); false: dangling records only. */
  readonly pruneAll: boolean
  /** Prune filters as `key=value` lines, passed through (`until=24h`). */
  readonly filters: readonly string[]
  /** Keep this many bytes of cache; undefined keeps none. */
  readonly keepStorageBytes?: number
  /** Measure what would be reclaimed from the same API data, prune nothing. */
  readonly dryRun: boolean
}

export interface DockerPruneResult {
  readonly dryRun: boolean
  /** Negotiated Engine API version used, e.g. "1.41". */
  readonly apiVersion: string
  readonly serverVersion: string
  /** Build-cache records removed (or that would be). */
  readonly recordsRemoved: number
  /** Disk really freed: build cache not shared with images, before minus after. */
  readonly reclaimedBytes: number
  /** What Docker claimed (SpaceReclaimed), which counts shared records too. */
  readonly reportedBytes: number
  /** Unshared build-cache bytes before and after the prune. */
  readonly cacheBytesBefore: number
  readonly cacheBytesAfter: number
  /** Build-cache records left afterwards. */
  readonly recordsAfter: number
}

/** The engine could not be reached, or the docker CLI is missing: expected, no stack trace. */
export class DockerUnavailableError extends Error {
  override name = 'DockerUnavailableError'
}

export async function pruneBuildCache(settings: DockerPruneSettings): Promise<DockerPruneResult> {
  void settings
  throw new DockerUnavailableError('not implemented yet')
}
