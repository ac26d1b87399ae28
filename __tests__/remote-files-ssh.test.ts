// The file half on a host reached over SSH: a real sshd on loopback, the
// unprivileged account `cacdeploy` owning the app tree. With the host's node;
// without it, in a container through the host's engine; with neither, or a
// node too old, refused with nothing changed; and a connection that drops
// mid-clear.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { chmodSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { createServer, connect as tcpConnect, type AddressInfo, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { listTree, makeAppTree, type AppTree } from '../__fixtures__/app-tree.js'
import { afterThisTest, sshWithImage, tempDir, testSettings } from '../__fixtures__/temp.js'
import type { Host } from '../src/host/host.js'
import { describeEngines, docker, requireEnginesOrSkip } from './helpers/engine.js'
import { runAction, type ActionRun } from './helpers/run-action.js'
import { makeNodeImage } from './helpers/node-image.js'
import { mountScratch } from './helpers/scratch-fs.js'
import { requireSshServerOrSkip, type SshServer } from './helpers/ssh-server.js'
import { comparable } from './helpers/file-work.js'
import { freshRemoteBundle } from './helpers/remote-bundle.js'

const remoteBundle = freshRemoteBundle()

jest.unstable_mockModule('../src/remote/script.js', () => ({
  readRemoteScript: async () => remoteBundle.read()
}))
const { clearFiles } = await import('../src/files.js')
const { clearFilesOnHost } = await import('../src/remote/files.js')
const { SshHost } = await import('../src/host/ssh.js')

// Servers outlive single tests: their PATH directories are removed when this file ends.
const binDirs: string[] = []
afterAll(() => binDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })))

/** A directory the account can read, holding links to `commands` (name → target). */
function binDir(commands: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'cac-ssh-bin-'))
  binDirs.push(dir)
  chmodSync(dir, 0o755)
  for (const [name, target] of Object.entries(commands)) symlinkSync(target, path.join(dir, name))
  return dir
}

/**
 * The generated app, for an unprivileged account. Its read-only directory is
 * made writable: emptying one is issue 10's (the remover as a non-root user),
 * and the trees cleared here are compared with root's local runs.
 */
function userTree(base: string): AppTree {
  const tree = makeAppTree(base)
  chmodSync(path.join(tree.root, 'frontend/.next/cache/readonly'), 0o755)
  return tree
}

/** The generated app under a fresh directory the account owns. */
function accountTree(server: SshServer, base = mkdtempSync(path.join(server.appDir, 'tree-'))): AppTree {
  const tree = userTree(base)
  server.chownToUser(base)
  return tree
}

async function connect(server: SshServer, port = server.port): Promise<Host> {
  // Another port (a relay) needs the known_hosts line for that port.
  const knownHosts = server.knownHosts.replace(`]:${server.port} `, `]:${port} `)
  const host = await SshHost.connect({ ...server.login, port, knownHosts })
  afterThisTest(() => void host.close())
  return host
}

const withNode = await requireSshServerOrSkip('remote files over SSH with node')
afterAll(async () => withNode?.stop())

