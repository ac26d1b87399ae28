// The entry the runner starts (dist/index.cjs, named in action.yml) and the
// CLI's (dist/cli.cjs); scripts/bundle.sh copies this file to both. Both load
// the one bundle, dist/index.js, which picks the front door (src/index.ts).
//
// Deleting waits on the disk, and every unlink/rmdir runs on libuv's thread
// pool (4 threads by default), so more threads keep more deletes in flight.
// Measured with bench/ on 2 cores: 8 threads beat 4 and 16 (ratio to the old
// shell commands 0.40 against 0.50); beyond that, thread switches cost more
// CPU than the waits they hide, so 4 per core. libuv sizes the pool when it
// first starts, and Node's ES module loader starts it while loading a module,
// so the size must be set before the bundle loads, and the bundle must not
// be an ES module (setting it inside one has no effect). A value the user
// set wins.
'use strict'
const { availableParallelism } = require('node:os')

process.env.UV_THREADPOOL_SIZE ??= String(Math.min(64, 4 * availableParallelism()))
require('./index.js')
