// A host reached over ONE SSH connection (the `ssh2` package, pure JavaScript):
// every exec is a channel on it, so a run costs one handshake. The key stays
// in memory; the host key is checked against the given known_hosts lines
// before anything runs (no trust on first use, no switch to skip it).
import { PassThrough, type Duplex, type Readable } from 'node:stream'
import { Client, type AnyAuthMethod, type ClientChannel, type ServerHostKeyAlgorithm } from 'ssh2'
import { PLAIN_WORD, type Host, type HostExit, type HostProcess } from './host.js'
import {
  acceptedKeys,
  blobKeyType,
  hostKeyAlgorithms,
  isKnownKey,
  parseKnownHosts,
  type KnownHostLine
} from './known-hosts.js'
import { SshError } from './ssh-error.js'

export { SshError }

export interface SshTarget {
  readonly user: string
  readonly host: string
  readonly port: number
}

export interface SshConnectOptions extends SshTarget {
  /**
   * Jump hosts in OpenSSH's ProxyJump order: the first is dialled, each next
   * one is reached through the one before it, and the last forwards to the
   * target. Each logs in with the same keys and agent, and each is checked
   * against the same known_hosts.
   */
  readonly jumps?: readonly SshTarget[]
  /** OpenSSH private keys (PEM text), tried in order after the agent. */
  readonly privateKeys: readonly string[]
  readonly passphrase?: string
  /** An ssh-agent socket (SSH_AUTH_SOCK), tried first. */
  readonly agentSocket?: string
  /** known_hosts text: the only keys the hosts may show. */
  readonly knownHosts: string
  /** Time allowed for the whole route: every TCP connect, forward, handshake and login. Default 20 s. */
  readonly connectTimeoutMs?: number
}

const DEFAULT_CONNECT_TIMEOUT_MS = 20_000
/**
 * Keepalives on every hop: a long clear sends nothing for minutes, and a NAT
 * or a bastion may cut an idle connection; four unanswered (a minute) mean it
 * is gone.
 */
export const KEEPALIVE = { intervalMs: 15_000, countMax: 4 } as const
const CLOSED_BY_US = 'closed by us'

/** "user@host:port", IPv6 in brackets: the name used in logs, the summary and errors. */
export function sshName({ user, host, port }: SshTarget): string {
  return `${user}@${host.includes(':') ? `[${host}]` : host}:${port}`
}

/**
 * Over SSH the command is one line that the remote shell parses, so only
 * plain words go there: letters, digits and `_ @ % + = : , . / -`. Anything
 * else throws: callers pass constant words, and user data travels on stdin.
 */
export function commandLine(argv: readonly string[], env: Readonly<Record<string, string>> = {}): string {
  const words = [...Object.entries(env).map(([key, value]) => `${key}=${value}`), ...argv]
  if (Object.keys(env).length > 0) words.unshift('env')
  for (const word of words) {
    if (!PLAIN_WORD.test(word)) {
      throw new Error(`refusing to send ${JSON.stringify(word)} in a remote command line: only plain words go there`)
    }
  }
  if (argv.length === 0) throw new Error('no command to run')
  return words.join(' ')
}

/** "host:port", IPv6 in brackets: how the route names a jump host. */
export function hopName({ host, port }: SshTarget): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

export class SshHost implements Host {
  readonly remote = true
  private dropped: string | undefined
  private readonly channels = new Set<ClientChannel>()
  /** The target's client: every exec is a channel on it. */
  private readonly client: Client

  private constructor(
    /** Every hop's client, the first dialled first; the target's last. */
    private readonly clients: readonly Client[],
    readonly name: string,
    /** The jump hosts crossed ("bastion.example.com:22"), empty for a direct connection. */
    readonly route: readonly string[]
  ) {
    this.client = clients[clients.length - 1]
    const drop = (reason: string): void => {
      this.dropped ??= reason
      for (const channel of this.channels) channel.destroy()
    }
    // Any hop going down takes the target's connection with it.
    for (const client of clients) {
      client.on('error', (error) => drop(errorText(error)))
      client.on('close', () => drop('the connection closed'))
    }
  }

