// src/host/ssh.ts against a real sshd on loopback (helpers/ssh-server.ts):
// one connection for many commands, bytes intact both ways, and each fault
// refused with one line before anything runs on the host.
import { afterAll, describe, expect, test } from '@jest/globals'
import { createHash, randomBytes } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import path from 'node:path'
import { commandLine, SshError, SshHost, type SshConnectOptions } from '../src/host/ssh.js'
import { freePort } from './helpers/loopback.js'
import { requireSshServerOrSkip, startSshServer, type SshServer } from './helpers/ssh-server.js'

describe('commandLine: only plain words reach the remote shell', () => {
  test.each([
    [['docker', 'system', 'dial-stdio'], {}, 'docker system dial-stdio'],
    [['node', '-'], { NODE_OPTIONS: '--max-old-space-size=512' }, 'env NODE_OPTIONS=--max-old-space-size=512 node -'],
    [['ls', '/srv/app_1/x.y', 'a=b,c:d@e%f+g'], {}, 'ls /srv/app_1/x.y a=b,c:d@e%f+g']
  ])('%j %j', (argv, env, line) => {
    expect(commandLine(argv, env)).toBe(line)
  })
  test.each([['rm -rf /'], ['$(id)'], ['a;b'], ["it's"], ['a b'], ['`id`'], ['a\nb'], ['*'], ['~'], ['']])(
    '%j is refused',
    (word) => {
      expect(() => commandLine(['echo', word])).toThrow(/only plain words/)
      if (word !== '') expect(() => commandLine(['env'], { X: word })).toThrow(/only plain words/)
    }
  )
})

const server = await requireSshServerOrSkip('ssh-host.test.ts')
afterAll(async () => {
  await server?.stop()
})
const describeIf = server ? describe : describe.skip

async function output(
  host: SshHost,
  argv: string[],
  input?: Buffer
): Promise<{ stdout: Buffer; stderr: string; code: number | null }> {
  const proc = host.exec(argv)
  const chunks: Buffer[] = []
  let stderr = ''
  proc.stdout.on('data', (c: Buffer) => chunks.push(c))
  proc.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
  proc.stdin.end(input)
  const exit = await proc.exit
  if (exit.error) throw exit.error
  return { stdout: Buffer.concat(chunks), stderr, code: exit.code }
}

const logins = (s: SshServer): number =>
  s
    .log()
    .split('\n')
    .filter((line) => line.includes('Accepted publickey for cacdeploy')).length

