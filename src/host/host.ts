// Where commands run: the machine the job runs on (LocalHost: spawn) or a host
// reached over one SSH connection (SshHost: one exec channel per command).
// Docker (`docker system dial-stdio`) and the remote file engine ask a Host for
// a process with stdio and never learn which kind they got.
//
// Never pass user input in `argv`: over SSH the words are joined into one line
// that the remote shell parses. Only constant words go there (SshHost refuses
// any word that is not plain: letters, digits, `_ @ % + = : , . / -`);
// everything a user chose travels as data on stdin.
import type { Readable, Writable } from 'node:stream'

export interface HostExit {
  /** Exit status, or null when killed by a signal (or the connection dropped). */
  readonly code: number | null
  readonly signal: string | null
}

export interface HostProcess {
  readonly stdin: Writable
  readonly stdout: Readable
  readonly stderr: Readable
  /** Settles once the command has ended; never rejects (a failure to start is code null with `error`). */
  readonly exit: Promise<HostExit & { readonly error?: Error }>
  /** Ends the command (SIGTERM locally; closes the channel over SSH). */
  kill(): void
}

export interface Host {
  /** For logs and the summary: "local", or "deploy@example.com:22". */
  readonly name: string
  /** true for a host reached over SSH. */
  readonly remote: boolean
  /** The jump hosts crossed to reach it ("bastion.example.com:22"), for the log and the summary; none locally. */
  readonly route?: readonly string[]
  /** Why the connection ended before close() was called; undefined while it is up, and always locally. */
  readonly connectionLost?: string
  /** Starts `argv` on the host (see the warning above about user input). */
  exec(argv: readonly string[], options?: { readonly env?: Readonly<Record<string, string>> }): HostProcess
  /** Releases the host (closes the SSH connection); idempotent. */
  close(): Promise<void>
}

/**
 * A word SshHost sends as it is: letters, digits and `_ @ % + = : , . / -`.
 * Callers test a path they must put on a command line with isPlainPath.
 */
export const PLAIN_WORD = /^[\w@%+=:,./-]+$/

/** An absolute path made of plain words only: safe on a command line, locally and over SSH. */
export function isPlainPath(path: string): boolean {
  return path.startsWith('/') && PLAIN_WORD.test(path)
}

/** How a command ended: its exit status, all of its stdout, and the end of its stderr (or why it did not run). */
export interface CommandOutput {
  readonly code: number | null
  readonly stdout: Buffer
  readonly stderr: string
}

/** Runs `argv` on `host` to its end, `input` on its stdin. */
export async function runToEnd(host: Host, argv: readonly string[], input?: string): Promise<CommandOutput> {
  const child = host.exec(argv)
  const chunks: Buffer[] = []
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk))
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-4096)))
  child.stdin.end(input)
  const exit = await child.exit
  return { code: exit.code, stdout: Buffer.concat(chunks), stderr: exit.error ? exit.error.message : stderr }
}
