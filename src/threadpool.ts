// Imported first by the entry points. Deleting is I/O-bound and every fs call
// runs on libuv's thread pool (4 threads by default); more threads keep more
// unlinks in flight. libuv reads this once, when the pool first starts, so it
// must be set before any asynchronous fs call. A value the user set wins.
process.env.UV_THREADPOOL_SIZE ??= '16'
