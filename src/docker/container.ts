// A node program in a throwaway container, by the Engine API only (no `docker
// run` line): the remote file engine on a host without Node.js 20+
// (remote/files.ts), and the containerd store's read-only look at containerd's
// root for a docker-group user (stores/containerd.ts). The image's node runs
// the same program `node -` would get; it
// arrives as a file put into the container before it starts (PUT .../archive),
// the app root is bind-mounted at the same path, and there is no network. The
// container is removed afterwards. One whose run's connection dropped is a
// leftover that a later run removes, but only once no live run can own it
// (see isLeftover): two runs may clear one host at once.
import { randomUUID } from 'node:crypto'
import { oneLine, type EngineClient, type EngineRequest, type EngineResponse } from './engine.js'

/** Marks our containers; the value is the id of the run that made it. */
const CONTAINER_LABEL = 'org.clear-app-caches.remote-files'
/** When that run started, on the runner's clock (ISO 8601): for a person reading `docker ps`. */
const STARTED_LABEL = 'org.clear-app-caches.run-started'
const PROGRAM_FILE = 'clear-app-caches-remote.cjs'

/**
 * A run holds its container stopped only briefly: between create and start
 * (putting the program in), and between its end and the read of its output.
 * One that has sat created or ended for this long has no live run.
 */
export const LEFTOVER_AFTER_MS = 10 * 60_000
/** How often the stop signal is sent again until the container ends (see stopWhenAborted). */
const STOP_REPEAT_MS = 1000

