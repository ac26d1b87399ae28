// A host reached over ONE SSH connection (the `ssh2` package, pure JavaScript):
// every exec is a channel on it, so a run costs one handshake. The key stays
// in memory; the host key is checked against the given known_hosts lines
// before anything runs (no trust on first use, no switch to skip it).
import { PassThrough } from 'node:stream'
import { Client, type AnyAuthMethod, type ClientChannel, type ServerHostKeyAlgorithm } from 'ssh2'
import type { Host, HostExit, HostProcess } from './host.js'
import { acceptedKeys, blobKeyType, hostKeyAlgorithms, isKnownKey, parseKnownHosts } from './known-hosts.js'
import { SshError } from './ssh-error.js'

export { SshError }

export interface SshTarget {
  readonly user: string
  readonly host: string
  readonly port: number
}

export interface SshConnectOptions extends SshTarget {
  /** OpenSSH private keys (PEM text), tried in order after the agent. */
  readonly privateKeys: readonly string[]
  readonly passphrase?: string
  /** An ssh-agent socket (SSH_AUTH_SOCK), tried first. */
  readonly agentSocket?: string
  /** known_hosts text: the only keys the host may show. */
  readonly knownHosts: string
  /** Time allowed for TCP connect + handshake + authentication. Default 20 s. */
  readonly connectTimeoutMs?: number
}

const DEFAULT_CONNECT_TIMEOUT_MS = 20_000
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
    if (!/^[\w@%+=:,./-]+$/.test(word)) {
      throw new Error(`refusing to send ${JSON.stringify(word)} in a remote command line: only plain words go there`)
    }
  }
  if (argv.length === 0) throw new Error('no command to run')
  return words.join(' ')
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

export class SshHost implements Host {
  readonly remote = true
  private dropped: string | undefined
  private readonly channels = new Set<ClientChannel>()

  private constructor(
    private readonly client: Client,
    readonly name: string
  ) {
    const drop = (reason: string): void => {
      this.dropped ??= reason
      for (const channel of this.channels) channel.destroy()
    }
    client.on('error', (error) => drop(errorText(error)))
    client.on('close', () => drop('the connection closed'))
  }

  /** Opens the connection: reachable, host key known, authenticated. Throws SshError otherwise. */
  static async connect(options: SshConnectOptions): Promise<SshHost> {
    const name = sshName(options)
    const where = `${options.host.includes(':') ? `[${options.host}]` : options.host} port ${options.port}`
    const knownLines = parseKnownHosts(options.knownHosts)
    const listed = acceptedKeys(knownLines, options.host, options.port)
    // Set by the verifier: the key type the host showed, and whether we refused it.
    let offered: string | undefined
    let hostKeyRefused = false
    const auth: AnyAuthMethod[] = [
      ...(options.agentSocket ? [{ type: 'agent' as const, username: options.user, agent: options.agentSocket }] : []),
      ...options.privateKeys.map((key) => ({
        type: 'publickey' as const,
        username: options.user,
        key,
        passphrase: options.passphrase
      }))
    ]
    if (auth.length === 0) throw new SshError(`no SSH key to log in to ${name} with`)
    const timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS
    const client = new Client()
    return new Promise<SshHost>((resolve, reject) => {
      let settled = false
      const fail = (message: string): void => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        client.removeAllListeners('ready')
        client.end()
        client.destroy()
        reject(new SshError(message))
      }
      // ssh2's readyTimeout starts only after TCP connects: one deadline for it all.
      const timer = setTimeout(
        () => fail(`cannot reach SSH host ${where}: no answer within ${timeoutMs / 1000} s`),
        timeoutMs
      )
      client.once('ready', () => {
        settled = true
        clearTimeout(timer)
        client.removeAllListeners('error')
        client.removeAllListeners('close')
        resolve(new SshHost(client, name))
      })
      client.on('error', (error: Error & { level?: string; code?: string }) => {
        if (error.level === 'client-socket' || error.level === 'client-dns' || error.code) {
          const reason =
            error.code === 'ECONNREFUSED'
              ? 'connection refused'
              : error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN'
                ? 'no such host'
                : errorText(error)
          fail(`cannot reach SSH host ${where}: ${reason}`)
        } else if (error.level === 'client-authentication' || error.level === 'agent') {
          fail(`SSH authentication refused by ${name}: the host accepted none of the given keys`)
        } else if (/lost before handshake/i.test(error.message)) {
          fail(`cannot reach SSH host ${where}: it closed the connection before the SSH handshake`)
        } else if (hostKeyRefused) {
          fail(
            `host key mismatch: ${where} offered a ${offered ?? 'unknown'} key that is not in ssh-known-hosts; ` +
              `nothing was run there (check the host, then ssh-keyscan it again)`
          )
        } else if (/no matching host key format/.test(error.message)) {
          fail(
            `host key mismatch: ${where} offers none of the key types listed for it in ssh-known-hosts ` +
              `(${listed.map((line) => line.keyType).join(', ')}); nothing was run there`
          )
        } else {
          fail(`SSH connection to ${where} failed: ${errorText(error)}`)
        }
      })
      // A close without an error first: the host hung up during the handshake.
      client.once('close', () => fail(`SSH host ${where} closed the connection before login`))
      client.connect({
        host: options.host,
        port: options.port,
        username: options.user,
        authHandler: auth,
        readyTimeout: timeoutMs,
        keepaliveInterval: 15_000,
        keepaliveCountMax: 4,
        // Offer only the key types we can check, so the host shows the one we know.
        algorithms:
          listed.length > 0 ? { serverHostKey: hostKeyAlgorithms(listed) as ServerHostKeyAlgorithm[] } : undefined,
        hostVerifier: (key: Buffer): boolean => {
          offered = blobKeyType(key) || 'unknown'
          const known = isKnownKey(knownLines, options.host, options.port, key)
          hostKeyRefused = !known
          return known
        }
      })
    })
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
        channel.pipe(stdout)
        channel.stderr.pipe(stderr)
        stdin.pipe(channel)
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
    await new Promise<void>((resolve) => {
      this.client.once('close', () => resolve())
      this.client.end()
      setTimeout(() => {
        this.client.destroy()
        resolve()
      }, 2000).unref()
    })
  }
}
