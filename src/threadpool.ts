// Imported first by the entry points. Deleting waits on the disk, and every
// unlink/rmdir runs on libuv's thread pool (4 threads by default), so more
// threads keep more deletes in flight. Measured with bench/ on 2 cores: 8
// threads beat 4 (ratio to the shell 0.50) and 16 (0.51) with 0.40; more
// threads than that cost more CPU in switches than the waits they hide, so 4
// per core. libuv reads this once, when the pool first starts: it must be set
// before any asynchronous fs call. A value the user set wins.
import { availableParallelism } from 'node:os'

process.env.UV_THREADPOOL_SIZE ??= String(Math.min(64, 4 * availableParallelism()))
