// The file half on another host: the remote engine (dist/remote.cjs) run by a
// real node child through a Host, against clearFiles in process on an
// identical tree; and the ways it refuses to run.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { chmodSync, existsSync, readdirSync, symlinkSync, watch, writeFileSync } from 'node:fs'
import path from 'node:path'
import { listTree } from '../__fixtures__/app-tree.js'
import { afterThisTest, sshWithImage, tempAppTree, tempDir, testSettings } from '../__fixtures__/temp.js'
import type { FileWork } from '../src/files.js'
import type { RemovalProgress } from '../src/remove.js'
import { describeEngines, docker, killContainer, makeBusyboxBase, requireEnginesOrSkip } from './helpers/engine.js'
import { makeNodeImage } from './helpers/node-image.js'
import { comparable } from './helpers/file-work.js'
import { BIG_CACHE, bytesGone, fillBigApp, snapshot } from './helpers/big-app.js'
import { freshRemoteBundle } from './helpers/remote-bundle.js'

// The engine as scripts/bundle.sh ships it, built once for this file.
const remoteBundle = freshRemoteBundle()

// A test may stand in its own engine script (the protocol's other end) for one run.
let scriptOverride: string | undefined
jest.unstable_mockModule('../src/remote/script.js', () => ({
  readRemoteScript: async () => scriptOverride ?? remoteBundle.read()
}))
const { clearFiles } = await import('../src/files.js')
const { clearFilesOnHost } = await import('../src/remote/files.js')
const { LocalHost } = await import('../src/host/local.js')
const { PlanError } = await import('../src/plan.js')
const { remoteProgram } = await import('../src/remote/protocol.js')
const { fileSettings } = await import('../src/inputs.js')
const { containerError, isLeftover, pullQuery, runInContainer } = await import('../src/docker/container.js')
const { openEngine } = await import('../src/docker/engine.js')

/** A directory with a `node` that answers --version with `version` and does nothing else. */
function fakeNodeDir(version: string): string {
  const dir = tempDir('cac-fake-node-')
  writeFileSync(path.join(dir, 'node'), `#!/bin/sh\necho ${version}\n`)
  chmodSync(path.join(dir, 'node'), 0o755)
  return dir
}

describe('the program the host’s node runs', () => {
  const run = (program: string, nodeArgs: string[] = []): string =>
    execFileSync(process.execPath, [...nodeArgs, '-'], { input: program, encoding: 'utf8' })

  it('hands the settings to the engine as data, byte for byte, whatever they hold', () => {
    const hostile = [
      "'; rm -rf / #",
      '$(touch /tmp/x) `id`',
      'line\nbreak',
      '\u2028\u2029',
      '\\',
      '"})//',
      '\ud800',
      '</script>'
    ]
    const settings = fileSettings(
      testSettings('/srv/a b', ['frontend'], { extraPaths: hostile, frontendPath: hostile[0] })
    )
    const echo = 'exports.serve = (json) => process.stdout.write(json)'
    expect(run(remoteProgram(echo, settings))).toBe(JSON.stringify(settings))
  })

  it('sends only what the file half reads: no other setting reaches the host', () => {
    const settings = testSettings('/srv/app', ['frontend', 'docker'], { ssh: sshWithImage('secret-registry/node:22') })
    expect(Object.keys(fileSettings(settings)).sort()).toEqual(
      ['backendPath', 'dryRun', 'extraPaths', 'frontendPath', 'root', 'targets'].sort()
    )
  })

  it('a node older than 20 says so before it parses the engine', () => {
    const old = path.join(tempDir(), 'old.cjs')
    writeFileSync(
      old,
      "Object.defineProperty(process.versions, 'node', { value: '18.0.0' })\n" +
        "Object.defineProperty(process, 'version', { value: 'v18.0.0' })\n"
    )
    const program = remoteProgram(
      'this is not JavaScript at all (',
      fileSettings(testSettings('/srv/app', ['frontend']))
    )
    expect(run(program, ['--require', old])).toBe('{"nodeTooOld":"v18.0.0"}\n')
  })
})

