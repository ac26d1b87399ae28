// The Docker Engine API client. As the docker CLI does for ssh:// hosts, we
// start `docker system dial-stdio` and speak HTTP over its stdin/stdout; the
// Host decides where that process runs (locally, with DOCKER_HOST,
// DOCKER_CONTEXT and the rest of the CLI's settings; or on an SSH host, as a
// channel of the run's one connection). HTTP itself is undici's: its Client
// takes our stream as its socket through a custom `connect`, so framing,
// keep-alive and reconnection (a new dial-stdio) are a maintained library's.
import { Duplex } from 'node:stream'
import { Client, errors } from 'undici'
import type { Host, HostProcess } from '../host/host.js'

/** The engine could not be reached, or the docker CLI is missing: expected, no stack trace. */
export class DockerUnavailableError extends Error {
  override name = 'DockerUnavailableError'
}

/** The engine answered a request with an error status (e.g. a filter it does not know). */
export class DockerApiError extends Error {
  override name = 'DockerApiError'
  constructor(
    message: string,
    readonly status: number
  ) {
    super(message)
  }
}

/** The newest Engine API version this project knows the shapes of. */
export const MAX_API_VERSION = '1.52'
/** What the Go client assumes when /_ping carries no API-Version header. */
const FALLBACK_API_VERSION = '1.24'

const DEFAULT_CONNECT_TIMEOUT_MS = 30_000
const DEFAULT_REQUEST_TIMEOUT_MS = 10 * 60_000

/** Compares "1.41" and "1.9" numerically: negative, 0 or positive. */
export function compareApiVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number)
  const pb = b.split('.').map(Number)
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0)
    if (diff !== 0) return diff
  }
  return 0
}

/** min(server's API version, MAX_API_VERSION); the Go client's fallback when the server says nothing. */
export function negotiateApiVersion(serverApiVersion: string | undefined): string {
  const server = serverApiVersion?.trim()
  const known = server && /^\d+\.\d+$/.test(server) ? server : FALLBACK_API_VERSION
  return compareApiVersions(known, MAX_API_VERSION) < 0 ? known : MAX_API_VERSION
}

/** Multi-line text -> one line, at most 400 characters. */
export function oneLine(text: string): string {
  const line = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join('; ')
  return line.length > 400 ? `${line.slice(0, 397)}...` : line
}

/** Where a local docker CLI will look for the engine, for messages. */
export function describeLocalEndpoint(env: NodeJS.ProcessEnv): string {
  if (env.DOCKER_HOST) return `at ${env.DOCKER_HOST}`
  if (env.DOCKER_CONTEXT) return `of docker context "${env.DOCKER_CONTEXT}"`
  return 'of the current docker context'
}

export interface EngineOptions {
  /** The docker CLI that runs `system dial-stdio` on the host: a name on its PATH, or a path. Default "docker". */
  readonly docker?: string
  /** For messages: "at unix:///...", "on deploy@host:22". Default from the host (and process.env locally). */
  readonly where?: string
  /** Time allowed to reach the engine and get its /_ping answer. Default 30 s. */
  readonly connectTimeoutMs?: number
  /** Default time allowed for each other request. Default 10 min; 0 waits forever. */
  readonly requestTimeoutMs?: number
}

export interface EngineRequest {
  readonly method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE'
  /** With its API version prefix and query: `/v1.47/containers/abc/wait`. */
  readonly path: string
  /** JSON text, or bytes (e.g. a tar for PUT /containers/{id}/archive). */
  readonly body?: Buffer | string
  readonly headers?: Readonly<Record<string, string>>
  /** Time allowed for the answer (headers, then each pause in the body); 0 waits forever. */
  readonly timeoutMs?: number
}

export interface EngineResponse {
  readonly status: number
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>
  readonly body: Buffer
}