;(withNode ? describe : describe.skip)('clearFilesOnHost over SSH, with the host’s node', () => {
  const server = withNode as SshServer

  it('clears the generated tree exactly; the bytes are the scratch filesystem’s free-space change', async () => {
    const scratch = mountScratch('ext4')
    if (!scratch) return
    afterThisTest(() => scratch.unmount())
    // mkdtemp made the mount's parent 0700: let the account through.
    chmodSync(path.dirname(scratch.dir), 0o755)
    // The tree cleared locally is on the same filesystem: block sizes are its own.
    const here = userTree(path.join(scratch.dir, 'here'))
    const there = accountTree(server, path.join(scratch.dir, 'there'))
    const local = await clearFiles(testSettings(here.root, ['frontend', 'backend']))
    const host = await connect(server)
    const before = scratch.free()
    const remote = await clearFilesOnHost(host, testSettings(there.root, ['frontend', 'backend']))
    expect(remote.files?.bytes).toBe(scratch.free() - before)
    expect(comparable(remote)).toEqual(comparable(local))
    expect(listTree(there.root)).toEqual(listTree(here.root))
    expect(listTree(there.outside)).toEqual(listTree(here.outside))
  })

  it('the bundled action gives the outputs and summary a local run of the same tree gives', async () => {
    const run = await expectSameAsLocal(server)
    expect(Number(run.outputs['files-reclaimed-bytes'])).toBeGreaterThan(100_000)
    await expectSameAsLocal(server, { 'dry-run': 'true' })
  })

  it('fails naming the version when the session’s node is older than 20, and changes nothing', async () => {
    const fake = tempDir('cac-old-node-')
    chmodSync(fake, 0o755)
    writeFileSync(path.join(fake, 'node'), '#!/bin/sh\necho v18.0.0\n', { mode: 0o755 })
    const old = await requireSshServerOrSkip('remote files over SSH, node too old', { path: fake })
    if (!old) return
    afterThisTest(() => void old.stop())
    const tree = accountTree(old)
    const before = listTree(tree.root)
    const run = clearFilesOnHost(await connect(old), testSettings(tree.root, ['frontend', 'backend']))
    await expect(run).rejects.toThrow(
      new RegExp(
        `^cannot clear the files on ${old.address.replace(/\./g, '\\.')}: its node is v18\\.0\\.0, older than 20, and no Docker engine answered there`
      )
    )
    expect(listTree(tree.root)).toEqual(before)
  })

  it('fails naming both ways when the session has neither node nor docker, and changes nothing', async () => {
    const bare = await requireSshServerOrSkip('remote files over SSH, bare host', { path: binDir({}) })
    if (!bare) return
    afterThisTest(() => void bare.stop())
    const tree = accountTree(bare)
    const before = listTree(tree.root)
    const both =
      /: it has no node on its PATH, and no Docker engine answered there \(.*\)\. Install Node\.js 20 or newer on the host, or Docker so the files are cleared in a container \(remote-node-image\)\.$/
    const run = clearFilesOnHost(await connect(bare), testSettings(tree.root, ['frontend']))
    await expect(run).rejects.toThrow(both)
    // The bundled action: one ::error:: line, no stack, every output set.
    const action = await runAction(tempDir(), {
      target: 'frontend,backend',
      'working-directory': tree.root,
      'ssh-host': bare.address,
      'ssh-key': bare.privateKey,
      'ssh-known-hosts': bare.knownHosts
    })
    expect(action.exitCode).toBe(1)
    const errors = action.stdout.split('\n').filter((line) => line.startsWith('::error::'))
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(
      new RegExp(`^::error::cannot clear the files on ${bare.address.replace(/\./g, '\\.')}.*${both.source.slice(1)}`)
    )
    expect(action.stdout).not.toMatch(/^\s+at /m)
    expect(action.outputs['reclaimed-bytes']).toBe('0')
    expect(action.outputs['cleared-paths']).toBe('[]')
    expect(listTree(tree.root)).toEqual(before)
  })

  it('a connection that drops mid-clear is one clear error; a re-run clears the rest exactly', async () => {
    // Through a TCP relay the test can cut, once the remote engine has started deleting.
    const relay = await startRelay(server.port)
    afterThisTest(() => relay.close())
    const tree = accountTree(server)
    const many = path.join(tree.root, 'frontend/.next/cache/many')
    execFileSync('sh', ['-c', 'mkdir -p "$1" && cd "$1" && seq 1 30000 | xargs touch', 'sh', many])
    server.chownToUser(many)
    const host = await connect(server, relay.port)
    const settings = testSettings(tree.root, ['frontend', 'backend'])
    const run = clearFilesOnHost(host, settings)
    const outcome = run.then(
      () => undefined,
      (error: unknown) => error
    )
    // Poll the tree (it is on this machine) and cut as soon as entries start to go.
    let settled = false
    void outcome.then(() => (settled = true))
    while (!settled && readdirSync(many).length === 30000) await new Promise((resolve) => setTimeout(resolve, 2))
    relay.cut()
    const error = (await outcome) as Error
    expect(error).toBeInstanceOf(Error)
    expect(error.message).toMatch(
      new RegExp(
        `^clearing the files on cacdeploy@127\\.0\\.0\\.1:${relay.port} stopped.*: .*\\. Nothing is reported for them; a re-run is safe and clears what is left\\.$`
      )
    )
    expect(error.message).not.toContain('\n')
    const again = await clearFilesOnHost(await connect(server), settings)
    expect(again.files?.failures).toEqual([])
    const here = userTree(tempDir())
    await clearFiles(testSettings(here.root, ['frontend', 'backend']))
    expect(listTree(tree.root)).toEqual(listTree(here.root))
  })
})

