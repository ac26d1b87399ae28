// A target that only bastions reach: real sshds in network namespaces this
// file makes, so that the runner (the root namespace) reaches bastion 1 only,
// bastion 1 reaches the target and bastion 2, and bastion 2 reaches the
// target on an address bastion 1 has no route to:
//
//   runner ── b1 ── target (addressOne)
//              └── b2 ── target (addressTwo)
//
// The bundled action clears a tree there through one and two hops with the
// outputs of a direct run; each bad hop is refused with the target's sshd
// showing no login and the tree unchanged. The CLI follows an ~/.ssh/config
// with ProxyJump; an ssh-agent logs in at every hop; every hop gets keepalives;
// closing closes every hop. The target's file engine is this machine's node
// (one filesystem; only the network is split).
import { afterAll, describe, expect, it, jest } from '@jest/globals'
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { connect as tcpConnect } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import ssh2, { Client } from 'ssh2'
import { listTree, makeAppTree, type AppTree } from '../__fixtures__/app-tree.js'
import { afterThisTest, tempDir } from '../__fixtures__/temp.js'
import { KEEPALIVE, SshError, SshHost, type SshConnectOptions, type SshTarget } from '../src/host/ssh.js'
import { requireNetworkOrSkip } from './helpers/netns.js'
import { REPO_ROOT, runAction, type ActionRun } from './helpers/run-action.js'
import { opensshKeyPair, startSshServer, SSH_USER, type SshServer } from './helpers/ssh-server.js'

const SUITE = 'SSH through jump hosts'
const network = requireNetworkOrSkip(SUITE, 'route')

interface Setup {
  readonly bastion: SshServer
  readonly bastion2: SshServer
  readonly target: SshServer
  /** The target as bastion 1 reaches it, and as bastion 2 does. */
  readonly addressOne: string
  readonly addressTwo: string
  /** Every hop's and the target's host keys, at both addresses. */
  readonly knownHosts: string
  readonly servers: SshServer[]
  /** The namespaces of bastion 1 and of the target. */
  readonly namespaces: { readonly bastion: string; readonly target: string }
}

async function setUp(): Promise<Setup> {
  const net = network!
  const [b1, b2, t] = [net.namespace('b1'), net.namespace('b2'), net.namespace('t')]
  const outer = net.link('root', b1)
  const one = net.link(b1, t)
  const middle = net.link(b1, b2)
  const two = net.link(b2, t)
  const servers: SshServer[] = []
  try {
    const start = async (options: Parameters<typeof startSshServer>[0]): Promise<SshServer> => {
      const server = await startSshServer(options)
      servers.push(server)
      return server
    }
    const bastion = await start({ netns: b1, listenAddress: outer.right, port: 22 })
    const bastion2 = await start({ netns: b2, listenAddress: middle.right, port: 22 })
    const target = await start({ netns: t, listenAddress: one.right, port: 22, config: [`ListenAddress ${two.right}`] })
    // One key logs in everywhere: the target's.
    bastion.authorizeKey(target.publicKey)
    bastion2.authorizeKey(target.publicKey)
    const knownHosts = [bastion.knownHosts, bastion2.knownHosts, target.knownHosts, `${two.right} ${target.hostKey}\n`]
    return {
      bastion,
      bastion2,
      target,
      addressOne: one.right,
      addressTwo: two.right,
      knownHosts: knownHosts.join(''),
      servers,
      namespaces: { bastion: b1, target: t }
    }
  } catch (error) {
    await Promise.all(servers.map((server) => server.stop()))
    net.remove()
    throw error
  }
}

/** The servers, or undefined (skipped visibly) when they cannot start here; under CI=true that throws. */
async function setUpOrSkip(): Promise<Setup | undefined> {
  if (!network) return undefined
  try {
    return await setUp()
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    if (process.env.CI === 'true') throw new Error(`${SUITE}: the test sshds are required in CI: ${reason}`)
    console.warn(`SKIPPED ${SUITE}: the test sshds could not start (${reason})`)
    return undefined
  }
}