  /**
   * Opens the connection, through the jump hosts when there are any: each
   * hop reachable, its host key known, authenticated. Throws SshError
   * otherwise, naming the hop, and closes whatever it had opened.
   */
  static async connect(options: SshConnectOptions): Promise<SshHost> {
    const name = sshName(options)
    const hops: Hop[] = [
      ...(options.jumps ?? []).map((jump) => ({ ...jump, jump: true })),
      { user: options.user, host: options.host, port: options.port, jump: false }
    ]
    if (!options.agentSocket && options.privateKeys.length === 0) {
      throw new SshError(`no SSH key to log in to ${name} with`)
    }
    const knownLines = parseKnownHosts(options.knownHosts)
    const timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS
    const clients: Client[] = []
    let current = hops[0]
    let timer: NodeJS.Timeout | undefined
    // ssh2's readyTimeout starts only after TCP connects, and is per hop: one deadline for it all.
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new SshError(
              `cannot reach ${hopKind(current)} ${hopWhere(current)}: no answer within ${timeoutMs / 1000} s`
            )
          ),
        timeoutMs
      )
    })
    timedOut.catch(() => undefined)
    const deadline = Date.now() + timeoutMs
    try {
      let sock: Duplex | undefined
      for (const [index, hop] of hops.entries()) {
        current = hop
        if (index > 0) sock = await Promise.race([forwardTo(clients[index - 1], hops[index - 1], hop), timedOut])
        const client = new Client()
        clients.push(client)
        await Promise.race([
          loginHop(client, hop, { sock, knownLines, options, readyTimeoutMs: deadline - Date.now() + 1000 }),
          timedOut
        ])
      }
    } catch (error) {
      // Last opened first: the target's, then each jump host's.
      for (const client of clients.reverse()) {
        client.removeAllListeners('ready')
        client.end()
        client.destroy()
      }
      throw error
    } finally {
      clearTimeout(timer)
    }
    for (const client of clients) {
      client.removeAllListeners('error')
      client.removeAllListeners('close')
    }
    return new SshHost(clients, name, (options.jumps ?? []).map(hopName))
  }

  /** Why the connection ended before close() was called; undefined while it is up (or closed by us). */
  get connectionLost(): string | undefined {
    return this.dropped === CLOSED_BY_US ? undefined : this.dropped
  }

  exec(argv: readonly string[], options: { readonly env?: Readonly<Record<string, string>> } = {}): HostProcess {
    const stdin = new PassThrough()
    const stdout = new PassThrough()
    const stderr = new PassThrough()
    let kill: () => void = () => undefined
    const exit = new Promise<HostExit & { readonly error?: Error }>((resolve) => {
      const failed = (error: Error): void => {
        stdout.end()
        stderr.end()
        resolve({ code: null, signal: null, error })
      }
      let line: string
      try {
        line = commandLine(argv, options.env)
      } catch (error) {
        failed(error as Error)
        return
      }
      if (this.dropped !== undefined) {
        failed(new SshError(`the SSH connection to ${this.name} dropped: ${this.dropped}`))
        return
      }
      const started = (error: Error | undefined, channel: ClientChannel): void => {
        if (error) {
          failed(new SshError(`${this.name} refused to run ${argv[0]}: ${error.message}`))
          return
        }
        this.channels.add(channel)
        let code: number | null = null
        let signal: string | null = null
        channel.on('exit', (exitCode: number | null, exitSignal?: string) => {
          code = exitCode ?? null
          signal = exitSignal ?? null
        })
        channel.on('close', () => {
          this.channels.delete(channel)
          const error =
            code === null && signal === null && this.dropped !== undefined
              ? new SshError(`the SSH connection to ${this.name} dropped while ${argv[0]} ran: ${this.dropped}`)
              : undefined
          resolve({ code, signal, error })
        })
        // As a child process's pipes behave: output nobody reads any more
        // (its stream destroyed) is drained, or the channel would never end
        // and close; a stdin closed before its end (destroyed, as a Duplex
        // over stdin and stdout does) is still EOF, or the command would
        // wait for more input.
        const deliver = (output: Readable, to: PassThrough): void => {
          if (to.destroyed) {
            output.resume()
            return
          }
          output.pipe(to)
          to.once('close', () => output.resume())
        }
        deliver(channel, stdout)
        deliver(channel.stderr, stderr)
        if (stdin.destroyed) channel.end()
        else {
          stdin.pipe(channel)
          stdin.once('close', () => channel.end())
        }
        kill = () => channel.close()
      }
      try {
        this.client.exec(line, started)
      } catch (error) {
        // ssh2 throws when the connection went away between our check and this call.
        failed(new SshError(`the SSH connection to ${this.name} dropped: ${errorText(error)}`))
      }
    })
    // Writes after the command ended are dropped, as for a child process.
    stdin.on('error', () => undefined)
    return { stdin, stdout, stderr, exit, kill: () => kill() }
  }

  async close(): Promise<void> {
    if (this.dropped !== undefined) return
    this.dropped = CLOSED_BY_US
    // The target first, then each jump host back towards the runner.
    for (const client of [...this.clients].reverse()) {
      await new Promise<void>((resolve) => {
        client.once('close', () => resolve())
        client.end()
        setTimeout(() => {
          client.destroy()
          resolve()
        }, 2000).unref()
      })
    }
  }
}

/** One host of the route: a jump host, or the target (the last). */
interface Hop extends SshTarget {
  readonly jump: boolean
}

function hopKind(hop: Hop): string {
  return hop.jump ? 'jump host' : 'SSH host'
}

/** "host port N", IPv6 in brackets, as the errors say it. */
function hopWhere({ host, port }: SshTarget): string {
  return `${host.includes(':') ? `[${host}]` : host} port ${port}`
}

/** ssh2's reason code when the server refuses to open a channel by policy (e.g. AllowTcpForwarding no). */
const ADMINISTRATIVELY_PROHIBITED = 1

