// The file half of a clear on another host: the same engine (src/files.ts,
// bundled as dist/remote.cjs) runs there and sends its FileWork back as data,
// so the report cannot tell where it ran. With the host's node when it is 20
// or newer; otherwise in a throwaway container through the host's Docker
// engine (docker/container.ts); with neither, the step fails naming both ways.
import { createInterface } from 'node:readline'
import { formatBytes } from '../bytes.js'
import { BindSourceMissingError, ContainerError, runInContainer, type ContainerRun } from '../docker/container.js'
import { openEngine, type EngineClient } from '../docker/engine.js'
import type { FileHooks, FileWork } from '../files.js'
import type { Host, HostProcess } from '../host/host.js'
import { DEFAULT_REMOTE_NODE_IMAGE, fileSettings, type Settings } from '../inputs.js'
import { PlanError, rootNotADirectory } from '../plan.js'
import type { RemovalProgress } from '../remove.js'
import { MIN_NODE_MAJOR, remoteProgram, STOP_SIGNAL, stopCommand, type RemoteMessage } from './protocol.js'
import { readRemoteScript } from './script.js'

/** How a command on the host ended, with its output. */
interface Finished {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
  /** Set when the command could not start or its connection dropped. */
  readonly error?: NodeJS.ErrnoException
}

async function finish(command: HostProcess, onStdoutLine?: (line: string) => void): Promise<Finished> {
  let stdout = ''
  let stderr = ''
  const lines = createInterface({ input: command.stdout, crlfDelay: Infinity })
  lines.on('line', (line) => {
    stdout += `${line}\n`
    onStdoutLine?.(line)
  })
  const stdoutEnded = new Promise<void>((resolve) => lines.once('close', resolve))
  command.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-4096)))
  const exit = await command.exit
  // A normal exit ends stdout too; after a dropped connection it may never end.
  if (exit.code !== null) await stdoutEnded
  return { code: exit.code, stdout, stderr, error: exit.error }
}

/** The last non-empty line of a command's stderr, for a one-line error. */
function lastLine(text: string): string {
  const line = text.trim().split('\n').pop()?.trim() ?? ''
  return line.length > 300 ? `${line.slice(0, 300)}…` : line
}

type NodeOnHost = { readonly usable: true } | { readonly usable: false; readonly reason: string }

/** `node --version` on the host: usable when it answers 20 or newer. */
async function probeNode(host: Host): Promise<NodeOnHost> {
  const { code, stdout, stderr, error } = await finish(host.exec(['node', '--version']))
  // Locally a missing command fails to spawn (ENOENT); over SSH the shell answers 127.
  if (error?.code === 'ENOENT' || code === 127) return { usable: false, reason: 'it has no node on its PATH' }
  if (error) throw error
  // A line of its own: a shell startup file may print before it.
  const version = /^v\d+\.\d+\.\d+\S*$/m.exec(stdout)?.[0]
  if (code !== 0 || version === undefined)
    return {
      usable: false,
      reason: `its node did not answer --version (${lastLine(stderr) || `exit ${String(code)}`})`
    }
  if (Number(version.slice(1).split('.')[0]) < MIN_NODE_MAJOR)
    return { usable: false, reason: `its node is ${version}, older than ${MIN_NODE_MAJOR}` }
  return { usable: true }
}

/** Reads the engine's messages: progress as it comes, then the one that ends it. */
class MessageReader {
  private last: RemoteMessage | undefined
  private progress: RemovalProgress | undefined

  /** `onStoppable`: the engine's pid, once it stops on SIGINT. */
  constructor(
    private readonly hooks: FileHooks,
    private readonly onStoppable?: (pid: number) => void
  ) {}

  read(line: string): void {
    let message: RemoteMessage
    try {
      message = JSON.parse(line) as RemoteMessage
    } catch {
      return // not ours (a warning some node printed); stderr explains failures
    }
    if (typeof message !== 'object' || message === null) return // a bare number or string: not ours either
    if ('stoppable' in message) this.onStoppable?.(message.stoppable.pid)
    else if ('progress' in message) {
      this.progress = message.progress
      this.hooks.onProgress?.(message.progress)
    } else this.last = message
  }

  /** The FileWork, or the error that explains why there is none. */
  settle(finished: Finished, where: string, nodeHint: string): FileWork {
    const last = this.last
    if (last && 'work' in last) return last.work
    if (last && 'error' in last) {
      if (last.error.name === 'PlanError') throw new PlanError(last.error.message)
      throw new Error(`clearing the files ${where} failed: ${last.error.message}`)
    }
    if (last && 'nodeTooOld' in last)
      throw new Error(`${nodeHint} is ${last.nodeTooOld}; Node.js ${MIN_NODE_MAJOR} or newer is needed`)
    const sofar = this.progress ? ` after ${this.progress.entries} entries (${formatBytes(this.progress.bytes)})` : ''
    if (finished.error || finished.code === null)
      throw new Error(
        `clearing the files ${where} stopped${sofar}: ${finished.error?.message ?? 'the command was killed'}. ` +
          'Nothing is reported for them; a re-run is safe and clears what is left.'
      )
    const why = finished.stderr.trim() ? `: ${lastLine(finished.stderr)}` : ''
    throw new Error(
      `clearing the files ${where} failed${sofar}: exit ${finished.code}${why}. ` +
        'Nothing is reported for them; a re-run is safe and clears what is left.'
    )
  }
}