describe('containerError', () => {
  const what = "the host's Docker engine could not create the container from 'node:22-slim'"
  it('puts a full disk first, in the words the person acts on', () => {
    expect(containerError(what, 'write /var/lib/docker/x: no space left on device').message).toBe(
      `the host's disk is full: ${what}: write /var/lib/docker/x: no space left on device`
    )
  })
  it('names a read-only layer as a full or read-only disk: overlayfs mounts read-only when it has no room', () => {
    // The engine's words on a full disk with the containerd store (Docker 28.5, seen in full-disk.test.ts).
    const message =
      'mount callback failed on /tmp/containerd-mount1269668156: open /tmp/containerd-mount1269668156/etc/resolv.conf: read-only file system'
    expect(containerError(what, message).message).toBe(`the host's disk is full or read-only: ${what}: ${message}`)
  })
  it('passes any other failure through as it is', () => {
    expect(containerError(what, 'pull access denied').message).toBe(`${what}: pull access denied`)
  })
})

describe('pullQuery', () => {
  it('names a tag, so that the engine never pulls every tag of an image', () => {
    expect(pullQuery('node')).toBe('fromImage=node&tag=latest')
    expect(pullQuery('node:22-slim')).toBe('fromImage=node%3A22-slim')
    expect(pullQuery('registry.example.com:5000/team/node')).toBe(
      'fromImage=registry.example.com%3A5000%2Fteam%2Fnode&tag=latest'
    )
    expect(pullQuery(`node@sha256:${'a'.repeat(64)}`)).toBe(`fromImage=node%40sha256%3A${'a'.repeat(64)}`)
  })
})

describe('isLeftover', () => {
  const MIN = 60_000
  const now = Date.parse('2026-12-01T10:00:00Z')
  it('is true only for a container created and never started, or ended, at least the bound ago', () => {
    expect(isLeftover('created', now - 10 * MIN, Number.NaN, now, 10 * MIN)).toBe(true)
    expect(isLeftover('created', now - 9 * MIN, Number.NaN, now, 10 * MIN)).toBe(false)
    // Created long ago, ended just now: the run that reads its output is alive.
    expect(isLeftover('exited', now - 300 * MIN, now - 1000, now, 10 * MIN)).toBe(false)
    expect(isLeftover('exited', now - 300 * MIN, now - 11 * MIN, now, 10 * MIN)).toBe(true)
    expect(isLeftover('dead', now - 11 * MIN, Number.NaN, now, 10 * MIN)).toBe(true)
    expect(isLeftover('dead', now - 11 * MIN, Date.parse('0001-01-01T00:00:00Z'), now, 10 * MIN)).toBe(true)
  })

  it('is never true for a running container, however old', () => {
    for (const state of ['running', 'paused', 'restarting', 'removing'])
      expect(isLeftover(state, now - 1000 * MIN, Number.NaN, now, 10 * MIN)).toBe(false)
  })
})