const setup = await setUpOrSkip()
afterAll(async () => {
  await Promise.all((setup?.servers ?? []).map((server) => server.stop()))
  network?.remove()
})

const hop = (server: SshServer): SshTarget => ({ user: SSH_USER, host: server.host, port: server.port })

/** `Accepted publickey` lines in a server's log: its logins so far. */
const logins = (server: SshServer): number => (server.log().match(/Accepted publickey for /g) ?? []).length
/** `Connection from` lines: TCP connections its sshd took, logged in or not. */
const connections = (server: SshServer): number => (server.log().match(/Connection from /g) ?? []).length

/** The generated app under a fresh directory of `server`'s account, made writable for it (as remote-files-ssh does). */
function accountTree(server: SshServer): AppTree {
  const base = mkdtempSync(path.join(server.appDir, 'tree-'))
  const tree = makeAppTree(base)
  chmodSync(path.join(tree.root, 'frontend/.next/cache/readonly'), 0o755)
  server.chownToUser(base)
  return tree
}

function errors(run: ActionRun): string[] {
  return run.stdout.split('\n').filter((line) => line.startsWith('::error::'))
}

/** The summary without the host row (the one line a routed run adds to) and the free space. */
function comparableSummary(summary: string): string {
  return summary
    .replace(/<tr><th>Host<\/th><td>[^<]*<\/td><\/tr>\n?/, '')
    .replace(/(<th>Free space (?:before|after)<\/th><td>)[^<]*/g, '$1…')
}