export interface ContainerRun {
  /** The container's exit status. */
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** Why the container path could not run: one line for the step's error. */
/** The root to bind does not exist on the engine's host (the caller names it as it names a missing root locally). */
export class BindSourceMissingError extends Error {
  constructor(readonly root: string) {
    super(`${root} does not exist on the engine's host`)
    this.name = 'BindSourceMissingError'
  }
}

export class ContainerError extends Error {
  override name = 'ContainerError'
}

function engineMessage(response: EngineResponse): string {
  const text = response.body.toString('utf8').trim()
  try {
    return oneLine((JSON.parse(text) as { message?: string }).message ?? text)
  } catch {
    return oneLine(text) || `HTTP ${response.status}`
  }
}

/** The engine's requests at one API version (paths without the /v… prefix). */
type Api = (request: EngineRequest) => Promise<EngineResponse>

/** How the engine words ENOSPC: its own errors carry the kernel's text (syscall.ENOSPC.Error()). */
const NO_SPACE = /no space left on device|\bENOSPC\b/i
/**
 * On a full disk overlayfs cannot create a new layer's work directory, and
 * then mounts the layer read-only (the kernel logs "failed to create directory
 * …/work/work (errno: 28); mounting read-only"): the engine reports EROFS, not
 * ENOSPC, when it writes the container's /etc/resolv.conf.
 */
const READ_ONLY = /read-only file system|\bEROFS\b/i

/**
 * The error for `what` failing with the engine's `message`, in one line. When
 * the host's disk is full (the engine's data root: a container's writable
 * layer, an image's unpack), the line says so first: that is what the person
 * has to act on, and why they are likely running this action at all.
 */
export function containerError(what: string, message: string): ContainerError {
  if (NO_SPACE.test(message)) return new ContainerError(`the host's disk is full: ${what}: ${message}`)
  if (READ_ONLY.test(message)) return new ContainerError(`the host's disk is full or read-only: ${what}: ${message}`)
  return new ContainerError(`${what}: ${message}`)
}

async function call(api: Api, what: string, request: EngineRequest, ok: number[]): Promise<Buffer> {
  const response = await api(request)
  if (!ok.includes(response.status)) throw containerError(what, engineMessage(response))
  return response.body
}

function json(body: unknown): Pick<EngineRequest, 'body' | 'headers'> {
  return { body: Buffer.from(JSON.stringify(body)), headers: { 'Content-Type': 'application/json' } }
}

/** `fromImage` and `tag` for POST /images/create: without a tag the engine would pull every tag. */
export function pullQuery(image: string): string {
  const name = image.slice(image.lastIndexOf('/') + 1)
  if (image.includes('@') || name.includes(':')) return `fromImage=${encodeURIComponent(image)}`
  return `fromImage=${encodeURIComponent(image)}&tag=latest`
}

async function ensureImage(api: Api, image: string): Promise<void> {
  const found = await api({ method: 'GET', path: `/images/${encodeURI(image)}/json` })
  if (found.status === 200) return
  const failed = (reason: string): ContainerError =>
    containerError(`the image '${image}' (remote-node-image) is not on the host and could not be pulled`, reason)
  const pulled = await api({ method: 'POST', path: `/images/create?${pullQuery(image)}` })
  if (pulled.status !== 200) throw failed(engineMessage(pulled))
  // A pull that fails midway still answers 200; the error is in its progress stream.
  for (const line of pulled.body.toString('utf8').split('\n')) {
    if (line.trim() === '') continue
    const event = JSON.parse(line) as { error?: string }
    if (event.error) throw failed(event.error)
  }
}

/** A tar archive holding one regular file (POSIX ustar): what PUT .../archive takes. */
export function tarOneFile(name: string, content: Buffer): Buffer {
  const header = Buffer.alloc(512)
  const field = (offset: number, length: number, value: string): void => {
    header.write(value, offset, length, 'utf8')
  }
  const octal = (offset: number, length: number, value: number): void =>
    field(offset, length, `${value.toString(8).padStart(length - 1, '0')}\0`)
  field(0, 100, name)
  octal(100, 8, 0o644)
  octal(108, 8, 0)
  octal(116, 8, 0)
  octal(124, 12, content.length)
  octal(136, 12, Math.floor(Date.now() / 1000))
  field(148, 8, ' '.repeat(8))
  field(156, 1, '0')
  field(257, 8, 'ustar\u000000')
  let sum = 0
  for (const byte of header) sum += byte
  field(148, 8, `${sum.toString(8).padStart(6, '0')}\0 `)
  const padding = Buffer.alloc((512 - (content.length % 512)) % 512)
  return Buffer.concat([header, content, padding, Buffer.alloc(1024)])
}

/** Splits a container's log stream (no TTY: 8-byte headers, stream 1 stdout, 2 stderr). */
export function demuxLogs(logs: Buffer): { stdout: string; stderr: string } {
  const streams: Record<number, Buffer[]> = { 1: [], 2: [] }
  let offset = 0
  while (offset + 8 <= logs.length) {
    const size = logs.readUInt32BE(offset + 4)
    streams[logs[offset]]?.push(logs.subarray(offset + 8, offset + 8 + size))
    offset += 8 + size
  }
  return { stdout: Buffer.concat(streams[1]).toString('utf8'), stderr: Buffer.concat(streams[2]).toString('utf8') }
}

/** One of our containers as GET /containers/json lists it. */
interface Listed {
  readonly Id: string
  readonly State: string
  /** Unix seconds, the engine's clock. */
  readonly Created: number
}

/**
 * Whether one of our containers is a leftover no live run owns: created and
 * never started, or ended, for longer than `afterMs` by the engine's clock.
 * A running one is never a leftover, whoever started it: it ends on its own
 * and a later run removes it then. `finishedMs` is NaN when unknown.
 */
export function isLeftover(
  state: string,
  createdMs: number,
  finishedMs: number,
  nowMs: number,
  afterMs: number
): boolean {
  if (state === 'created') return nowMs - createdMs >= afterMs
  if (state === 'exited' || state === 'dead') {
    // A dead container may have no end time: its creation then bounds it.
    const since = Number.isFinite(finishedMs) && finishedMs > 0 ? finishedMs : createdMs
    return nowMs - since >= afterMs
  }
  return false
}

/** Removes our containers that no live run owns (isLeftover); another run's are left alone. */
async function removeLeftovers(api: Api, afterMs: number): Promise<void> {
  const what = 'removing containers left by an earlier run'
  const filters = encodeURIComponent(JSON.stringify({ label: [CONTAINER_LABEL] }))
  const response = await api({ method: 'GET', path: `/containers/json?all=1&filters=${filters}` })
  if (response.status !== 200) throw containerError(what, engineMessage(response))
  // The engine's clock, as its timestamps are (the runner's may differ). Its
  // Date header is to the second, rounded down: the engine's now is up to 999 ms later.
  const date = Date.parse(response.headers.date ?? '')
  const now = Number.isNaN(date) ? Date.now() : date + 999
  for (const listed of JSON.parse(response.body.toString('utf8')) as Listed[]) {
    let finished = Number.NaN
    if (listed.State === 'exited' || listed.State === 'dead') {
      const inspected = await api({ method: 'GET', path: `/containers/${listed.Id}/json` })
      if (inspected.status !== 200) continue // removed meanwhile
      const state = (JSON.parse(inspected.body.toString('utf8')) as { State?: { FinishedAt?: string } }).State
      finished = Date.parse(state?.FinishedAt ?? '')
    }
    if (!isLeftover(listed.State, listed.Created * 1000, finished, now, afterMs)) continue
    // 404/409: another run removed it first.
    await api({ method: 'DELETE', path: `/containers/${listed.Id}?force=1&v=1` })
  }
}

/** Removes the containers of run `run` (by its label), whatever their state. */
async function removeRun(api: Api, run: string): Promise<void> {
  const filters = encodeURIComponent(JSON.stringify({ label: [`${CONTAINER_LABEL}=${run}`] }))
  const response = await api({ method: 'GET', path: `/containers/json?all=1&filters=${filters}` })
  if (response.status !== 200) return
  for (const listed of JSON.parse(response.body.toString('utf8')) as Listed[]) {
    await api({ method: 'DELETE', path: `/containers/${listed.Id}?force=1&v=1` })
  }
}

/**
 * Once `signal` fires, sends the container `stopSignal` through a second
 * client (the first is held by the wait), again every STOP_REPEAT_MS until it
 * ends: node is the container's pid 1, which ignores a signal until the
 * engine has set its handler (a few milliseconds after start).
 */
function stopWhenAborted(
  signal: AbortSignal,
  openEngine: () => EngineClient,
  api: (engine: EngineClient) => Api,
  id: string,
  stopSignal: string
): { end(): Promise<void> } {
  let ended = false
  let wake: (() => void) | undefined
  let loop: Promise<void> | undefined
  const start = (): void => {
    loop = (async () => {
      const kill = api(openEngine())
      while (!ended) {
        const response = await kill({
          method: 'POST',
          path: `/containers/${id}/kill?signal=${encodeURIComponent(stopSignal)}`
        }).catch(() => undefined)
        // 404/409: gone or no longer running; no answer: the connection is gone.
        if (!response || response.status !== 204) return
        await new Promise<void>((resolve) => {
          wake = resolve
          setTimeout(resolve, STOP_REPEAT_MS).unref()
        })
      }
    })()
  }
  if (signal.aborted) start()
  else signal.addEventListener('abort', start, { once: true })
  return {
    async end() {
      ended = true
      signal.removeEventListener('abort', start)
      wake?.()
      await loop
    }
  }
}

export interface ContainerOptions {
  /** Cancels the run: the container is sent `stopSignal` (its program stops and reports what it did). */
  readonly signal?: AbortSignal
  /** The signal the program handles as a stop (the remote engine: protocol.ts's STOP_SIGNAL). Default SIGINT. */
  readonly stopSignal?: string
  /** A second client to the same engine, for the stop (needed with `signal`); the caller closes it. */
  readonly openEngine?: () => EngineClient
  /** Default LEFTOVER_AFTER_MS. */
  readonly leftoverAfterMs?: number
  /** Bind `root` read-only: for a program that only looks (the containerd store's sizes). */
  readonly readOnly?: boolean
}

/**
 * Runs `program` (see protocol.ts) with the image's node in a container that
 * sees only `root`, at the same path. Throws ContainerError (or
 * BindSourceMissingError when the root does not exist) when the container cannot run; its exit status
 * and output are the caller's to read.
 */
export async function runInContainer(
  engine: EngineClient,
  apiVersion: string,
  image: string,
  root: string,
  program: string,
  options: ContainerOptions = {}
): Promise<ContainerRun> {
  const at =
    (client: EngineClient): Api =>
    (request) =>
      client.request({ ...request, path: `/v${apiVersion}${request.path}` })
  const api = at(engine)
  await removeLeftovers(api, options.leftoverAfterMs ?? LEFTOVER_AFTER_MS)
  await ensureImage(api, image)
  const run = randomUUID()
  const created = await api({
    method: 'POST',
    path: '/containers/create',
    ...json({
      Image: image,
      // The image's entrypoint is not ours to trust with this; node is.
      Entrypoint: ['node'],
      Cmd: [`/${PROGRAM_FILE}`],
      Labels: { [CONTAINER_LABEL]: run, [STARTED_LABEL]: new Date().toISOString() },
      NetworkDisabled: true,
      HostConfig: {
        NetworkMode: 'none',
        // A mount, not a bind string: no path syntax to parse, and a missing source is refused, not created.
        Mounts: [{ Type: 'bind', Source: root, Target: root, ...(options.readOnly ? { ReadOnly: true } : {}) }]
      }
    })
  })
  if (created.status !== 201) {
    const message = engineMessage(created)
    if (/bind source path does not exist/i.test(message)) throw new BindSourceMissingError(root)
    // A create that failed midway (a full disk, say) may still have registered the container: none is left.
    await removeRun(api, run).catch(() => undefined)
    throw containerError(`the host's Docker engine could not create the container from '${image}'`, message)
  }
  const id = (JSON.parse(created.body.toString('utf8')) as { Id: string }).Id
  try {
    await call(
      api,
      'putting the program into the container',
      {
        method: 'PUT',
        path: `/containers/${id}/archive?path=/`,
        body: tarOneFile(PROGRAM_FILE, Buffer.from(program)),
        headers: { 'Content-Type': 'application/x-tar' }
      },
      [200]
    )
    await call(
      api,
      `the container from '${image}' did not start`,
      { method: 'POST', path: `/containers/${id}/start` },
      [204]
    )
    const stopper =
      options.signal && options.openEngine
        ? stopWhenAborted(options.signal, options.openEngine, at, id, options.stopSignal ?? 'SIGINT')
        : undefined
    let waited: Buffer
    try {
      // No answer until the container ends, however long the clear takes.
      waited = await call(
        api,
        'waiting for the container',
        { method: 'POST', path: `/containers/${id}/wait`, timeoutMs: 0 },
        [200]
      )
    } finally {
      await stopper?.end()
    }
    const { StatusCode } = JSON.parse(waited.toString('utf8')) as { StatusCode: number }
    const logs = await call(
      api,
      "reading the container's output",
      { method: 'GET', path: `/containers/${id}/logs?stdout=1&stderr=1` },
      [200]
    )
    return { code: StatusCode, ...demuxLogs(logs) }
  } finally {
    // Also after a failure; when the connection is gone, the next run's prune removes it.
    await api({ method: 'DELETE', path: `/containers/${id}?force=1&v=1` }).catch(() => undefined)
  }
}
