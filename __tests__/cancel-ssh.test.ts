// Cancelling over SSH (issue 14, point 3): the bundled action, clearing a big
// tree on a host reached over a real sshd, is signalled as a cancelled job's
// runner does (SIGINT, then SIGTERM) once the host has begun deleting. The
// host's remover stops (with the host's node, and in a container through the
// host's engine), every output is written for what was really freed, the run
// says it was cancelled and fails; a second run finishes the job. The CLI
// with --ssh-host likewise.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterThisTest, tempDir } from '../__fixtures__/temp.js'
import {
  BIG_CACHE,
  bytesGone,
  cancelOnceDeleting,
  expectCachesGoneExactly,
  fillBigApp,
  snapshot
} from './helpers/big-app.js'
import { docker, requireEngineOrSkip, which } from './helpers/engine.js'
import { makeNodeImage } from './helpers/node-image.js'
import { REPO_ROOT, runAction, type ActionRun } from './helpers/run-action.js'
import { mountScratch } from './helpers/scratch-fs.js'
import { requireSshServerOrSkip, type SshServer } from './helpers/ssh-server.js'

// 600 × 200 entries: enough that the host is still deleting when the signal lands.
const DIRS = 600
const FILES_PER_DIR = 200
const IMAGE = 'cac-node:test'
const CLI = path.join(REPO_ROOT, 'dist', 'cli.cjs')

/** The big app on a private tmpfs, owned by the SSH account. */
function bigApp(server: SshServer): string {
  const scratch = mountScratch('tmpfs', 512)
  if (!scratch) throw new Error('unreachable: mountScratch fails under CI=true') // skipped only outside CI
  afterThisTest(() => scratch.unmount())
  // mkdtemp made the mount's parent 0700: let the account through.
  chmodSync(path.dirname(scratch.dir), 0o755)
  fillBigApp(scratch.dir, DIRS, FILES_PER_DIR)
  server.chownToUser(scratch.dir)
  return scratch.dir
}

function sshInputs(server: SshServer, root: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'working-directory': root,
    'ssh-host': server.address,
    'ssh-key': server.privateKey,
    'ssh-known-hosts': server.knownHosts,
    ...extra
  }
}

/** The cancelled run and a second one, as cancel.test.ts checks them locally. */
async function expectCancelledThenFinished(server: SshServer, extra: Record<string, string> = {}): Promise<ActionRun> {
  const root = bigApp(server)
  const before = snapshot(root)
  const run = await runAction(
    tempDir(),
    { target: 'frontend,backend,docker', ...sshInputs(server, root, extra) },
    {},
    (child) => cancelOnceDeleting(child, root)
  )

  expect(run.stderr).toBe('')
  expect(run.exitCode).not.toBe(0)
  const freed = bytesGone(before)
  expect(freed).toBeGreaterThan(0)
  expect(run.outputs['reclaimed-bytes']).toBe(String(freed))
  expect(run.outputs['files-reclaimed-bytes']).toBe(String(freed))
  // Stopped early: the big cache is only partly gone, so it is not listed as cleared.
  expect(existsSync(path.join(root, BIG_CACHE))).toBe(true)
  expect(JSON.parse(run.outputs['cleared-paths'])).not.toContain('frontend/.next')
  expect(run.summary).toContain('Clear app caches — cancelled')
  expect(run.summary).toContain('Cancelled: stopped before the end')
  expect(run.summary).toContain(`<th>Host</th><td>${server.address}</td>`)
  expect(run.stdout).toMatch(/^Cancelled: stopped before the end, freed .* until then/m)
  expect(run.stdout).toMatch(/^::error::Cancelled: /m)
  expect(run.stdout).toContain('Docker build cache not pruned: the run was cancelled before the prune.')

  const middle = snapshot(root)
  const second = await runAction(tempDir(), { target: 'frontend,backend', ...sshInputs(server, root, extra) })
  expect(second.exitCode).toBe(0)
  expect(second.summary).not.toContain('cancelled')
  expect(second.outputs['reclaimed-bytes']).toBe(String(bytesGone(middle)))
  expectCachesGoneExactly(root)
  return run
}