describeIf('SshHost against a real sshd', () => {
  const s = server as SshServer
  const options = (more: Partial<SshConnectOptions> = {}): SshConnectOptions => ({ ...s.login, ...more })

  test('many commands, one connection: as the account, with its environment, exit codes and stderr', async () => {
    const before = logins(s)
    const host = await SshHost.connect(options())
    try {
      expect(host.name).toBe(`cacdeploy@127.0.0.1:${s.port}`)
      expect((await output(host, ['id', '-un'])).stdout.toString().trim()).toBe('cacdeploy')
      expect((await output(host, ['printenv', 'PATH'])).stdout.toString().trim()).toBe(process.env.PATH)
      const failed = await output(host, ['ls', '/nonexistent-cac'])
      expect(failed.code).toBe(2)
      expect(failed.stderr).toContain('/nonexistent-cac')
      // Several at once, as channels of the same connection.
      const words = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((word) => output(host, ['echo', word])))
      expect(words.map((w) => w.stdout.toString().trim())).toEqual(['a', 'b', 'c', 'd', 'e'])
    } finally {
      await host.close()
    }
    expect(logins(s) - before).toBe(1)
  })

  test('stdin and stdout carry 8 MiB of random bytes intact', async () => {
    const host = await SshHost.connect(options())
    try {
      const data = randomBytes(8 * 1024 * 1024)
      const echoed = await output(host, ['cat'], data)
      expect(echoed.stdout.length).toBe(data.length)
      expect(createHash('sha256').update(echoed.stdout).digest('hex')).toBe(
        createHash('sha256').update(data).digest('hex')
      )
      const sum = await output(host, ['sha256sum'], data)
      expect(sum.stdout.toString().split(' ')[0]).toBe(createHash('sha256').update(data).digest('hex'))
    } finally {
      await host.close()
    }
  })

  test('hashed known_hosts entries (ssh-keygen -H), beside another key for the same host, are accepted', async () => {
    const dir = mkdtempSync('/tmp/cac-kh-')
    try {
      const file = path.join(dir, 'known_hosts')
      writeFileSync(file, `[127.0.0.1]:${s.port} ${otherKey(dir)}\n${s.knownHosts}`)
      execFileSync('ssh-keygen', ['-q', '-H', '-f', file], { stdio: 'pipe' })
      const hashed = readFileSync(file, 'utf8')
      expect(hashed).not.toContain('127.0.0.1')
      expect(hashed.match(/^\|1\|/gm)).toHaveLength(2)
      const host = await SshHost.connect(options({ knownHosts: hashed }))
      expect((await output(host, ['true'])).code).toBe(0)
      await host.close()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  test('RSA: a login key signed with rsa-sha2 (OpenSSH 9 refuses SHA-1), and an RSA host key', async () => {
    const dir = mkdtempSync('/tmp/cac-rsa-')
    const rsaServer = await startSshServer({ hostKeyType: 'rsa' })
    try {
      execFileSync('ssh-keygen', ['-q', '-t', 'rsa', '-b', '2048', '-N', '', '-f', path.join(dir, 'rsa')])
      s.authorizeKey(readFileSync(path.join(dir, 'rsa.pub'), 'utf8'))
      const rsaKey = readFileSync(path.join(dir, 'rsa'), 'utf8')
      const host = await SshHost.connect(options({ privateKeys: [rsaKey] }))
      expect((await output(host, ['id', '-un'])).stdout.toString().trim()).toBe('cacdeploy')
      await host.close()

      expect(rsaServer.hostKey).toMatch(/^ssh-rsa /)
      const rsaHost = await SshHost.connect(rsaServer.login)
      expect((await output(rsaHost, ['true'])).code).toBe(0)
      await rsaHost.close()
    } finally {
      await rsaServer.stop()
      rmSync(dir, { recursive: true, force: true })
    }
  })

  /** Connects, expecting a one-line SshError and no login on the server. */
  async function refused(more: Partial<SshConnectOptions>): Promise<string> {
    const before = logins(s)
    const error = await SshHost.connect(options(more)).then(
      async (host) => {
        await host.close()
        return undefined
      },
      (e: unknown) => e
    )
    expect(error).toBeInstanceOf(SshError)
    const message = (error as Error).message
    expect(message).not.toContain('\n')
    expect(logins(s)).toBe(before)
    return message
  }

  test('a host key not in known_hosts: refused before login, naming host and the key type offered', async () => {
    const dir = mkdtempSync('/tmp/cac-kh-')
    try {
      const message = await refused({ knownHosts: `[127.0.0.1]:${s.port} ${otherKey(dir)}\n` })
      expect(message).toBe(
        `host key mismatch: 127.0.0.1 port ${s.port} offered a ssh-ed25519 key that is not in ssh-known-hosts; ` +
          'nothing was run there (check the host, then ssh-keyscan it again)'
      )
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  test('known_hosts for another host or port only: refused', async () => {
    expect(await refused({ knownHosts: `127.0.0.1 ${s.hostKey}\n[127.0.0.2]:${s.port} ${s.hostKey}\n` })).toMatch(
      /^host key mismatch: 127\.0\.0\.1 port \d+ offered a ssh-ed25519 key/
    )
    expect(await refused({ knownHosts: '' })).toMatch(/^host key mismatch/)
  })

  test('a key the host does not accept: authentication refused', async () => {
    const dir = mkdtempSync('/tmp/cac-kh-')
    try {
      otherKey(dir)
      expect(await refused({ privateKeys: [readFileSync(path.join(dir, 'k'), 'utf8')] })).toBe(
        `SSH authentication refused by cacdeploy@127.0.0.1:${s.port}: the host accepted none of the given keys`
      )
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  test('nothing listening: a connect error naming host and port', async () => {
    const port = await freePort()
    const error = await SshHost.connect(options({ port })).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SshError)
    expect((error as Error).message).toBe(`cannot reach SSH host 127.0.0.1 port ${port}: connection refused`)
  })

  test('a host that never answers: a timeout naming host and port', async () => {
    // A TCP listener that accepts and says nothing.
    const mute = createServer(() => undefined)
    await new Promise<void>((resolve) => mute.listen(0, '127.0.0.1', resolve))
    const port = (mute.address() as AddressInfo).port
    try {
      const error = await SshHost.connect(options({ port, connectTimeoutMs: 500 })).catch((e: unknown) => e)
      expect((error as Error).message).toBe(`cannot reach SSH host 127.0.0.1 port ${port}: no answer within 0.5 s`)
    } finally {
      mute.close()
    }
  })

  test('a host that hangs up before the handshake: one line naming host and port', async () => {
    const rude = createServer((socket) => socket.destroy())
    await new Promise<void>((resolve) => rude.listen(0, '127.0.0.1', resolve))
    const port = (rude.address() as AddressInfo).port
    try {
      const error = await SshHost.connect(options({ port })).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(SshError)
      expect((error as Error).message).toBe(
        `cannot reach SSH host 127.0.0.1 port ${port}: it closed the connection before the SSH handshake`
      )
    } finally {
      rude.close()
    }
  })

  test('the connection dropping mid-command: the command ends with a one-line error; later commands too', async () => {
    const host = await SshHost.connect(options())
    try {
      const proc = host.exec(['sleep', '30'])
      proc.stdout.resume()
      proc.stderr.resume()
      await new Promise((resolve) => setTimeout(resolve, 300))
      s.dropConnections()
      const exit = await proc.exit
      expect(exit.code).toBeNull()
      expect(exit.error?.message).toMatch(/^the SSH connection to cacdeploy@127\.0\.0\.1:\d+ dropped while sleep ran: /)
      const after = await host.exec(['true']).exit
      expect(after.error?.message).toMatch(/^the SSH connection to cacdeploy@127\.0\.0\.1:\d+ dropped: /)
    } finally {
      await host.close()
    }
  })
})

/** A fresh ed25519 key pair in dir (k, k.pub); returns the public key as `type base64`. */
function otherKey(dir: string): string {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'k')])
  return readFileSync(path.join(dir, 'k.pub'), 'utf8').split(' ').slice(0, 2).join(' ')
}
