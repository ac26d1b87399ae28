// The machine the job runs on: each exec is a child process started from its
// argv, without a shell.
import module from 'node:module'
import type { Host, HostExit, HostProcess } from './host.js'

// child_process (which loads net and dgram) is required on the first exec, not
// with this module: a run that only clears files never starts a command.
// (Called through the module object: webpack would take a bare createRequire for its own and drop it.)
const nodeRequire = module.createRequire(import.meta.url)

export class LocalHost implements Host {
  readonly name = 'local'
  readonly remote = false

  /** `env` is the environment every command starts with (default process.env); PATH in it finds the command. */
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  exec(argv: readonly string[], options: { readonly env?: Readonly<Record<string, string>> } = {}): HostProcess {
    if (argv.length === 0) throw new Error('no command to run')
    const { spawn } = nodeRequire('node:child_process') as typeof import('node:child_process')
    const child = spawn(argv[0], argv.slice(1), {
      env: { ...this.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe']
    })
    // EPIPE when the command exits before reading all of its input: the exit is what counts.
    child.stdin.on('error', () => undefined)
    const exit = new Promise<HostExit & { readonly error?: Error }>((resolve) => {
      child.once('error', (error) => resolve({ code: null, signal: null, error }))
      child.once('close', (code, signal) => resolve({ code, signal }))
    })
    return {
      stdin: child.stdin,
      stdout: child.stdout,
      stderr: child.stderr,
      exit,
      kill: () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      }
    }
  }

  async close(): Promise<void> {}
}