const engines = await requireEnginesOrSkip('remote files over SSH in a container')
afterAll(async () => {
  for (const engine of engines) await engine.stop()
})

describeEngines(engines, 'clearFilesOnHost over SSH, in a container through the host’s engine', (engine) => {
  const IMAGE = 'cac-node:test'
  let server: SshServer | undefined
  beforeAll(async () => {
    await makeNodeImage(engine.host, IMAGE)
    // The session finds the engine's docker (pointed at the private engine) and a node too old to use.
    const bin = binDir({ docker: engine.cli })
    writeFileSync(path.join(bin, 'node'), '#!/bin/sh\necho v18.0.0\n', { mode: 0o755 })
    server = await requireSshServerOrSkip('remote files over SSH in a container', { path: bin, engine })
  }, 300_000)
  afterAll(async () => server?.stop())

  it('clears the generated tree exactly as clearFiles does, and leaves no container', async () => {
    if (!server) return
    const there = accountTree(server)
    const here = userTree(tempDir())
    const local = await clearFiles(testSettings(here.root, ['frontend', 'backend']))
    const remote = await clearFilesOnHost(
      await connect(server),
      testSettings(there.root, ['frontend', 'backend'], { ssh: sshWithImage(IMAGE) })
    )
    expect(comparable(remote)).toEqual(comparable(local))
    expect(listTree(there.root)).toEqual(listTree(here.root))
    expect(listTree(there.outside)).toEqual(listTree(here.outside))
    expect(await docker(engine.host, ['ps', '-a', '-q'])).toBe('')
  })

  it('the bundled action gives the outputs and summary a local run of the same tree gives', async () => {
    if (!server) return
    const run = await expectSameAsLocal(server, { 'remote-node-image': IMAGE })
    expect(Number(run.outputs['files-reclaimed-bytes'])).toBeGreaterThan(100_000)
    expect(await docker(engine.host, ['ps', '-a', '-q'])).toBe('')
  })
})

/** The summary without what differs between two machines by nature: the host row and the free space. */
function comparableSummary(summary: string): string {
  return summary
    .replace(/<tr><th>Host<\/th><td>[^<]*<\/td><\/tr>\n?/, '')
    .replace(/(<th>Free space (?:before|after)<\/th><td>)[^<]*/g, '$1…')
}

/**
 * The bundled action, as the runner starts it, against `server` and on this
 * machine, each on a fresh identical tree: the same tree afterwards, outputs,
 * exit code and summary (but for the host row and free space).
 */
async function expectSameAsLocal(server: SshServer, inputs: Record<string, string> = {}): Promise<ActionRun> {
  const there = accountTree(server)
  const here = userTree(tempDir())
  const local = await runAction(here.root, { target: 'frontend,backend', ...inputs })
  const remote = await runAction(tempDir(), {
    target: 'frontend,backend',
    'working-directory': there.root,
    'ssh-host': server.address,
    'ssh-key': server.privateKey,
    'ssh-known-hosts': server.knownHosts,
    ...inputs
  })
  expect(remote.stderr).toBe('')
  const errors = (run: ActionRun): string[] => run.stdout.split('\n').filter((line) => line.startsWith('::error::'))
  expect(errors(remote)).toEqual(errors(local))
  expect(remote.exitCode).toBe(local.exitCode)
  expect(remote.outputs).toEqual(local.outputs)
  expect(comparableSummary(remote.summary)).toEqual(comparableSummary(local.summary))
  expect(remote.summary).toContain(`<th>Host</th><td>${server.address}</td>`)
  expect(listTree(there.root)).toEqual(listTree(here.root))
  expect(listTree(there.outside)).toEqual(listTree(here.outside))
  return remote
}