describe('clearFilesOnHost with the host’s node', () => {
  it('clears the generated tree exactly as clearFiles in process does, and returns the same FileWork', async () => {
    const here = tempAppTree()
    const there = tempAppTree()
    const targets = ['frontend', 'backend'] as const
    const local = await clearFiles(testSettings(here.root, [...targets]))
    const remote = await clearFilesOnHost(new LocalHost(), testSettings(there.root, [...targets]))
    expect(comparable(remote)).toEqual(comparable(local))
    expect(remote.files?.removed.map((removed) => removed.path).sort()).toEqual(
      [...there.caches.frontend, ...there.caches.backend].sort()
    )
    expect(listTree(there.root)).toEqual(listTree(here.root))
    expect(listTree(there.outside)).toEqual(listTree(here.outside))
    expect(typeof remote.freeBytesBefore).toBe('number')
    expect(typeof remote.freeBytesAfter).toBe('number')
  })

  it('passes progress on as it comes, and returns the FileWork the engine sends', async () => {
    const work: FileWork = { planWarnings: ['w'], freeBytesBefore: 2, freeBytesAfter: 1 }
    scriptOverride = `exports.serve = (json) => {
      const send = (message) => process.stdout.write(JSON.stringify(message) + '\\n')
      send({ progress: { entries: 1, bytes: 512 } })
      console.error('a warning on stderr is not a message')
      send({ progress: { entries: 2, bytes: 1024 } })
      send({ work: ${JSON.stringify(work)} })
    }`
    afterThisTest(() => (scriptOverride = undefined))
    const progress: RemovalProgress[] = []
    const got = await clearFilesOnHost(new LocalHost(), testSettings('/srv/app', ['frontend']), {
      onProgress: (step) => progress.push(step)
    })
    expect(progress).toEqual([
      { entries: 1, bytes: 512 },
      { entries: 2, bytes: 1024 }
    ])
    expect(got).toEqual(work)
  })

  it('a dry run deletes nothing and reports what clearFiles reports', async () => {
    const here = tempAppTree()
    const there = tempAppTree()
    const before = listTree(there.root)
    const local = await clearFiles(testSettings(here.root, ['frontend'], { dryRun: true, extraPaths: ['**/*.md'] }))
    const remote = await clearFilesOnHost(
      new LocalHost(),
      testSettings(there.root, ['frontend'], { dryRun: true, extraPaths: ['**/*.md'] })
    )
    expect(comparable(remote)).toEqual(comparable(local))
    expect(listTree(there.root)).toEqual(before)
  })

  it('a missing app root is the same PlanError as locally', async () => {
    const missing = path.join(tempDir(), 'no-such-app')
    const local = await clearFiles(testSettings(missing, ['backend'])).then(
      () => undefined,
      (error: unknown) => error
    )
    expect(local).toBeInstanceOf(PlanError)
    const remote = clearFilesOnHost(new LocalHost(), testSettings(missing, ['backend']))
    await expect(remote).rejects.toThrow(PlanError)
    await expect(remote).rejects.toThrow((local as Error).message)
  })
})

describe('clearFilesOnHost cancelled, with the host’s node', () => {
  it('a run cancelled before the engine starts deletes nothing, and says what it found', async () => {
    const tree = tempAppTree()
    const before = listTree(tree.root)
    const controller = new AbortController()
    controller.abort()
    const work = await clearFilesOnHost(new LocalHost(), testSettings(tree.root, ['frontend', 'backend']), {
      signal: controller.signal
    })
    expect(work.files?.entries).toBe(0)
    expect(work.files?.failures).toEqual([])
    expect(listTree(tree.root)).toEqual(before)
  })

  it('a run cancelled while deleting stops the engine, which reports what it freed', async () => {
    const root = tempDir('cac-remote-cancel-')
    fillBigApp(root, 300, 200)
    const before = snapshot(root)
    const controller = new AbortController()
    const watcher = watch(path.join(root, BIG_CACHE), () => {
      watcher.close()
      controller.abort()
    })
    afterThisTest(() => watcher.close())
    const work = await clearFilesOnHost(new LocalHost(), testSettings(root, ['frontend', 'backend']), {
      signal: controller.signal
    })
    expect(work.files?.bytes).toBe(bytesGone(before))
    expect(work.files?.removed.find((removed) => removed.path === 'frontend/.next')?.complete).toBe(false)
    expect(existsSync(path.join(root, BIG_CACHE))).toBe(true)
  })
})