export interface EngineClient {
  /** For messages: "at unix:///run/docker.sock", "on deploy@example.com:22". */
  readonly where: string
  /** GET /_ping within the connect timeout; the negotiated API version (use it as the `/v…` prefix). */
  ping(): Promise<{ readonly apiVersion: string; readonly serverApiVersion?: string }>
  /** Any request; an answer with an error status is returned, not thrown. Transport failures throw DockerUnavailableError. */
  request(request: EngineRequest): Promise<EngineResponse>
  /** A JSON answer; an error status throws DockerApiError with the engine's message. A string body is sent as JSON. */
  json<T>(method: EngineRequest['method'], path: string, body?: unknown, timeoutMs?: number): Promise<T>
  /** Ends every dial-stdio process; idempotent. */
  close(): Promise<void>
}

/** One `docker system dial-stdio` on the host, as the socket undici writes to. */
class DialStdio {
  readonly socket: Duplex
  private stderr = ''
  private broken = false
  private readonly process: HostProcess
  readonly exited: Promise<{ code: number | null; error?: Error }>

  private readonly remote: boolean
  private readonly hostName: string

  constructor(host: Host, docker: string) {
    this.remote = host.remote
    this.hostName = host.name
    this.process = host.exec([docker, 'system', 'dial-stdio'])
    this.process.stderr.on('data', (chunk: Buffer) => {
      if (this.stderr.length < 64 * 1024) this.stderr += chunk.toString()
    })
    this.socket = Duplex.from({ readable: this.process.stdout, writable: this.process.stdin })
    this.exited = this.process.exit
    // undici destroys the socket with an error on a timeout or a broken answer: no polite goodbye then.
    // Its own close() destroys it with ClientDestroyedError: that one is a goodbye.
    this.socket.once('error', (error) => (this.broken ||= !(error instanceof errors.ClientDestroyedError)))
    // When undici drops the socket (idle, error, close), the CLI goes too.
    this.socket.once('close', () => void this.end())
  }

  /** Why the stream failed, from the process: it did not start, or its stderr. */
  async failure(docker: string, where: string): Promise<DockerUnavailableError | undefined> {
    const exit = await Promise.race([
      this.exited,
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 2000).unref())
    ])
    const error: NodeJS.ErrnoException | undefined = exit?.error
    if (error?.code === 'ENOENT') {
      return new DockerUnavailableError(
        docker.includes('/') ? `the docker CLI was not found at ${docker}` : `the ${docker} CLI was not found on PATH`
      )
    }
    if (error) return new DockerUnavailableError(`cannot reach the Docker engine ${where}: ${error.message}`)
    // 127: the shell on an SSH host found no such command.
    if (exit?.code === 127 && this.remote) {
      return new DockerUnavailableError(`the ${docker} CLI was not found on the PATH of ${this.hostName}`)
    }
    const reason = oneLine(this.stderr)
    return reason ? new DockerUnavailableError(`cannot reach the Docker engine ${where}: ${reason}`) : undefined
  }

  private ending: Promise<void> | undefined

  /**
   * Ends stdin (the CLI then closes the engine connection and exits); kills
   * it if it lingers or broke. Once: the socket's close and the client's
   * close() both call it.
   */
  end(): Promise<void> {
    this.ending ??= this.stop()
    return this.ending
  }

  private async stop(): Promise<void> {
    if (this.broken) this.process.kill()
    this.process.stdin.end()
    const settled = (ms: number): Promise<boolean> =>
      Promise.race([
        this.exited.then(() => true),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms).unref())
      ])
    if (await settled(3000)) return
    this.process.kill()
    await settled(2000)
  }
}

/**
 * An Engine API client for the engine the docker CLI on `host` reaches.
 * Nothing starts until the first request; each connection undici opens is
 * one dial-stdio process (normally one per run, kept alive). Requests run one
 * at a time, in order: for two at once (a long `wait` and something else),
 * open a second client (over SSH: another channel on the same connection).
 * Hijacked streams (attach, exec start) are not supported.
 */