;(setup ? describe : describe.skip)(SUITE, () => {
  const s = setup as Setup
  const login = (overrides: Partial<SshConnectOptions> = {}): SshConnectOptions => ({
    user: SSH_USER,
    host: s.addressOne,
    port: 22,
    jumps: [hop(s.bastion)],
    privateKeys: [s.target.privateKey],
    knownHosts: s.knownHosts,
    ...overrides
  })
  const refusedWith = async (options: SshConnectOptions): Promise<string> => {
    const error = await SshHost.connect(options).then(
      (host) => host.close().then(() => undefined),
      (error: unknown) => error
    )
    expect(error).toBeInstanceOf(SshError)
    const message = (error as Error).message
    expect(message).not.toContain('\n')
    return message
  }
  const runId = async (host: SshHost): Promise<string> => {
    const process = host.exec(['id', '-un'])
    process.stdin.end()
    let out = ''
    process.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
    const exit = await process.exit
    expect(exit.code).toBe(0)
    return out.trim()
  }
  const actionInputs = (tree: AppTree, inputs: Record<string, string>): Record<string, string> => ({
    target: 'frontend,backend',
    'working-directory': tree.root,
    'ssh-key': s.target.privateKey,
    'ssh-known-hosts': s.knownHosts,
    ...inputs
  })

  it('the runner has no route to the target: a direct connection fails', async () => {
    const code = await new Promise<string>((resolve) => {
      const socket = tcpConnect(22, s.addressOne)
      socket.once('connect', () => {
        socket.destroy()
        resolve('connected')
      })
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message))
    })
    expect(code).toBe('EHOSTUNREACH')
    expect(await refusedWith(login({ jumps: [] }))).toMatch(/^cannot reach SSH host 10\.\d+\.\d+\.\d+ port 22: /)
    // Nor does bastion 1 reach the target's second address: that takes bastion 2.
    expect(await refusedWith(login({ host: s.addressTwo }))).toMatch(
      new RegExp(`^cannot reach SSH host ${s.addressTwo} port 22 from jump host ${s.bastion.host} port 22: `)
    )
  })

  it('one hop and two hops log in to the target, and close every hop', async () => {
    for (const options of [login(), login({ host: s.addressTwo, jumps: [hop(s.bastion), hop(s.bastion2)] })]) {
      const before = s.servers.map((server) => (server.log().match(/Disconnected from user /g) ?? []).length)
      const host = await SshHost.connect(options)
      expect(host.name).toBe(`${SSH_USER}@${options.host}:22`)
      expect(host.route).toEqual(options.jumps?.map((jump) => `${jump.host}:22`))
      expect(await runId(host)).toBe(SSH_USER)
      await host.close()
      // Every server the route crossed logs its session's end.
      const crossed = [s.bastion, ...(options.jumps?.length === 2 ? [s.bastion2] : []), s.target]
      await waitFor(() =>
        crossed.every(
          (server) => (server.log().match(/Disconnected from user /g) ?? []).length > before[s.servers.indexOf(server)]
        )
      )
    }
  })

  it('every hop gets the same keepalives', async () => {
    const connect = jest.spyOn(Client.prototype, 'connect')
    try {
      const host = await SshHost.connect(login({ host: s.addressTwo, jumps: [hop(s.bastion), hop(s.bastion2)] }))
      await host.close()
      const configs = connect.mock.calls.map(([config]) => config)
      expect(configs.map((config) => config.host)).toEqual([s.bastion.host, s.bastion2.host, s.addressTwo])
      for (const config of configs) {
        expect(config.keepaliveInterval).toBe(15_000)
        expect(config.keepaliveCountMax).toBe(4)
      }
      expect(KEEPALIVE).toEqual({ intervalMs: 15_000, countMax: 4 })
      // Only the first hop dials TCP; the others run over the hop before.
      expect(configs.map((config) => config.sock === undefined)).toEqual([true, false, false])
    } finally {
      connect.mockRestore()
    }
  })

  it('logs in at every hop through a real ssh-agent', async () => {
    const agent = await startAgent(s.target.privateKey)
    try {
      const host = await SshHost.connect(
        login({
          host: s.addressTwo,
          jumps: [hop(s.bastion), hop(s.bastion2)],
          privateKeys: [],
          agentSocket: agent.socket
        })
      )
      expect(await runId(host)).toBe(SSH_USER)
      await host.close()
      // An agent without the key is refused at the first hop.
      const empty = await startAgent()
      try {
        expect(await refusedWith(login({ privateKeys: [], agentSocket: empty.socket }))).toBe(
          `SSH authentication refused by jump host ${SSH_USER}@${s.bastion.host}:22: the host accepted none of the given keys`
        )
      } finally {
        empty.stop()
      }
    } finally {
      agent.stop()
    }
  })

  it.each([
    [
      'one hop',
      (): Record<string, string> => ({ 'ssh-host': `${SSH_USER}@${s.addressOne}`, 'ssh-proxy-jump': s.bastion.address })
    ],
    [
      'two hops',
      (): Record<string, string> => ({
        'ssh-host': `ssh://${SSH_USER}@${s.addressTwo}:22`,
        'ssh-proxy-jump': `${s.bastion.address}\nssh://${SSH_USER}@${s.bastion2.host}`
      })
    ]
  ])('the bundled action clears the tree through %s, with the outputs of a direct run', async (_, inputs) => {
    // The direct run: bastion 1 itself, which the runner reaches, on an identical tree.
    const here = accountTree(s.bastion)
    const direct = await runAction(tempDir(), actionInputs(here, { 'ssh-host': s.bastion.address }))
    const there = accountTree(s.target)
    const before = logins(s.target)
    const routed = await runAction(tempDir(), actionInputs(there, inputs()))
    expect(routed.stderr).toBe('')
    expect(errors(routed)).toEqual([])
    expect(routed.exitCode).toBe(0)
    expect(direct.exitCode).toBe(0)
    expect(routed.outputs).toEqual(direct.outputs)
    expect(Number(routed.outputs['files-reclaimed-bytes'])).toBeGreaterThan(100_000)
    expect(comparableSummary(routed.summary)).toEqual(comparableSummary(direct.summary))
    const jumps = inputs()['ssh-proxy-jump'].includes('\n')
      ? `${s.bastion.host}:22, ${s.bastion2.host}:22`
      : `${s.bastion.host}:22`
    const targetName = `${SSH_USER}@${inputs()['ssh-host'].includes(s.addressTwo) ? s.addressTwo : s.addressOne}:22`
    expect(routed.summary).toContain(`<th>Host</th><td>${targetName} via ${jumps}</td>`)
    expect(routed.stdout).toContain(`Host: ${targetName} via ${jumps}`)
    expect(listTree(there.root)).toEqual(listTree(here.root))
    expect(listTree(there.outside)).toEqual(listTree(here.outside))
    expect(logins(s.target)).toBe(before + 1)
  })

  /** The bundled action through the route with `inputs`: refused with `message`, the target untouched. */
  async function expectRefused(inputs: Record<string, string>, message: RegExp | string): Promise<void> {
    const tree = accountTree(s.target)
    const listing = listTree(tree.root)
    const before = logins(s.target)
    const run = await runAction(
      tempDir(),
      actionInputs(tree, { 'ssh-host': `${SSH_USER}@${s.addressOne}`, 'ssh-proxy-jump': s.bastion.address, ...inputs })
    )
    expect(run.exitCode).toBe(1)
    const [error, ...more] = errors(run)
    expect(more).toEqual([])
    expect(error.replace(/^::error::/, '')).toMatch(message)
    expect(run.outputs['reclaimed-bytes']).toBe('0')
    expect(logins(s.target)).toBe(before)
    expect(listTree(tree.root)).toEqual(listing)
  }

  it('a bad ssh-proxy-jump is refused before anything connects', async () => {
    const before = connections(s.bastion)
    await expectRefused(
      { 'ssh-proxy-jump': s.bastion.host },
      `Input 'ssh-proxy-jump' has '${s.bastion.host}': each jump host must be user@host, user@host:port or ssh://user@host[:port]`
    )
    await expectRefused(
      { 'ssh-proxy-jump': `${s.bastion.address},-oProxyCommand=id` },
      /^Input 'ssh-proxy-jump' has '-oProxyCommand=id'/
    )
    expect(connections(s.bastion)).toBe(before)
  })

  it("a hop's key missing from ssh-known-hosts is refused before anything connects", async () => {
    const before = connections(s.bastion)
    await expectRefused(
      { 'ssh-known-hosts': s.knownHosts.replace(s.bastion.knownHosts, '') },
      `Input 'ssh-known-hosts' lists no key for the jump host ${s.bastion.host} (ssh-proxy-jump)`
    )
    expect(connections(s.bastion)).toBe(before)
  })

  it('a hop showing another key is refused there: the error names it and the key type it offered', async () => {
    const other = `${s.bastion.host} ${otherHostKey()}\n`
    await expectRefused(
      { 'ssh-known-hosts': s.knownHosts.replace(s.bastion.knownHosts, other) },
      `host key mismatch: jump host ${s.bastion.host} port 22 offered a ssh-ed25519 key that is not in ssh-known-hosts; ` +
        `nothing went past it (check the host, then ssh-keyscan it again)`
    )
    // The second hop, too: nothing reaches the target past it.
    const before = connections(s.target)
    await expectRefused(
      {
        'ssh-host': `${SSH_USER}@${s.addressTwo}`,
        'ssh-proxy-jump': `${s.bastion.address},${s.bastion2.address}`,
        'ssh-known-hosts': s.knownHosts.replace(s.bastion2.knownHosts, `${s.bastion2.host} ${otherHostKey()}\n`)
      },
      `host key mismatch: jump host ${s.bastion2.host} port 22 offered a ssh-ed25519 key that is not in ssh-known-hosts; nothing went past it`
    )
    expect(connections(s.target)).toBe(before)
  })

  it("the target's key missing, or another one, is refused with nothing run there", async () => {
    await expectRefused(
      { 'ssh-known-hosts': s.knownHosts.replace(s.target.knownHosts, '') },
      `Input 'ssh-known-hosts' lists no key for ${s.addressOne}`
    )
    await expectRefused(
      { 'ssh-known-hosts': s.knownHosts.replace(s.target.knownHosts, `${s.addressOne} ${otherHostKey()}\n`) },
      `host key mismatch: ${s.addressOne} port 22 offered a ssh-ed25519 key that is not in ssh-known-hosts; nothing was run there`
    )
  })

  /** The bundled CLI with `args`, HOME set to `home` and no agent. */
  function cli(args: string[], home: string): Promise<{ code: number; stdout: string; stderr: string }> {
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: home }
    delete env.SSH_AUTH_SOCK
    return new Promise((resolve) => {
      execFile(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.cjs'), ...args], { env }, (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr })
      )
    })
  }

  it('the CLI follows ~/.ssh/config (or -F) with ProxyJump, host keys from a hashed known_hosts', async () => {
    const home = tempDir('cac-home-')
    const dotSsh = path.join(home, '.ssh')
    mkdirSync(dotSsh, { mode: 0o700 })
    writeFileSync(path.join(dotSsh, 'deploy_key'), s.target.privateKey, { mode: 0o600 })
    writeFileSync(
      path.join(dotSsh, 'config'),
      [
        'Host app',
        `  HostName ${s.addressOne}`,
        '  ProxyJump jump',
        'Host deep',
        `  HostName ${s.addressTwo}`,
        '  ProxyJump jump,inner',
        'Host jump',
        `  HostName ${s.bastion.host}`,
        'Host inner',
        `  HostName ${s.bastion2.host}`,
        'Host *',
        `  User ${SSH_USER}`,
        '  IdentityFile ~/.ssh/deploy_key'
      ].join('\n') + '\n'
    )
    const knownHostsFile = path.join(dotSsh, 'known_hosts')
    writeFileSync(knownHostsFile, s.knownHosts)
    execFileSync('ssh-keygen', ['-q', '-H', '-f', knownHostsFile], { stdio: 'pipe' })
    expect(readFileSync(knownHostsFile, 'utf8')).not.toContain(s.bastion.host)

    // The direct run: the bastion itself, by its address, on an identical tree.
    const here = accountTree(s.bastion)
    const direct = await cli(
      ['frontend', 'backend', '--ssh-host', s.bastion.address, '--root', here.root, '--json'],
      home
    )
    expect(direct.code).toBe(0)
    const there = accountTree(s.target)
    const before = logins(s.target)
    const routed = await cli(['frontend', 'backend', '--ssh-host', 'app', '--root', there.root, '--json'], home)
    expect(routed.stderr).toBe('')
    expect(routed.code).toBe(0)
    const [directJson, routedJson] = [direct, routed].map(
      (run) => JSON.parse(run.stdout) as { outputs: Record<string, string>; report: { host: string; route?: string[] } }
    )
    expect(routedJson.outputs).toEqual(directJson.outputs)
    expect(routedJson.report.host).toBe(`${SSH_USER}@${s.addressOne}:22`)
    expect(routedJson.report.route).toEqual([`${s.bastion.host}:22`])
    expect(listTree(there.root)).toEqual(listTree(here.root))
    expect(logins(s.target)).toBe(before + 1)

    // Two hops from a file given with -F; the text report names the route.
    const file = path.join(tempDir(), 'ssh_config')
    writeFileSync(file, readFileSync(path.join(dotSsh, 'config')))
    rmSync(path.join(dotSsh, 'config'))
    const deep = accountTree(s.target)
    const twoHops = await cli(['frontend', '--ssh-host', 'deep', '-F', file, '--root', deep.root, '--dry-run'], home)
    expect(twoHops.code).toBe(0)
    expect(twoHops.stdout).toMatch(
      new RegExp(`\\nHost: +${SSH_USER}@${s.addressTwo}:22 via ${s.bastion.host}:22, ${s.bastion2.host}:22\\n`)
    )
    expect(logins(s.target)).toBe(before + 2)
    // Without the config, `deep` is just a name: nothing resolves it (the default key is there, its host key is not).
    writeFileSync(path.join(dotSsh, 'id_ed25519'), s.target.privateKey, { mode: 0o600 })
    const unresolved = await cli(['frontend', '--ssh-host', 'deep', '--root', deep.root, '--dry-run'], home)
    expect(unresolved.code).toBe(2)
    expect(unresolved.stderr).toMatch(/^error: '~\/\.ssh\/known_hosts' lists no key for deep/)
  })

  it('a hop that refuses the key, will not forward, or lets the whole route time out: one line naming it', async () => {
    const stranger = opensshKeyPair()
    s.target.authorizeKey(stranger.public)
    expect(await refusedWith(login({ privateKeys: [stranger.private] }))).toBe(
      `SSH authentication refused by jump host ${SSH_USER}@${s.bastion.host}:22: the host accepted none of the given keys`
    )
    // A jump host nothing listens on.
    const knownClosedPort = `${s.knownHosts}[${s.bastion.host}]:2 ${s.bastion.hostKey}\n`
    expect(await refusedWith(login({ jumps: [{ ...hop(s.bastion), port: 2 }], knownHosts: knownClosedPort }))).toBe(
      `cannot reach jump host ${s.bastion.host} port 2: connection refused`
    )
    // A bastion whose sshd forwards nothing, beside bastion 1.
    const closed = await startSshServer({
      netns: s.namespaces.bastion,
      listenAddress: s.bastion.host,
      port: 2222,
      config: ['AllowTcpForwarding no']
    })
    afterThisTest(() => void closed.stop())
    closed.authorizeKey(s.target.publicKey)
    expect(await refusedWith(login({ jumps: [hop(closed)], knownHosts: s.knownHosts + closed.knownHosts }))).toMatch(
      new RegExp(
        `^jump host ${s.bastion.host} port 2222 will not forward to ${s.addressOne} port 22: .+ ` +
          `\\(its sshd must allow TCP forwarding for this user\\)$`
      )
    )
    // A port on the target that accepts and says nothing: the one deadline runs out on that hop.
    const silent = await silentListener(s.namespaces.target, s.addressOne, 2223)
    afterThisTest(() => silent.kill())
    const knownHosts = `${s.knownHosts}[${s.addressOne}]:2223 ${s.target.hostKey}\n`
    expect(await refusedWith(login({ port: 2223, connectTimeoutMs: 1500, knownHosts }))).toBe(
      `cannot reach SSH host ${s.addressOne} port 2223: no answer within 1.5 s`
    )
  })
})

