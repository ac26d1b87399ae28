// A cap on V8's young generation, for the memory goal (peak RSS at most
// 128 MB, 1M entries included).
//
// A long removal keeps objects alive across scavenges (the deletes in flight,
// the walk's frames), and V8 doubles the young generation each time enough
// survived, up to its maximum: 2 × 16 MB semi-spaces on Node 20, 2 × 32 MB on
// Node 24, which the action runs on. On Node 24 the 1M-entry tree on the disk
// peaked at 123 to 141 MB, with the young generation at 64 MB; at 2 × 16 MB, as
// `--max-semi-space-size=16` gives, at 102 MB in the same time. The action
// cannot pass V8 flags (the runner starts `node dist/index.cjs`), and V8 reads
// the maximum only when the heap is made; it reads the growth factor each time
// it grows. So once the young generation reaches Node 20's size, growing stops.
import v8 from 'node:v8'

/** Node 20's young generation at its largest: two semi-spaces of 16 MB. */
export const YOUNG_GENERATION_MAX_BYTES = 32 * 1024 * 1024
// Reading V8's heap spaces costs microseconds: on every entry it took 106 ms of
// a 100k-entry removal's main thread on Node 24, so it is read once in this many.
export const ENTRIES_PER_CHECK = 512

type SpaceStatistics = Pick<v8.HeapSpaceInfo, 'space_name' | 'space_size'>

export class YoungGenerationCap {
  private capped = false
  private sinceCheck = 0

  constructor(
    private readonly readSpaces: () => SpaceStatistics[] = () => v8.getHeapSpaceStatistics(),
    private readonly setFlags: (flags: string) => void = (flags) => v8.setFlagsFromString(flags)
  ) {}

  /** Called for each entry: checks once in ENTRIES_PER_CHECK calls. */
  onEntry(): void {
    if (++this.sinceCheck < ENTRIES_PER_CHECK) return
    this.sinceCheck = 0
    this.check()
  }

  /** Stops the young generation's growth once it is as large as Node 20's. */
  check(): void {
    if (this.capped) return
    const young = this.readSpaces().find((space) => space.space_name === 'new_space')
    if (!young || young.space_size < YOUNG_GENERATION_MAX_BYTES) return
    this.setFlags('--semi-space-growth-factor=1')
    this.capped = true
  }
}
