// A real OpenSSH server on loopback, as the "remote host" of the SSH tests:
// its own port, config and ed25519 host key in a fresh /tmp/cac-sshd-XXXX
// directory, one unprivileged account (`cacdeploy`, created when missing)
// that logs in with a generated ed25519 key, and known_hosts built from the
// server's real host key.
//
//   const server = await startSshServer({ path: binDirWithoutNode, engine })
//   inputs: { 'ssh-host': server.address, 'ssh-key': server.privateKey, 'ssh-known-hosts': server.knownHosts }
//   server.appDir: a directory owned by the account, for app trees (chownToUser after writing into it)
//   await server.stop()
//
// Like the private engine, the suites that need it skip visibly without it,
// except under CI=true, where that is a failure (requireSshServerOrSkip).
import { spawnSync } from 'node:child_process'
import {
  appendFileSync,
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { freePort } from './loopback.js'
import { startSshdProcess } from './sshd-process.js'
import path from 'node:path'
import type { SshConnectOptions } from '../../src/host/ssh.js'
import type { Engine } from './engine.js'

/** The account the SSH tests log in as. */
export const SSH_USER = 'cacdeploy'

export interface SshServerOptions {
  /**
   * PATH of the account's sessions (sshd SetEnv). Default: this process's PATH, so `docker` and `node` are found;
   * with `engine`, that engine's CLI directory first.
   */
  readonly path?: string
  /**
   * Sessions get DOCKER_HOST pointing at this engine and its DOCKER_CONFIG (28.5: the CLI's plugins), and the
   * account may use its socket. A `path` of your own should hold that engine's CLI (`engine.cli`).
   */
  readonly engine?: Engine
  /** More environment for the sessions (sshd SetEnv; values without spaces). */
  readonly env?: Readonly<Record<string, string>>
  /** The server's host key type. Default ed25519. */
  readonly hostKeyType?: 'ed25519' | 'ecdsa' | 'rsa'
  /** Run sshd in this network namespace (see netns.ts), listening on `listenAddress`. */
  readonly netns?: string
  /** The address sshd listens on (its `host`). Default 127.0.0.1; 0.0.0.0 for every address of its namespace. */
  readonly listenAddress?: string
  /** The port. Default: a free loopback port (22 suits a namespace of its own). */
  readonly port?: number
  /** More sshd_config lines, e.g. `AllowTcpForwarding no`. */
  readonly config?: readonly string[]
}

export interface SshServer {
  /** The listen address: 127.0.0.1 unless listenAddress was given. */
  readonly host: string
  readonly port: number
  readonly user: string
  readonly uid: number
  readonly gid: number
  /** The `ssh-host` input: cacdeploy@HOST:PORT. */
  readonly address: string
  /** The `ssh-key` input: the account's private key (OpenSSH format, ed25519, no passphrase). */
  readonly privateKey: string
  /** Its public key line (`ssh-ed25519 AAAA… cac-test-client`), for another server's authorizeKey. */
  readonly publicKey: string
  /** The `ssh-known-hosts` input: `[127.0.0.1]:PORT ssh-ed25519 AAAA...` (`HOST ssh-…` on port 22), the server's real host key. */
  readonly knownHosts: string
  /** SshHost.connect options that log in as the account with its key, checking the real host key. */
  readonly login: SshConnectOptions
  /** The host key line as `ssh-keyscan` prints it after the host name: `ssh-ed25519 AAAA...`. */
  readonly hostKey: string
  /** An empty directory owned by the account (mode 0755), for app trees. */
  readonly appDir: string
  /** Lets one more public key (`ssh-rsa AAAA...`) log in as the account. */
  authorizeKey(publicKey: string): void
  /** Gives `target` and everything under it to the account. */
  chownToUser(target: string): void
  /** The sshd log so far: one `Accepted publickey for cacdeploy` line per login. */
  log(): string
  /** Cuts every open connection (kills the listener's per-connection sshd processes), as a network drop would. */
  dropConnections(): void
  stop(): Promise<void>
}

function run(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8' })
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${result.stderr || result.error}`)
  return result.stdout
}

/**
 * A fresh ed25519 key pair made by ssh-keygen. Not ssh2.utils.generateKeyPairSync: ssh2 could not
 * open 74 of 20,000 of its private keys (nor ssh-keygen -y the 3 tried).
 */
export function opensshKeyPair(): { private: string; public: string } {
  const dir = mkdtempSync('/tmp/cac-key-')
  try {
    const file = path.join(dir, 'key')
    run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file])
    return { private: readFileSync(file, 'utf8'), public: readFileSync(`${file}.pub`, 'utf8').trim() }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Creates the account when missing; its password is '*' (no password login, but not "locked" for sshd). */
function ensureUser(): { uid: number; gid: number } {
  const exists = (): boolean => spawnSync('id', ['-u', SSH_USER]).status === 0
  if (!exists()) {
    const made = spawnSync('useradd', ['--create-home', '--shell', '/bin/sh', SSH_USER], { encoding: 'utf8' })
    // Another test file may have created it meanwhile.
    if (made.status !== 0 && !exists()) throw new Error(`useradd ${SSH_USER}: ${made.stderr}`)
  }
  run('usermod', ['-p', '*', SSH_USER])
  return { uid: Number(run('id', ['-u', SSH_USER])), gid: Number(run('id', ['-g', SSH_USER])) }
}

/** Direct children of pid (ps --ppid). */
function childPids(pid: number): number[] {
  const text = spawnSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' }).stdout
  return text
    .split('\n')
    .map((line) => Number(line.trim()))
    .filter((child) => child > 0)
}

function chownTree(target: string, uid: number, gid: number): void {
  run('chown', ['-R', `${uid}:${gid}`, target])
}

/** Starts sshd on a free loopback port; throws with the log's tail if it does not come up. */
export async function startSshServer(options: SshServerOptions = {}): Promise<SshServer> {
  const sshd = ['/usr/sbin/sshd', '/usr/bin/sshd'].find((p) => existsSync(p))
  if (!sshd) throw new Error('sshd (openssh-server) is not installed')
  if (process.getuid?.() !== 0) throw new Error('a test sshd with its own account needs root')
  const { uid, gid } = ensureUser()
  const dir = mkdtempSync('/tmp/cac-sshd-')
  // sshd reads authorized_keys as the account: the directory must be readable by it.
  chmodSync(dir, 0o755)
  const file = (name: string): string => path.join(dir, name)
  run('ssh-keygen', [
    '-q',
    '-t',
    options.hostKeyType ?? 'ed25519',
    '-N',
    '',
    '-C',
    'cac-test-host',
    '-f',
    file('host_key')
  ])
  run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'cac-test-client', '-f', file('client_key')])
  writeFileSync(file('authorized_keys'), readFileSync(file('client_key.pub')), { mode: 0o644 })
  const appDir = file('app')
  mkdirSync(appDir, { mode: 0o755 })
  chownTree(appDir, uid, gid)

  const defaultPath = [options.engine?.binDir, process.env.PATH ?? '/usr/bin:/bin'].filter(Boolean).join(path.delimiter)
  const env: Record<string, string> = { PATH: options.path ?? defaultPath, ...options.env }
  if (options.engine) {
    env.DOCKER_HOST = options.engine.host
    if (options.engine.dockerConfig && !options.env?.DOCKER_CONFIG) env.DOCKER_CONFIG = options.engine.dockerConfig
    // The engine lives in a 0700 temp dir: let the account through to its socket.
    chmodSync(options.engine.dir, 0o711)
    chownSync(options.engine.socket, uid, gid)
  }
  for (const [key, value] of Object.entries(env)) {
    if (/\s/.test(value)) throw new Error(`SetEnv ${key}: values with spaces are not supported`)
  }
  const port = options.port ?? (await freePort())
  const listenAddress = options.listenAddress ?? '127.0.0.1'
  writeFileSync(
    file('sshd_config'),
    [
      `ListenAddress ${listenAddress}`,
      `Port ${port}`,
      `HostKey ${file('host_key')}`,
      `PidFile ${file('sshd.pid')}`,
      `AuthorizedKeysFile ${file('authorized_keys')}`,
      `AllowUsers ${SSH_USER}`,
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      'MaxSessions 64',
      `SetEnv ${Object.entries(env)
        .map(([key, value]) => `${key}=${value}`)
        .join(' ')}`,
      ...(options.config ?? [])
    ].join('\n') + '\n'
  )
  const {
    pid: sshdPid,
    log: readLog,
    stop
  } = await startSshdProcess(sshd, dir, file('sshd_config'), port, [], { netns: options.netns })
  const hostKey = readFileSync(file('host_key.pub'), 'utf8').trim().split(/\s+/).slice(0, 2).join(' ')
  const privateKey = readFileSync(file('client_key'), 'utf8')
  const publicKey = readFileSync(file('client_key.pub'), 'utf8').trim()
  const host = listenAddress
  const knownHosts = `${port === 22 ? host : `[${host}]:${port}`} ${hostKey}\n`
  return {
    host,
    port,
    user: SSH_USER,
    uid,
    gid,
    address: `${SSH_USER}@${host}:${port}`,
    privateKey,
    publicKey,
    knownHosts,
    login: { user: SSH_USER, host, port, privateKeys: [privateKey], knownHosts },
    hostKey,
    appDir,
    authorizeKey: (publicKey) => appendFileSync(file('authorized_keys'), `${publicKey.trim()}\n`),
    chownToUser: (target) => chownTree(target, uid, gid),
    log: readLog,
    dropConnections: () => {
      // Every descendant: the session's privilege-separated child holds the socket too.
      const descendants = (pid: number): number[] => childPids(pid).flatMap((c) => [c, ...descendants(c)])
      for (const pid of descendants(sshdPid)) process.kill(pid, 'SIGKILL')
    },
    stop
  }
}

/** A server for a suite, or undefined (skipped visibly) when sshd cannot start here; under CI=true that throws. */
export async function requireSshServerOrSkip(
  suite: string,
  options: SshServerOptions = {}
): Promise<SshServer | undefined> {
  try {
    return await startSshServer(options)
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    if (process.env.CI === 'true')
      throw new Error(`${suite}: a test sshd is required in CI but could not start: ${reason}`)
    console.warn(`SKIPPED ${suite}: no test sshd (${reason})`)
    return undefined
  }
}