/** A direct-tcpip channel from `via` to the next hop: the socket that hop's SSH runs over. */
function forwardTo(client: Client, via: Hop, next: Hop): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const failed = (error: Error & { reason?: number | string }): void => {
      const reason = error.message.replace(/^\(SSH\) Channel open failure: ?/, '') || 'channel refused'
      reject(
        new SshError(
          error.reason === ADMINISTRATIVELY_PROHIBITED
            ? `jump host ${hopWhere(via)} will not forward to ${hopWhere(next)}: ${reason} ` +
                `(its sshd must allow TCP forwarding for this user)`
            : `cannot reach ${hopKind(next)} ${hopWhere(next)} from jump host ${hopWhere(via)}: ${reason}`
        )
      )
    }
    try {
      client.forwardOut('127.0.0.1', 0, next.host, next.port, (error, channel) => {
        if (error) failed(error)
        else resolve(channel)
      })
    } catch (error) {
      // ssh2 throws when the jump host's connection went away meanwhile.
      failed(error as Error)
    }
  })
}

/** Logs in to one hop over `sock` (or TCP for the first): resolves once ready, rejects with a one-line SshError. */
function loginHop(
  client: Client,
  hop: Hop,
  context: {
    readonly sock?: Duplex
    readonly knownLines: readonly KnownHostLine[]
    readonly options: SshConnectOptions
    readonly readyTimeoutMs: number
  }
): Promise<void> {
  const { options, knownLines } = context
  const name = `${hop.jump ? 'jump host ' : ''}${sshName(hop)}`
  const kind = hopKind(hop)
  const where = hopWhere(hop)
  const target = hop.jump ? `jump host ${where}` : where
  const listed = acceptedKeys(knownLines, hop.host, hop.port)
  // Nothing goes past a hop we do not trust; nothing runs on a target we do not trust.
  const nothing = hop.jump ? 'nothing went past it' : 'nothing was run there'
  const auth: AnyAuthMethod[] = [
    ...(options.agentSocket ? [{ type: 'agent' as const, username: hop.user, agent: options.agentSocket }] : []),
    ...options.privateKeys.map((key) => ({
      type: 'publickey' as const,
      username: hop.user,
      key,
      passphrase: options.passphrase
    }))
  ]
  // Set by the verifier: the key type the host showed, and whether we refused it.
  let offered: string | undefined
  let hostKeyRefused = false
  return new Promise<void>((resolve, reject) => {
    let settled = false
    const fail = (message: string): void => {
      if (settled) return
      settled = true
      reject(new SshError(message))
    }
    client.once('ready', () => {
      settled = true
      resolve()
    })
    client.on('error', (error: Error & { level?: string; code?: string }) => {
      if (error.level === 'client-socket' || error.level === 'client-dns' || error.code) {
        const reason =
          error.code === 'ECONNREFUSED'
            ? 'connection refused'
            : error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN'
              ? 'no such host'
              : errorText(error)
        fail(`cannot reach ${kind} ${where}: ${reason}`)
      } else if (error.level === 'client-authentication' || error.level === 'agent') {
        fail(`SSH authentication refused by ${name}: the host accepted none of the given keys`)
      } else if (/lost before handshake/i.test(error.message)) {
        fail(`cannot reach ${kind} ${where}: it closed the connection before the SSH handshake`)
      } else if (hostKeyRefused) {
        fail(
          `host key mismatch: ${target} offered a ${offered ?? 'unknown'} key that is not in ssh-known-hosts; ` +
            `${nothing} (check the host, then ssh-keyscan it again)`
        )
      } else if (/no matching host key format/.test(error.message)) {
        fail(
          `host key mismatch: ${target} offers none of the key types listed for it in ssh-known-hosts ` +
            `(${listed.map((line) => line.keyType).join(', ')}); ${nothing}`
        )
      } else {
        fail(`SSH connection to ${target} failed: ${errorText(error)}`)
      }
    })
    // A close without an error first: the host hung up during the handshake.
    client.once('close', () => fail(`${kind} ${where} closed the connection before login`))
    client.connect({
      ...(context.sock ? { sock: context.sock } : {}),
      host: hop.host,
      port: hop.port,
      username: hop.user,
      authHandler: auth,
      readyTimeout: context.readyTimeoutMs,
      keepaliveInterval: KEEPALIVE.intervalMs,
      keepaliveCountMax: KEEPALIVE.countMax,
      // Offer only the key types we can check, so the host shows the one we know.
      algorithms:
        listed.length > 0 ? { serverHostKey: hostKeyAlgorithms(listed) as ServerHostKeyAlgorithm[] } : undefined,
      hostVerifier: (key: Buffer): boolean => {
        offered = blobKeyType(key) || 'unknown'
        const known = isKnownKey(knownLines, hop.host, hop.port, key)
        hostKeyRefused = !known
        return known
      }
    })
    // Each round trip (the handshake's, an Engine API request over dial-stdio)
    // would otherwise wait ~40 ms: without ssh2's native binding, which a
    // bundle does not ship, its cipher writes each packet in several pieces,
    // and Nagle's algorithm holds the last one until the host's delayed ACK.
    // A TCP socket only (the first hop); a later hop's socket is a channel.
    client.setNoDelay(true)
  })
}
