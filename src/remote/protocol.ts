// What the runner and the remote file engine (src/remote-entry.ts, bundled as
// dist/remote.cjs) say to each other. The command line on the host is
// constant (`node -`): no word a user chose is ever on it. The program node
// reads from stdin (or, in a container, from a file) is REMOTE_BOOTSTRAP
// called with two JSON string literals: the engine's script and the settings.
// JSON.stringify writes them, and JavaScript reads a JSON string exactly as
// JSON does, so they arrive as data, never as code. The engine answers with
// JSON lines on stdout (RemoteMessage).
//
// Stopping: `node -` runs its program only once stdin has ended, so stdin
// cannot carry a later stop line, and ssh2 sends no channel signal once a
// channel's input has ended. So the engine is stopped as a local run is, by
// SIGINT: it says it can be (`stoppable`, with its pid) before it deletes
// anything, and the runner then sends `kill -INT PID` on a second channel
// (STOP_COMMAND), or POST /containers/{id}/kill?signal=SIGINT to a container.
import type { FileWork } from '../files.js'
import type { FileSettings } from '../inputs.js'
import type { RemovalProgress } from '../remove.js'

/**
 * The oldest node a host may run the engine with. The engine is the remover
 * alone (fs and path; no Octokit, no SSH), and the suite runs it on Node 20:
 * a host's own Node 20 still serves, though past its end of life, whatever
 * the CLI asks of the machine it starts on. A host with an older node (Debian
 * 12's and Ubuntu 24.04's own nodejs are 18) is cleared through the
 * container (remote-node-image) instead.
 */
export const MIN_NODE_MAJOR = 20

export type RemoteMessage =
  /** Sent first: from now on SIGINT or SIGTERM to `pid` (on the host, or in its container) stops the clear. */
  | { readonly stoppable: { readonly pid: number } }
  | { readonly progress: RemovalProgress }
  | { readonly work: FileWork }
  | { readonly error: { readonly name: string; readonly message: string } }
  /** The node that ran the program is older than MIN_NODE_MAJOR: its process.version. */
  | { readonly nodeTooOld: string }

// Plain old JavaScript, so that a node too old for the engine still parses it
// and says so (the engine's own code is only a string until then). It sizes
// libuv's thread pool before anything starts it, as src/launch.cjs does, then
// evaluates the engine as a CommonJS module and calls its serve(settingsJson).
const REMOTE_BOOTSTRAP = `(function (script, settingsJson) {
  if (+process.versions.node.split('.')[0] < ${MIN_NODE_MAJOR}) {
    process.stdout.write(JSON.stringify({ nodeTooOld: process.version }) + '\\n')
    return
  }
  var os = require('os')
  process.env.UV_THREADPOOL_SIZE = process.env.UV_THREADPOOL_SIZE || String(Math.min(64, 4 * os.availableParallelism()))
  var engine = { exports: {} }
  // No file behind it: the bundle has no assets to find (scripts/bundle-remote.mjs checks).
  new Function('module', 'exports', 'require', '__filename', '__dirname', script)(engine, engine.exports, require, '/remote.cjs', '/')
  engine.exports.serve(settingsJson)
})`

/** The signal that stops the engine (src/cancel.ts handles it as a local run does). */
export const STOP_SIGNAL = 'SIGINT'

/** The command line that stops the engine whose `stoppable` message named `pid`: plain words only. */
export function stopCommand(pid: number): string[] {
  if (!Number.isSafeInteger(pid) || pid <= 1) throw new Error(`not a process id: ${String(pid)}`)
  return ['kill', `-${STOP_SIGNAL.slice(3)}`, String(pid)]
}

/**
 * What the engine is asked to do: the file settings, and `cancelled` when the
 * run was cancelled before the engine started (it then plans, deletes
 * nothing, and reports what it found, as a local run does).
 */
export interface RemoteRequest extends FileSettings {
  readonly cancelled?: true
}

/** The program for `node -` (or a file node runs): the bootstrap applied to the engine and the request. */
export function remoteProgram(script: string, settings: RemoteRequest): string {
  return `${REMOTE_BOOTSTRAP}(${JSON.stringify(script)}, ${JSON.stringify(JSON.stringify(settings))})\n`
}
