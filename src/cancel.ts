// Cancellation for both front doors. When a job is cancelled the runner sends
// SIGINT, then SIGTERM about 7.5 s later; Ctrl-C sends SIGINT. The first
// signal aborts the run (deletes in flight finish, no new one starts); the
// handlers stay installed, so a later signal cannot kill the process while it
// writes the outputs and summary of what was really freed.

/** An AbortSignal fired by the first SIGINT or SIGTERM this process receives. */
export function abortOnSignals(): AbortSignal {
  const controller = new AbortController()
  const abort = (): void => controller.abort()
  process.on('SIGINT', abort)
  process.on('SIGTERM', abort)
  return controller.signal
}