export function openEngine(host: Host, options: EngineOptions = {}): EngineClient {
  const docker = options.docker ?? 'docker'
  const where = options.where ?? (host.remote ? `on ${host.name}` : describeLocalEndpoint(process.env))
  const connectTimeout = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS
  const requestTimeout = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS
  const dials: DialStdio[] = []
  const client = new Client('http://docker', {
    connect: (_options, callback) => {
      const dial = new DialStdio(host, docker)
      dials.push(dial)
      callback(null, dial.socket as never)
    },
    pipelining: 1,
    // One stream for the whole run: idle gaps (a long file clear) must not close it.
    keepAliveTimeout: 60 * 60_000,
    keepAliveMaxTimeout: 60 * 60_000
  })
  let closed = false

  const request = async (req: EngineRequest, timeoutMs = req.timeoutMs ?? requestTimeout): Promise<EngineResponse> => {
    if (closed) throw new DockerUnavailableError(`the Docker engine client ${where} is closed`)
    const name = `${req.method} ${req.path.split('?')[0]}`
    try {
      const response = await client.request({
        method: req.method,
        path: req.path,
        body: req.body,
        headers: { 'user-agent': 'clear-app-caches', ...req.headers },
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs
      })
      const body = Buffer.from(await response.body.arrayBuffer())
      const headers: Record<string, string> = {}
      for (const [key, value] of Object.entries(response.headers)) {
        if (value !== undefined) headers[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value
      }
      return { status: response.statusCode, headers, body }
    } catch (error) {
      if (error instanceof errors.HeadersTimeoutError || error instanceof errors.BodyTimeoutError) {
        const seconds = timeoutMs / 1000
        throw new DockerUnavailableError(
          req.path === '/_ping'
            ? `cannot reach the Docker engine ${where}: no answer within ${seconds} s`
            : `the Docker engine ${where} did not answer ${name} within ${seconds} s`
        )
      }
      // The process knows best why the stream ended (a missing CLI, the CLI's own error).
      const failure = await dials.at(-1)?.failure(docker, where)
      if (failure) throw failure
      const reason = error instanceof Error ? error.message : String(error)
      throw new DockerUnavailableError(`the connection to the Docker engine ${where} failed during ${name}: ${reason}`)
    }
  }

  const engine: EngineClient = {
    where,
    request: (req) => request(req),
    async ping() {
      const response = await request({ method: 'GET', path: '/_ping' }, connectTimeout)
      if (response.status !== 200) {
        throw new DockerUnavailableError(
          `the Docker engine ${where} answered /_ping with HTTP ${response.status}: ${oneLine(response.body.toString('utf8'))}`
        )
      }
      const serverApiVersion = response.headers['api-version']
      return { apiVersion: negotiateApiVersion(serverApiVersion), serverApiVersion }
    },
    async json<T>(method: EngineRequest['method'], path: string, body?: unknown, timeoutMs?: number): Promise<T> {
      const response = await request({
        method,
        path,
        timeoutMs,
        ...(body === undefined
          ? {}
          : {
              body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
              headers: { 'content-type': 'application/json' }
            })
      })
      const name = `${method} ${path.split('?')[0]}`
      const text = response.body.toString('utf8')
      if (response.status < 200 || response.status >= 300) {
        let message = text.trim()
        try {
          message = (JSON.parse(text) as { message?: string }).message ?? message
        } catch {
          // not JSON: keep the text
        }
        throw new DockerApiError(
          `the Docker engine ${where} refused ${name} (HTTP ${response.status}): ${oneLine(message)}`,
          response.status
        )
      }
      if (response.status === 204 || text.trim() === '') return undefined as T
      try {
        return JSON.parse(text) as T
      } catch {
        throw new DockerApiError(
          `the Docker engine ${where} answered ${name} with something that is not JSON`,
          response.status
        )
      }
    },
    async close() {
      if (closed) return
      closed = true
      await client.destroy().catch(() => undefined)
      await Promise.all(dials.map((dial) => dial.end()))
    }
  }
  return engine
}
