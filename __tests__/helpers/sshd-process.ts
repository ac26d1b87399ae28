// One throwaway sshd process, as both sshd fixtures start it: in the
// foreground (-D) with its own config, logging to a file in its own directory,
// ready once it accepts TCP connections on loopback (or, inside a network
// namespace, once it logs that it listens).
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { canConnect } from './loopback.js'

export interface SshdProcess {
  /** The listening sshd; each connection is served by a child of it. */
  readonly pid: number
  /** The sshd log so far. */
  log(): string
  /** Stops sshd and removes its directory. */
  stop(): Promise<void>
}

function exited(child: ChildProcess, ms: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
  })
}

export interface SshdProcessOptions {
  /** Run it in this network namespace (`ip netns exec NAME sshd …`). */
  readonly netns?: string
}

/**
 * Starts `sshd -D -e -f CONFIG ARGS…` and waits (10 s at most) until
 * 127.0.0.1:port answers, or in a namespace until it logs "Server listening".
 */
export async function startSshdProcess(
  sshd: string,
  dir: string,
  config: string,
  port: number,
  args: readonly string[] = [],
  options: SshdProcessOptions = {}
): Promise<SshdProcess> {
  mkdirSync('/run/sshd', { recursive: true }) // privilege separation directory
  const logFile = path.join(dir, 'sshd.log')
  // -e: sshd logs to stderr, which goes to the log file.
  const logFd = openSync(logFile, 'a')
  const argv = [sshd, '-D', '-e', '-f', config, ...args]
  // `ip netns exec` execs sshd itself: the child's pid is sshd's.
  const [command, ...rest] = options.netns ? ['ip', 'netns', 'exec', options.netns, ...argv] : argv
  const child = spawn(command, rest, { stdio: ['ignore', logFd, logFd] })
  const log = (): string => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '')
  const ready = async (): Promise<boolean> =>
    options.netns ? /Server listening on/.test(log()) : await canConnect(port)
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      await exited(child, 5000)
    }
    rmSync(dir, { recursive: true, force: true })
  }
  const deadline = Date.now() + 10_000
  while (!(await ready())) {
    if (child.exitCode !== null || Date.now() > deadline) {
      const tail = log().trim().split('\n').slice(-3).join(' / ')
      await stop()
      throw new Error(`sshd did not start: ${tail}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return { pid: child.pid ?? -1, log, stop }
}