describe('clearFilesOnHost without a usable node or Docker', () => {
  it('fails naming both ways when the host has neither, and changes nothing', async () => {
    const tree = tempAppTree()
    const before = listTree(tree.root)
    const empty = tempDir('cac-empty-path-')
    const run = clearFilesOnHost(new LocalHost({ PATH: empty }), testSettings(tree.root, ['frontend']))
    await expect(run).rejects.toThrow(
      /^cannot clear the files on local: it has no node on its PATH, and no Docker engine answered there \(the docker CLI was not found on PATH\)\. Install Node\.js 20 or newer on the host, or Docker so the files are cleared in a container \(remote-node-image\)\.$/
    )
    expect(listTree(tree.root)).toEqual(before)
  })

  it('fails naming the old version when the host’s node is older than 20, and changes nothing', async () => {
    const tree = tempAppTree()
    const before = listTree(tree.root)
    const host = new LocalHost({ PATH: fakeNodeDir('v18.0.0') })
    const run = clearFilesOnHost(host, testSettings(tree.root, ['frontend', 'backend']))
    await expect(run).rejects.toThrow(
      /^cannot clear the files on local: its node is v18\.0\.0, older than 20, and no Docker/
    )
    expect(listTree(tree.root)).toEqual(before)
  })

  it('says so when the engine dies without an answer', async () => {
    const tree = tempAppTree()
    const bin = tempDir('cac-crashing-node-')
    // Answers --version like node 22, then fails as a broken install would.
    writeFileSync(
      path.join(bin, 'node'),
      `#!/bin/sh\nif [ "$1" = --version ]; then echo v22.1.0; exit 0; fi\necho 'node: error while loading shared libraries' >&2\nexit 127\n`
    )
    chmodSync(path.join(bin, 'node'), 0o755)
    const run = clearFilesOnHost(new LocalHost({ PATH: bin }), testSettings(tree.root, ['frontend']))
    await expect(run).rejects.toThrow(
      /^clearing the files on local failed: exit 127: node: error while loading shared libraries\. Nothing is reported/
    )
  })
})

const engines = await requireEnginesOrSkip('remote files in a container')
afterAll(async () => {
  for (const engine of engines) await engine.stop()
})

