// A remote host over SSH, end to end with real parts: a private dockerd (each
// engine of the run), a real sshd whose account (cacdeploy) reaches that
// engine with its own docker CLI, and the bundled
// action as the runner starts it. The Docker half: the Engine API through
// `docker system dial-stdio` on the host, over the run's one SSH connection.
// Bad SSH input is refused before anything on the host changes.
import { afterAll, beforeEach, describe, expect, test } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { runCli } from '../src/cli.js'
import { DockerUnavailableError, openEngine } from '../src/docker/engine.js'
import { pruneBuildCache } from '../src/docker/prune.js'
import { SshHost } from '../src/host/ssh.js'
import {
  buildImage,
  engineStoreBytes,
  docker,
  engineBuildCache,
  settledBuildCache,
  settledDataRootBytes,
  fillBuildCache,
  makeBusyboxBase,
  engineKinds,
  requireEngineOrSkip,
  type Engine
} from './helpers/engine.js'
import { expectBytesWithin } from './helpers/prune-agreement.js'
import { runAction } from './helpers/run-action.js'
import { freePort } from './helpers/loopback.js'
import { makeNodeImage } from './helpers/node-image.js'
import { requireSshServerOrSkip, SSH_USER, type SshServer } from './helpers/ssh-server.js'

const MiB = 1024 * 1024
const STACK_LINE = /^\s+at .+\(?.*:\d+:\d+\)?$/m

// Each engine of the run (issue 13), each behind its own sshd whose sessions
// find that engine's CLI (PATH) and its plugins (DOCKER_CONFIG). On the
// containerd store the account, not root, reads containerd's directories
// from a throwaway container: the figure is the prune's own, on the shared disk.
const engines: Engine[] = []
for (const kind of engineKinds()) {
  const engine = await requireEngineOrSkip('ssh-docker.test.ts', kind)
  if (engine) engines.push(engine)
}
const servers = new Map<Engine, SshServer>()
for (const engine of engines) {
  const server = await requireSshServerOrSkip(`ssh-docker.test.ts on ${engine.kind}`, { engine })
  if (server) servers.set(engine, server)
}
const workspaces: string[] = []
afterAll(async () => {
  for (const server of servers.values()) await server.stop()
  for (const engine of engines) await engine.stop()
  for (const dir of workspaces) rmSync(dir, { recursive: true, force: true })
})

/**
 * The image the throwaway reading container runs on the containerd store, where the account (docker group only) may
 * not read containerd's root; undefined on a graph driver. node:22-slim, the default, cannot be pulled here.
 */
async function readerImage(e: Engine): Promise<string | undefined> {
  return e.store === 'containerd' ? makeNodeImage(e.host, 'cac-reader-node:1') : undefined
}

function workspace(): string {
  const dir = mkdtempSync('/tmp/cac-ws-')
  workspaces.push(dir)
  return dir
}

/** What argv prints on the host (stdout and stderr); rejects on a non-zero exit. */
async function output(host: SshHost, argv: string[]): Promise<string> {
  const child = host.exec(argv)
  child.stdin.end()
  let text = ''
  child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()))
  const exit = await child.exit
  if (exit.code !== 0) throw new Error(`${argv.join(' ')} on ${host.name}: exit ${exit.code}: ${text}`)
  return text
}

