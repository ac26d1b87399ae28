// The file half of a clear as a remote host runs it (dist/remote.cjs, CommonJS,
// evaluated by the bootstrap in src/remote/protocol.ts): settings JSON in,
// RemoteMessage lines out on stdout. It holds files.ts and what it imports,
// nothing else: no @actions/*, no HTTP, no SSH.
import { abortOnSignals } from './cancel.js'
import { clearFiles } from './files.js'
import type { FileSettings } from './inputs.js'
import type { RemoteMessage } from './remote/protocol.js'

function send(message: RemoteMessage): void {
  process.stdout.write(`${JSON.stringify(message)}\n`)
}

/** Clears the files `settingsJson` names and sends the FileWork, or the error, as data. */
export async function serve(settingsJson: string): Promise<void> {
  // Stopped as a run on the runner is: the first SIGINT or SIGTERM lets the
  // deletes in flight finish, starts no other, and the FileWork says what went.
  const signal = abortOnSignals()
  send({ stoppable: { pid: process.pid } })
  try {
    const settings = JSON.parse(settingsJson) as FileSettings
    send({ work: await clearFiles(settings, { onProgress: (progress) => send({ progress }), signal }) })
  } catch (error) {
    const { name, message } = error instanceof Error ? error : new Error(String(error))
    send({ error: { name, message } })
  }
}
