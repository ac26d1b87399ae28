// The file half of a clear as a remote host runs it (dist/remote.cjs, CommonJS,
// evaluated by the bootstrap in src/remote/protocol.ts): settings JSON in,
// RemoteMessage lines out on stdout. It holds files.ts and what it imports,
// nothing else: no @actions/*, no HTTP, no SSH.
import { abortOnSignals } from './cancel.js'
import { clearFiles } from './files.js'
import type { RemoteMessage, RemoteRequest } from './remote/protocol.js'

function send(message: RemoteMessage): void {
  process.stdout.write(`${JSON.stringify(message)}\n`)
}

/** Clears the files `settingsJson` names and sends the FileWork, or the error, as data. */
export async function serve(settingsJson: string): Promise<void> {
  // Stopped as a run on the runner is: the first SIGINT or SIGTERM lets the
  // deletes in flight finish, starts no other, and the FileWork says what went.
  const signals = abortOnSignals()
  send({ stoppable: { pid: process.pid } })
  try {
    const { cancelled, ...settings } = JSON.parse(settingsJson) as RemoteRequest
    // Cancelled before we started: the runner's stop may still come, and the handlers above keep it from killing us.
    const signal = cancelled ? AbortSignal.abort() : signals
    send({ work: await clearFiles(settings, { onProgress: (progress) => send({ progress }), signal }) })
  } catch (error) {
    const { name, message } = error instanceof Error ? error : new Error(String(error))
    send({ error: { name, message } })
  }
}