describeEngines(engines, 'clearFilesOnHost in a container, on a host without node', (engine) => {
  const IMAGE = 'cac-node:test'
  const OLD_IMAGE = 'cac-node:says-18'
  beforeAll(async () => {
    await makeNodeImage(engine.host, IMAGE)
    // The same node, made to say it is 18 before any script runs.
    await makeNodeImage(
      engine.host,
      OLD_IMAGE,
      {
        '/old.cjs':
          "Object.defineProperty(process.versions, 'node', { value: '18.0.0' })\n" +
          "Object.defineProperty(process, 'version', { value: 'v18.0.0' })\n"
      },
      ['ENV NODE_OPTIONS=--require=/old.cjs']
    )
    await makeBusyboxBase(engine.host, 'cac-no-node:1')
  }, 300_000)

  // A host whose PATH has the engine's docker CLI, pointed at the private engine, and no node.
  const noNodeHost = (): InstanceType<typeof LocalHost> => {
    const bin = tempDir('cac-docker-only-')
    symlinkSync(engine.cli, path.join(bin, 'docker'))
    return new LocalHost({
      PATH: bin,
      HOME: tempDir('cac-home-'),
      DOCKER_HOST: engine.host,
      ...(engine.dockerConfig ? { DOCKER_CONFIG: engine.dockerConfig } : {})
    })
  }
  const clearIn = (root: string, image: string, hooks = {}) =>
    clearFilesOnHost(noNodeHost(), testSettings(root, ['frontend', 'backend'], { ssh: sshWithImage(image) }), hooks)
  const containers = async (): Promise<string> => docker(engine.host, ['ps', '-a', '-q'])

  it('clears the generated tree exactly as clearFiles does, and leaves no container', async () => {
    const here = tempAppTree()
    const there = tempAppTree()
    const local = await clearFiles(testSettings(here.root, ['frontend', 'backend']))
    const remote = await clearIn(there.root, IMAGE)
    expect(comparable(remote)).toEqual(comparable(local))
    expect(listTree(there.root)).toEqual(listTree(here.root))
    expect(listTree(there.outside)).toEqual(listTree(here.outside))
    expect(await containers()).toBe('')
  })

  it('a missing app root is the same PlanError as locally, and no container is left', async () => {
    const missing = path.join(tempDir(), 'no-such-app')
    const run = clearIn(missing, IMAGE)
    await expect(run).rejects.toThrow(PlanError)
    await expect(run).rejects.toThrow(`Input 'working-directory': '${missing}' is not a directory.`)
    expect(await containers()).toBe('')
  })

  it('leaves alone the containers another run may still own: one just created, one just ended', async () => {
    const host = engine.host
    const label = ['--label', 'org.clear-app-caches.remote-files=another-run']
    const created = (await docker(host, ['create', ...label, IMAGE, 'node', '--version'])).trim()
    const ended = (await docker(host, ['create', ...label, IMAGE, 'node', '--version'])).trim()
    await docker(host, ['start', '--attach', ended])
    await clearIn(tempAppTree().root, IMAGE)
    expect((await containers()).trim().split('\n').sort()).toEqual([created, ended].map((id) => id.slice(0, 12)).sort())
    await docker(host, ['rm', created, ended])
  })

  it('removes the leftovers no live run owns (created or ended longer ago than the bound), and only ours', async () => {
    const host = engine.host
    const label = ['--label', 'org.clear-app-caches.remote-files=a-gone-run']
    const created = (await docker(host, ['create', ...label, IMAGE, 'node', '--version'])).trim()
    const ended = (await docker(host, ['create', ...label, IMAGE, 'node', '--version'])).trim()
    await docker(host, ['start', '--attach', ended])
    const other = (await docker(host, ['create', IMAGE, 'node', '--version'])).trim()
    // The bound at 0: what a later run does once they have sat that long.
    const client = openEngine(noNodeHost())
    afterThisTest(() => void client.close())
    const { apiVersion } = await client.ping()
    const program = remoteProgram(remoteBundle.read(), fileSettings(testSettings(tempAppTree().root, ['frontend'])))
    const run = await runInContainer(client, apiVersion, IMAGE, tempAppTree().root, program, { leftoverAfterMs: 0 })
    expect(run.code).toBe(0)
    expect((await containers()).trim()).toBe(other.slice(0, 12))
    await docker(host, ['rm', other])
    expect([created, ended]).not.toContain('')
  })

  it('a container killed mid-clear is one clear error, is removed, and a re-run clears the rest exactly', async () => {
    const host = engine.host
    const tree = tempAppTree()
    const many = path.join(tree.root, 'frontend/.next/cache/many')
    execFileSync('sh', ['-c', 'mkdir -p "$1" && cd "$1" && seq 1 30000 | xargs touch', 'sh', many])
    const outcome = clearIn(tree.root, IMAGE).then(
      () => undefined,
      (error: unknown) => error
    )
    // Find it while it plans, and kill it once entries start to go (the tree is on this machine): one request
    // on the engine's socket between the first removal and the kill, so it lands mid-clear on a loaded machine too.
    let running = ''
    while (running === '') {
      running = (await docker(host, ['ps', '-q', '--filter', 'label=org.clear-app-caches.remote-files'])).trim()
    }
    while (readdirSync(many).length === 30000) await new Promise((resolve) => setTimeout(resolve, 2))
    expect(await killContainer(engine, running)).toBe(204)
    const error = (await outcome) as Error
    expect(error.message).toBe(
      `clearing the files on local in a container from '${IMAGE}' failed: exit 137. ` +
        'Nothing is reported for them; a re-run is safe and clears what is left.'
    )
    expect(await containers()).toBe('')
    await clearIn(tree.root, IMAGE)
    const here = tempAppTree()
    await clearFiles(testSettings(here.root, ['frontend', 'backend']))
    expect(listTree(tree.root)).toEqual(listTree(here.root))
  })

  it.each([
    [
      'an image that is absent and cannot be pulled',
      'cac-absent:1',
      /^cannot clear the files on local in a container: the image 'cac-absent:1' \(remote-node-image\) is not on the host and could not be pulled: /
    ],
    [
      'an image without node',
      'cac-no-node:1',
      /^cannot clear the files on local in a container: the container from 'cac-no-node:1' did not start: .*node/
    ],
    [
      'an image whose node is too old',
      OLD_IMAGE,
      /^cannot clear the files on local in a container: the node in remote-node-image 'cac-node:says-18' is v18\.0\.0; Node\.js 20 or newer is needed$/
    ]
  ])('fails in one line with %s, changes nothing and leaves no container', async (_, image, message) => {
    const tree = tempAppTree()
    const before = listTree(tree.root)
    await expect(clearIn(tree.root, image)).rejects.toThrow(message)
    expect(listTree(tree.root)).toEqual(before)
    expect(await containers()).toBe('')
  })
})