const withNode = await requireSshServerOrSkip('cancelling over SSH, with the host’s node')
afterAll(async () => withNode?.stop())

;(withNode ? describe : describe.skip)('a run cancelled while the host’s node deletes', () => {
  it('stops the host’s remover, writes outputs and summary for what was really freed, fails; a second run finishes', async () => {
    await expectCancelledThenFinished(withNode as SshServer)
  }, 240_000)

  it('the CLI with --ssh-host prints the JSON report of what was really freed and exits 130; a second run finishes', async () => {
    const server = withNode as SshServer
    const root = bigApp(server)
    const before = snapshot(root)
    // The CLI logs in with ~/.ssh's key and checks ~/.ssh/known_hosts.
    const home = tempDir('cac-cli-home-')
    mkdirSync(path.join(home, '.ssh'))
    writeFileSync(path.join(home, '.ssh', 'id_ed25519'), server.privateKey, { mode: 0o600 })
    writeFileSync(path.join(home, '.ssh', 'known_hosts'), server.knownHosts)
    const args = ['frontend', 'backend', '--ssh-host', server.address, '--root', root, '--json']
    const run = await runCli(args, home, root)

    expect(run.stderr).toBe('')
    expect(run.status).toBe(130)
    const { outputs, report } = JSON.parse(run.stdout) as {
      outputs: Record<string, string>
      report: { cancelled: boolean; host: string; removed: { path: string; complete: boolean }[] }
    }
    const freed = bytesGone(before)
    expect(report.cancelled).toBe(true)
    expect(report.host).toBe(server.address)
    expect(freed).toBeGreaterThan(0)
    expect(outputs['reclaimed-bytes']).toBe(String(freed))
    expect(report.removed.find((entry) => entry.path === 'frontend/.next')?.complete).toBe(false)

    const middle = snapshot(root)
    const second = await runCli(args, home)
    expect(second.status).toBe(0)
    const finished = JSON.parse(second.stdout) as { outputs: Record<string, string>; report: { cancelled: boolean } }
    expect(finished.report.cancelled).toBe(false)
    expect(finished.outputs['reclaimed-bytes']).toBe(String(bytesGone(middle)))
    expectCachesGoneExactly(root)
  }, 240_000)
})

function runCli(
  args: string[],
  home: string,
  cancelIn?: string
): Promise<{ status: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home }
  delete env.SSH_AUTH_SOCK
  const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  if (cancelIn) cancelOnceDeleting(child, cancelIn)
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  return new Promise((resolve) => child.on('close', (code) => resolve({ status: code ?? -1, stdout, stderr })))
}

const engine = await requireEngineOrSkip('cancelling over SSH, in a container')
afterAll(async () => engine?.stop())

;(engine ? describe : describe.skip)(
  `a run cancelled while a container on the host deletes, on ${engine?.label ?? 'an engine'}`,
  () => {
    let server: SshServer | undefined
    beforeAll(async () => {
      if (!engine) return
      await makeNodeImage(engine.host, IMAGE)
      // The session finds docker (pointed at the private engine) and a node too old to use.
      const bin = tempDir('cac-ssh-bin-')
      chmodSync(bin, 0o755)
      symlinkSync(which('docker') as string, path.join(bin, 'docker'))
      writeFileSync(path.join(bin, 'node'), '#!/bin/sh\necho v18.0.0\n', { mode: 0o755 })
      server = await requireSshServerOrSkip('cancelling over SSH, in a container', { path: bin, engine })
    }, 300_000)
    afterAll(async () => server?.stop())

    it('stops the container’s remover, writes outputs and summary for what was really freed, fails; a second run finishes', async () => {
      if (!server || !engine) return
      await expectCancelledThenFinished(server, { 'remote-node-image': IMAGE })
      expect(await docker(engine.host, ['ps', '-a', '-q'])).toBe('')
    }, 240_000)
  }
)