for (const [index, e] of engines.entries()) {
  const server = servers.get(e)
  ;(server ? describe : describe.skip)(`Docker on an SSH host, over one connection, on ${e.label}`, () => {
    const s = server as SshServer
    const connect = (): Promise<SshHost> => SshHost.connect(s.login)
    const logins = (): number =>
      s
        .log()
        .split('\n')
        .filter((line) => line.includes('Accepted publickey for')).length

    beforeEach(async () => {
      await docker(e.host, ['builder', 'prune', '--all', '--force'])
    })

    test("the session's docker is this engine's CLI, with its plugins", async () => {
      const host = await connect()
      try {
        expect(await output(host, ['docker', '--version'])).toBe(await docker(e.host, ['--version']))
        if (e.dockerConfig) expect(await output(host, ['docker', 'buildx', 'version'])).toMatch(/buildx/)
      } finally {
        await host.close()
      }
    })

    test('pruneBuildCache: the dry run, then real bytes within 1% of the data root shrinkage, next build not CACHED, one login', async () => {
      const context = await fillBuildCache(e, 'sshprune')
      // The account is not root: on the containerd store a throwaway container of this image reads containerd's root.
      const helperImage = await readerImage(e)
      await settledBuildCache(e)
      const duBefore = await engineStoreBytes(e)
      const before = logins()
      const host = await connect()
      const log: string[] = []
      let dry, result
      try {
        const settings = { pruneAll: true, filters: [] }
        dry = await pruneBuildCache({ ...settings, dryRun: true }, { host, helperImage })
        result = await pruneBuildCache({ ...settings, dryRun: false }, { host, helperImage, log: (l) => log.push(l) })
      } finally {
        await host.close()
      }
      const shrinkage = duBefore - (await engineStoreBytes(e))
      console.log(
        `${e.label} over SSH as ${SSH_USER}: reported ${result.reclaimedBytes}, data root shrank ${shrinkage}, dry run ${dry.reclaimedBytes} (${result.reclaimedHow})`
      )
      expect(logins() - before).toBe(1)
      expect(log[0]).toMatch(new RegExp(`^Docker engine \\S+ on cacdeploy@127\\.0\\.0\\.1:${s.port}: API`))
      expect(result.recordsAfter).toBe(0)
      expect(result.reclaimedBytes).toBeGreaterThan(16 * MiB)
      expect(Math.abs(result.reclaimedBytes - shrinkage)).toBeLessThanOrEqual(Math.max(shrinkage * 0.01, MiB))
      expect(dry.removedIds.length).toBe(result.removedIds.length)
      if (e.store === 'containerd') {
        expect(result.reclaimedHow).toMatch(/sized before the prune from a throwaway container \(cac-reader-node:1\)/)
        expect(dry.reclaimedExact).toBe(true)
        expect(Math.abs(dry.reclaimedBytes - result.reclaimedBytes)).toBeLessThanOrEqual(
          Math.max(result.reclaimedBytes * 0.01, MiB)
        )
      }
      expect(await engineBuildCache(e)).toEqual([])
      expect(await buildImage(e.host, context, 'sshprune:2')).not.toMatch(/\bCACHED\b/)
    }, 300_000)

    test('the engine client: JSON and tar bodies, a long wait, binary logs, all on one dial-stdio', async () => {
      const image = await makeBusyboxBase(e.host, 'sshbase:1')
      const host = await connect()
      const client = openEngine(host)
      try {
        const { apiVersion } = await client.ping()
        const v = `/v${apiVersion}`
        const created = await client.json<{ Id: string }>('POST', `${v}/containers/create`, {
          Image: image,
          Cmd: ['sh', '-c', 'sleep 1; cp /in/data.bin /in/copy.bin; echo copied; echo done >&2'],
          NetworkDisabled: true
        })
        // A tar holding in/data.bin: every byte value, so any text mangling shows.
        const payload = Buffer.from(Array.from({ length: 256 * 64 }, (_, i) => i % 256))
        const tar = tarOf('in/data.bin', payload)
        const put = await client.request({
          method: 'PUT',
          path: `${v}/containers/${created.Id}/archive?path=/`,
          body: tar,
          headers: { 'content-type': 'application/x-tar' }
        })
        expect(put.status).toBe(200)
        await client.json('POST', `${v}/containers/${created.Id}/start`)
        const waited = await client.json<{ StatusCode: number }>(
          'POST',
          `${v}/containers/${created.Id}/wait`,
          undefined,
          0
        )
        expect(waited.StatusCode).toBe(0)
        const logs = await client.request({
          method: 'GET',
          path: `${v}/containers/${created.Id}/logs?stdout=1&stderr=1`
        })
        expect(logs.status).toBe(200)
        const streams = demultiplex(logs.body)
        expect(streams.stdout.toString()).toBe('copied\n')
        expect(streams.stderr.toString()).toBe('done\n')
        // Binary answers: the copy comes back as a tar, byte for byte.
        const archive = await client.request({
          method: 'GET',
          path: `${v}/containers/${created.Id}/archive?path=/in/copy.bin`
        })
        expect(archive.status).toBe(200)
        expect(archive.body.subarray(512, 512 + payload.length).equals(payload)).toBe(true)
        await client.json('DELETE', `${v}/containers/${created.Id}?force=1`)
        const missing = await client.request({ method: 'GET', path: `${v}/containers/${created.Id}/json` })
        expect(missing.status).toBe(404)
      } finally {
        await client.close()
        await host.close()
      }
    })

    test('the bundled action, target docker, ssh-host: outputs set, host in the summary; the runner has no docker', async () => {
      const context = await fillBuildCache(e, 'sshaction')
      // Without an image the reader can run, the figure would be the free-space fallback, which the other
      // suites' writes move (seen in CI: 0 B).
      const helperImage = await readerImage(e)
      // Measured once the engine is done with the build (BuildKit and containerd tidy up just after one).
      await settledBuildCache(e)
      await settledDataRootBytes(e.dataRoot)
      const duBefore = await engineStoreBytes(e)
      const run = await runAction(
        workspace(),
        {
          target: 'docker',
          'ssh-host': s.address,
          'ssh-key': s.privateKey,
          'ssh-known-hosts': s.knownHosts,
          ...(helperImage ? { 'remote-node-image': helperImage } : {})
        },
        { PATH: '/nonexistent', DOCKER_HOST: undefined, DOCKER_CONTEXT: undefined }
      )
      const shrinkage = duBefore - (await engineStoreBytes(e))
      expect(run.stderr).toBe('')
      expect(run.exitCode).toBe(0)
      const reclaimed = Number(run.outputs['docker-reclaimed-bytes'])
      expect(reclaimed).toBeGreaterThan(16 * MiB)
      expectBytesWithin('docker-reclaimed-bytes', reclaimed, shrinkage)
      expect(run.outputs['reclaimed-bytes']).toBe(String(reclaimed))
      expect(run.outputs['files-reclaimed-bytes']).toBe('0')
      expect(run.outputs['cleared-paths']).toBe('[]')
      expect(run.summary).toContain(`<th>Host</th><td>${s.address}</td>`)
      expect(run.stdout).toContain(`Host: ${s.address}`)
      if (helperImage) expect(run.summary).toContain(`from a throwaway container (${helperImage})`)
      // The key is masked (the runner hides what ::add-mask:: names) and never printed otherwise.
      const printed = run.stdout
        .split('\n')
        .filter((line) => !line.startsWith('::add-mask::'))
        .join('\n')
      for (const line of s.privateKey.split('\n').filter((l) => l.length > 20)) {
        expect(run.stdout).toContain(`::add-mask::${line}\n`)
        expect(printed).not.toContain(line)
      }
      expect(await engineBuildCache(e)).toEqual([])
      expect(await buildImage(e.host, context, 'sshaction:2')).not.toMatch(/\bCACHED\b/)
    })

    test('the CLI: --ssh-host with the key and known_hosts from ~/.ssh', async () => {
      await fillBuildCache(e, 'sshcli')
      const helperImage = await readerImage(e)
      const home = workspace()
      mkdirSync(path.join(home, '.ssh'))
      writeFileSync(path.join(home, '.ssh', 'id_ed25519'), s.privateKey, { mode: 0o600 })
      writeFileSync(path.join(home, '.ssh', 'known_hosts'), s.knownHosts)
      let out = ''
      let err = ''
      const imageFlag = helperImage ? ['--remote-node-image', helperImage] : []
      const code = await runCli(['docker', '--ssh-host', `ssh://${s.address}`, ...imageFlag, '--json'], {
        out: (text) => (out += text),
        err: (text) => (err += text),
        cwd: home,
        env: { HOME: home }
      })
      expect(err).toBe('')
      expect(code).toBe(0)
      const { outputs, report } = JSON.parse(out) as { outputs: Record<string, string>; report: { host: string } }
      expect(report.host).toBe(s.address)
      expect(Number(outputs['docker-reclaimed-bytes'])).toBeGreaterThan(16 * MiB)
      expect(await engineBuildCache(e)).toEqual([])
    })

    // What follows is refused or fails before any engine is asked: once, on the run's first engine, which
    // witnesses that nothing on the host changed.
    if (index > 0) return

    test('a host without the docker CLI: DockerUnavailableError naming the host', async () => {
      const bare = await requireSshServerOrSkip('ssh-docker.test.ts (no docker)', { path: '/nonexistent' })
      if (!bare) return
      try {
        const host = await SshHost.connect(bare.login)
        const error = await pruneBuildCache({ pruneAll: true, filters: [], dryRun: false }, { host })
          .catch((caught: unknown) => caught)
          .finally(() => host.close())
        expect(error).toBeInstanceOf(DockerUnavailableError)
        expect((error as Error).message).toBe(`the docker CLI was not found on the PATH of ${bare.address}`)
      } finally {
        await bare.stop()
      }
    })

    describe('bad SSH input: refused with one ::error:: line, outputs set, nothing on the host changed', () => {
      const cacheIds = async (): Promise<string[]> => (await engineBuildCache(e)).map((r) => r.ID).sort()
      let records: string[]
      beforeEach(async () => {
        await fillBuildCache(e, 'sshrefused')
        records = (await settledBuildCache(e)).map((r) => r.ID).sort()
        expect(records.length).toBeGreaterThan(0)
      })

      async function refused(inputs: Record<string, string>, error: RegExp): Promise<void> {
        const before = logins()
        const run = await runAction(
          workspace(),
          { 'ssh-host': s.address, 'ssh-key': s.privateKey, 'ssh-known-hosts': s.knownHosts, ...inputs },
          { DOCKER_HOST: undefined, DOCKER_CONTEXT: undefined }
        )
        expect(run.exitCode).toBe(1)
        const errors = run.stdout.split('\n').filter((line) => line.startsWith('::error::'))
        expect(errors).toHaveLength(1)
        expect(errors[0]).toMatch(error)
        expect(run.stdout + run.stderr).not.toMatch(STACK_LINE)
        expect(run.outputs['reclaimed-bytes']).toBe('0')
        expect(run.outputs['cleared-paths']).toBe('[]')
        expect(run.summary).toBe('')
        expect(logins()).toBe(before)
        expect(await cacheIds()).toEqual(records)
      }

      test('a known_hosts with another key for the host', async () => {
        const dir = mkdtempSync('/tmp/cac-kh-')
        try {
          spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'k')])
          const other = spawnSync('cat', [path.join(dir, 'k.pub')], { encoding: 'utf8' }).stdout
          await refused(
            { target: 'docker', 'ssh-known-hosts': `[127.0.0.1]:${s.port} ${other.split(' ').slice(0, 2).join(' ')}` },
            new RegExp(`^::error::host key mismatch: 127\\.0\\.0\\.1 port ${s.port} offered a ssh-ed25519 key`)
          )
        } finally {
          rmSync(dir, { recursive: true, force: true })
        }
      })

      test('a key the host does not accept', async () => {
        const dir = mkdtempSync('/tmp/cac-key-')
        try {
          spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'k')])
          const key = spawnSync('cat', [path.join(dir, 'k')], { encoding: 'utf8' }).stdout
          await refused(
            { target: 'docker', 'ssh-key': key },
            /^::error::SSH authentication refused by cacdeploy@127\.0\.0\.1:\d+/
          )
        } finally {
          rmSync(dir, { recursive: true, force: true })
        }
      })

      test('an unreachable port', async () => {
        const port = await freePort()
        await refused(
          {
            target: 'docker',
            'ssh-host': `cacdeploy@127.0.0.1:${port}`,
            'ssh-known-hosts': `[127.0.0.1]:${port} ${s.hostKey}`
          },
          new RegExp(`^::error::cannot reach SSH host 127\\.0\\.0\\.1 port ${port}: connection refused$`)
        )
      })

      test('a missing or relative working-directory with a file target', async () => {
        await refused({ target: 'all' }, /^::error::Input 'working-directory' is required with 'ssh-host'/)
        await refused(
          { target: 'frontend', 'working-directory': 'srv/app' },
          /^::error::Input 'working-directory' must be an absolute path on 127\.0\.0\.1/
        )
      })

      test('no ssh-known-hosts', async () => {
        await refused({ target: 'docker', 'ssh-known-hosts': '' }, /^::error::Input 'ssh-known-hosts' is required/)
      })
    })
  })
}

/** A one-file ustar archive. */
function tarOf(name: string, data: Buffer): Buffer {
  const header = Buffer.alloc(512)
  header.write(name, 0)
  header.write('0000644\0', 100)
  header.write('0000000\0', 108)
  header.write('0000000\0', 116)
  header.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124)
  header.write('00000000000\0', 136)
  header.write('        ', 148)
  header.write('0', 156)
  header.write('ustar\0', 257)
  header.write('00', 263)
  let sum = 0
  for (const byte of header) sum += byte
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148)
  const padding = Buffer.alloc((512 - (data.length % 512)) % 512)
  return Buffer.concat([header, data, padding, Buffer.alloc(1024)])
}

/** The engine's multiplexed log stream (8-byte frame headers) → stdout and stderr bytes. */
function demultiplex(body: Buffer): { stdout: Buffer; stderr: Buffer } {
  const out: Buffer[] = []
  const err: Buffer[] = []
  for (let at = 0; at + 8 <= body.length;) {
    const size = body.readUInt32BE(at + 4)
    ;(body[at] === 2 ? err : out).push(body.subarray(at + 8, at + 8 + size))
    at += 8 + size
  }
  return { stdout: Buffer.concat(out), stderr: Buffer.concat(err) }
}