/** Polls `check` every 100 ms, 10 s at most (a bound for a loaded machine, not a measured time). */
async function waitFor(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting')
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** A host key line's key part (`ssh-ed25519 AAAA…`) that no server here has. */
function otherHostKey(): string {
  return ssh2.utils.generateKeyPairSync('ed25519').public.split(' ').slice(0, 2).join(' ')
}

/** OpenSSH's ssh-agent on its own socket, holding `privateKey` when given. */
async function startAgent(privateKey?: string): Promise<{ socket: string; stop(): void }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cac-agent-'))
  const socket = path.join(dir, 'agent.sock')
  const agent: ChildProcess = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' })
  const stop = (): void => {
    agent.kill('SIGTERM')
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    await waitFor(() => existsSync(socket))
    if (privateKey) {
      const keyFile = path.join(dir, 'key')
      writeFileSync(keyFile, privateKey, { mode: 0o600 })
      execFileSync('ssh-add', ['-q', keyFile], { env: { ...process.env, SSH_AUTH_SOCK: socket }, stdio: 'pipe' })
      rmSync(keyFile)
    }
  } catch (error) {
    stop()
    throw error
  }
  return { socket, stop }
}

/** A TCP listener in `namespace` that accepts and never answers. */
async function silentListener(namespace: string, address: string, port: number): Promise<{ kill(): void }> {
  const script = `require('net').createServer(() => {}).listen(${port}, '${address}', () => console.log('listening'))`
  const child = spawn('ip', ['netns', 'exec', namespace, process.execPath, '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit']
  })
  let out = ''
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
  await waitFor(() => out.includes('listening'))
  return { kill: () => child.kill('SIGKILL') }
}