/**
 * Stops the engine on the host once the run is cancelled and the engine has
 * said it can be stopped, in either order: `kill -INT PID` on a channel of
 * its own. The engine then reports what it freed, as a local run does.
 */
class NodeStopper {
  private pid: number | undefined
  private sent: Promise<unknown> | undefined
  private readonly onAbort = (): void => this.stop()

  constructor(
    private readonly host: Host,
    private readonly signal: AbortSignal | undefined
  ) {
    signal?.addEventListener('abort', this.onAbort, { once: true })
  }

  stoppable(pid: number): void {
    this.pid = pid
    this.stop()
  }

  private stop(): void {
    if (!this.signal?.aborted || this.pid === undefined || this.sent) return
    let argv: string[]
    try {
      argv = stopCommand(this.pid)
    } catch {
      return // not a pid: not ours to signal
    }
    // An engine that ended meanwhile makes kill fail; its report is on its way either way.
    this.sent = finish(this.host.exec(argv))
  }

  async done(): Promise<void> {
    this.signal?.removeEventListener('abort', this.onAbort)
    await this.sent
  }
}

async function clearWithNode(host: Host, program: string, hooks: FileHooks): Promise<FileWork> {
  const stopper = new NodeStopper(host, hooks.signal)
  const reader = new MessageReader(hooks, (pid) => stopper.stoppable(pid))
  const command = host.exec(['node', '-'])
  command.stdin.end(program)
  const finished = await finish(command, (line) => reader.read(line))
  await stopper.done()
  return reader.settle(finished, `on ${host.name}`, `cannot clear the files on ${host.name}: its node`)
}

async function clearInContainer(
  engine: EngineClient,
  anotherEngine: () => EngineClient,
  apiVersion: string,
  host: Host,
  settings: Settings,
  program: string,
  hooks: FileHooks
): Promise<FileWork> {
  const image = settings.ssh?.nodeImage ?? DEFAULT_REMOTE_NODE_IMAGE
  const reader = new MessageReader(hooks)
  const where = `on ${host.name} in a container from '${image}'`
  const tooOld = `cannot clear the files on ${host.name} in a container: the node in remote-node-image '${image}'`
  let run: ContainerRun
  try {
    run = await runInContainer(engine, apiVersion, image, settings.root, program, {
      signal: hooks.signal,
      stopSignal: STOP_SIGNAL,
      // The wait holds the first client: the stop goes through a second channel.
      openEngine: anotherEngine
    })
  } catch (error) {
    if (error instanceof ContainerError)
      throw new Error(`cannot clear the files on ${host.name} in a container: ${error.message}`)
    if (error instanceof BindSourceMissingError) throw rootNotADirectory(error.root)
    if (error instanceof PlanError) throw error
    // The engine went away mid-run (the connection dropped).
    return reader.settle({ code: null, stdout: '', stderr: '', error: error as Error }, where, tooOld)
  }
  // The logs come once the container has ended: progress arrives all at once.
  for (const line of run.stdout.split('\n')) if (line !== '') reader.read(line)
  return reader.settle(run, where, tooOld)
}

/**
 * Clears the file caches of `settings` on `host` and returns what a local
 * clearFiles of the same tree returns. Throws PlanError as it does; any other
 * failure is one line that names the host.
 */
export async function clearFilesOnHost(host: Host, settings: Settings, hooks: FileHooks = {}): Promise<FileWork> {
  const script = await readRemoteScript()
  const node = await probeNode(host)
  // Built at the last moment, so a run cancelled by now tells the engine so and nothing is deleted.
  const program = remoteProgram(script, {
    ...fileSettings(settings),
    ...(hooks.signal?.aborted ? { cancelled: true } : {})
  })
  if (node.usable) return clearWithNode(host, program, hooks)
  // The container's stop needs a client of its own (see runInContainer); all close together.
  const engines = [openEngine(host)]
  const engine = engines[0]
  try {
    let apiVersion: string
    try {
      apiVersion = (await engine.ping()).apiVersion
    } catch (error) {
      throw new Error(
        `cannot clear the files on ${host.name}: ${node.reason}, and no Docker engine answered there ` +
          `(${error instanceof Error ? error.message : String(error)}). Install Node.js ${MIN_NODE_MAJOR} or newer ` +
          'on the host, or Docker so the files are cleared in a container (remote-node-image).'
      )
    }
    return await clearInContainer(
      engine,
      () => engines[engines.push(openEngine(host)) - 1],
      apiVersion,
      host,
      settings,
      program,
      hooks
    )
  } finally {
    await Promise.all(engines.map((client) => client.close()))
  }
}