interface Relay {
  readonly port: number
  /** Drops every connection at once, as a network failure would. */
  cut(): void
  close(): void
}

function startRelay(targetPort: number): Promise<Relay> {
  const sockets = new Set<Socket>()
  const server: Server = createServer((client) => {
    const upstream = tcpConnect(targetPort, '127.0.0.1')
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on('error', () => undefined)
      socket.on('close', () => sockets.delete(socket))
    }
    client.pipe(upstream).pipe(client)
  })
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as AddressInfo).port,
        cut: () => {
          for (const socket of sockets) socket.resetAndDestroy()
        },
        close: () => {
          for (const socket of sockets) socket.destroy()
          server.close()
        }
      })
    )
  )
}

// The drop is the transport's, not the engine's: the first engine of the run is enough.
const dropEngine = engines.at(0)
;(dropEngine ? describe : describe.skip)('a connection that drops during the Docker prune', () => {
  it(`is one ::error:: line for Docker, and the file results are still reported (${dropEngine?.label})`, async () => {
    const engine = dropEngine
    if (!engine) return
    // The session's engine is a relay to the private one that cuts the SSH
    // connection the moment the prune request comes through (and never passes it on).
    const relayDir = mkdtempSync('/tmp/cac-prune-relay-')
    chmodSync(relayDir, 0o755)
    const socket = path.join(relayDir, 'docker.sock')
    // Set once the server is up: the relay is its engine, so it starts first.
    let dropConnections = (): void => undefined
    let pruneSeen = false
    const relay = createServer((client) => {
      const upstream = tcpConnect(engine.socket)
      for (const end of [client, upstream]) end.on('error', () => undefined)
      upstream.pipe(client)
      client.on('data', (chunk: Buffer) => {
        if (!pruneSeen && /^POST \/v[\d.]+\/build\/prune/m.test(chunk.toString('latin1'))) {
          pruneSeen = true
          dropConnections()
        }
        if (!pruneSeen) upstream.write(chunk)
      })
      client.on('close', () => upstream.destroy())
    })
    await new Promise<void>((resolve) => relay.listen(socket, resolve))
    chmodSync(socket, 0o777)
    afterThisTest(() => {
      relay.close()
      rmSync(relayDir, { recursive: true, force: true })
    })
    const server = await requireSshServerOrSkip('a drop during the Docker prune', {
      env: { DOCKER_HOST: `unix://${socket}` }
    })
    if (!server) return
    afterThisTest(() => void server.stop())
    dropConnections = () => server.dropConnections()

    const there = accountTree(server)
    const here = userTree(tempDir())
    const local = await runAction(here.root, { target: 'frontend,backend' })
    const run = await runAction(tempDir(), {
      target: 'frontend,backend,docker',
      'working-directory': there.root,
      'ssh-host': server.address,
      'ssh-key': server.privateKey,
      'ssh-known-hosts': server.knownHosts
    })
    expect(pruneSeen).toBe(true)
    expect(run.stderr).toBe('')
    expect(run.exitCode).toBe(1)
    const errors = run.stdout.split('\n').filter((line) => line.startsWith('::error::'))
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(/^::error::Docker build cache not pruned: .*\S$/)
    expect(errors[0]).toContain(server.address)
    expect(run.stdout).not.toMatch(/^\s+at /m)
    // The files were cleared before the drop: reported as a local run reports them.
    for (const output of ['files-reclaimed-bytes', 'cleared-paths'])
      expect([output, run.outputs[output]]).toEqual([output, local.outputs[output]])
    expect(run.outputs['reclaimed-bytes']).toBe(local.outputs['files-reclaimed-bytes'])
    expect(run.outputs['docker-reclaimed-bytes']).toBe('0')
    expect(run.summary).toContain('Docker build cache not pruned')
    expect(listTree(there.root)).toEqual(listTree(here.root))
  })
})
