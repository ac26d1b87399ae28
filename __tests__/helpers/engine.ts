// A private Docker engine per test file: its own data root, exec root and
// socket in a fresh /tmp/cac-dk-XXXX directory (short: unix socket paths are
// limited to ~108 bytes), so tests can measure the data root with du and
// prune without touching anyone else's cache.
//
// Three engines (issue 13), each suite runs on every one of them:
//   debian-20.10     Debian 12's docker.io (API 1.41), the old API paths
//   28.5-overlay2    Docker 28.5 from Debian's unstable suite, classic store
//   28.5-containerd  the same, containerd image store
// 28.5 comes from `scripts/engines.sh root` (fetched once, unpacked with
// dpkg -x, never installed). CAC_ENGINES=kind,kind narrows the list.
//
// When an engine is missing or will not start, suites skip visibly, except in
// CI (CI=true), where that is a failure: the feature must be proven there.
import { randomBytes } from 'node:crypto'
import { execFile, execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process'
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { request } from 'node:http'
import { freePort } from './loopback.js'
import { startSshdProcess } from './sshd-process.js'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe } from '@jest/globals'

const run = promisify(execFile)

export type EngineKind = 'debian-20.10' | '28.5-overlay2' | '28.5-containerd'
export const ENGINE_KINDS: readonly EngineKind[] = ['debian-20.10', '28.5-overlay2', '28.5-containerd']

/** The kinds this run proves: all three, or those CAC_ENGINES names. */
export function engineKinds(): EngineKind[] {
  const wanted = (process.env.CAC_ENGINES ?? '')
    .split(',')
    .map((word) => word.trim())
    .filter((word) => word !== '')
  if (wanted.length === 0) return [...ENGINE_KINDS]
  for (const kind of wanted) {
    if (!ENGINE_KINDS.includes(kind as EngineKind)) {
      throw new Error(`CAC_ENGINES: unknown engine "${kind}" (known: ${ENGINE_KINDS.join(', ')})`)
    }
  }
  return wanted as EngineKind[]
}

export interface Engine {
  readonly kind: EngineKind
  /** For test names: "Docker 28.5.2+dfsg4 (containerd store, API 1.51)". */
  readonly label: string
  /** The engine's own version (`Version` of /version) and API version. */
  readonly version: string
  readonly apiVersion: string
  /** The image store: graph driver overlay2, or the containerd snapshotter. */
  readonly store: 'overlay2' | 'containerd'
  /** The docker CLI that goes with this engine (20.10's, or 28.5's with the buildx and compose plugins). */
  readonly cli: string
  /** Directory of that CLI, to put first on a PATH (the action's `docker system dial-stdio` then uses it). */
  readonly binDir: string
  /** DOCKER_CONFIG for that CLI (28.5: finds the buildx and compose plugins); undefined for 20.10. */
  readonly dockerConfig?: string
  /** DOCKER_HOST for this engine, e.g. unix:///tmp/cac-dk-ab12/docker.sock. */
  readonly host: string
  readonly socket: string
  /** The engine's data root; on the containerd store the managed containerd's root lives below it too. */
  readonly dataRoot: string
  /** The temp directory holding everything of this engine. */
  readonly dir: string
  /** process.env with DOCKER_HOST pointing here, this engine's CLI first on PATH, DOCKER_CONFIG (and no DOCKER_CONTEXT). */
  env(extra?: Record<string, string>): NodeJS.ProcessEnv
  stop(): Promise<void>
}

/** Absolute path of a command on PATH, or undefined. */
export function which(command: string, searchPath = process.env.PATH ?? ''): string | undefined {
  for (const dir of searchPath.split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, command))) return path.join(dir, command)
  }
  return undefined
}

/** GET /_ping over the engine's socket; true on 200. */
function ping(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ socketPath: socket, path: '/_ping', method: 'GET', timeout: 2000 }, (res) => {
      res.resume()
      resolve(res.statusCode === 200)
    })
    req.on('error', () => resolve(false))
    req.on('timeout', () => {
      req.destroy()
      resolve(false)
    })
    req.end()
  })
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

function exited(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true)
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve(true)
    })
  })
}

/** Mount points at or below dir, deepest first. */
function mountsUnder(dir: string): string[] {
  const mounts: string[] = []
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const mountPoint = line.split(' ')[4]
    if (mountPoint && (mountPoint === dir || mountPoint.startsWith(`${dir}/`))) {
      mounts.push(mountPoint.replace(/\\040/g, ' '))
    }
  }
  return mounts.sort((a, b) => b.length - a.length)
}

function killPidFile(file: string): void {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim())
    if (pid > 0) process.kill(pid, 'SIGKILL')
  } catch {
    // gone already
  }
}

/** The unpacked Docker 28.5 tree (scripts/engines.sh fetches it once into its cache). */
let docker28Root: string | undefined
function docker28(): string {
  const script = fileURLToPath(new URL('../../scripts/engines.sh', import.meta.url))
  docker28Root ??= execFileSync('bash', [script, 'root'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit']
  }).trim()
  return docker28Root
}

/** GET path on the engine's socket, parsed as JSON. */
function socketJson<T>(socket: string, urlPath: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: socket, path: urlPath, method: 'GET', timeout: 60_000 }, (res) => {
      let body = ''
      res.on('data', (chunk: Buffer) => (body += chunk.toString()))
      res.on('end', () => {
        try {
          if ((res.statusCode ?? 500) >= 300) throw new Error(`HTTP ${res.statusCode}`)
          resolve(JSON.parse(body) as T)
        } catch (error) {
          reject(new Error(`GET ${urlPath}: ${res.statusCode} ${body.slice(0, 200)} (${String(error)})`))
        }
      })
    })
    req.on('error', reject)
    req.on('timeout', () => req.destroy(new Error(`GET ${urlPath}: no answer within 60 s`)))
    req.end()
  })
}

export interface EngineOptions {
  /**
   * Put the data root on a tmpfs of its own, so the free space of its
   * filesystem moves only with this engine (a shared disk moves with every
   * other writer): for tests of figures measured as free space.
   */
  readonly ownFilesystem?: boolean
}

/** Starts a private dockerd of `kind` and waits until /_ping answers. Throws with the daemon log's tail if it cannot. */
export async function startEngine(
  kind: EngineKind = 'debian-20.10',
  timeoutMs = 60_000,
  options: EngineOptions = {}
): Promise<Engine> {
  if (process.getuid?.() !== 0) throw new Error('a private dockerd needs root')
  // 20.10 is the system's package; 28.5 runs from the unpacked tree, with Debian 12's runc.
  const tree = kind === 'debian-20.10' ? undefined : docker28()
  const binDirs = tree ? [path.join(tree, 'usr/bin'), path.join(tree, 'usr/sbin')] : []
  const daemonPath = [...binDirs, process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin'].join(path.delimiter)
  const dockerd = which('dockerd', daemonPath)
  if (!dockerd) throw new Error(`dockerd (${kind}) is not on PATH`)
  const cli = tree ? path.join(tree, 'usr/bin/docker') : '/usr/bin/docker'
  if (!existsSync(cli)) throw new Error(`the docker CLI for ${kind} is missing at ${cli}`)
  const dir = mkdtempSync('/tmp/cac-dk-')
  const socket = path.join(dir, 'docker.sock')
  const dataRoot = path.join(dir, 'root')
  const execRoot = path.join(dir, 'exec')
  const logFile = path.join(dir, 'dockerd.log')
  if (options.ownFilesystem) {
    mkdirSync(dataRoot)
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=2g,mode=0711', 'tmpfs', dataRoot])
    if (mounted.status !== 0) {
      rmSync(dir, { recursive: true, force: true })
      throw new Error(`cannot mount a tmpfs for the data root: ${mounted.stderr.toString().trim()}`)
    }
  }
  const store = kind === '28.5-containerd' ? 'containerd' : 'overlay2'
  // Our own daemon.json, so /etc/docker/daemon.json never applies.
  const config = path.join(dir, 'daemon.json')
  writeFileSync(
    config,
    JSON.stringify(tree ? { features: { 'containerd-snapshotter': store === 'containerd' } } : {}, null, 2)
  )
  let dockerConfig: string | undefined
  if (tree) {
    // The CLI finds buildx (`docker build`, `docker builder prune`) and compose here.
    dockerConfig = path.join(dir, 'cli-config')
    mkdirSync(dockerConfig)
    writeFileSync(
      path.join(dockerConfig, 'config.json'),
      JSON.stringify({ cliPluginsExtraDirs: [path.join(tree, 'usr/libexec/docker/cli-plugins')] })
    )
  }
  const log = openSync(logFile, 'a')
  const child = spawn(
    dockerd,
    [
      '--config-file',
      config,
      '--iptables=false',
      '--bridge=none',
      '-H',
      `unix://${socket}`,
      '--data-root',
      dataRoot,
      '--exec-root',
      execRoot,
      '--pidfile',
      path.join(dir, 'docker.pid')
    ],
    { stdio: ['ignore', log, log], env: { ...process.env, PATH: daemonPath } }
  )
  let spawnError: Error | undefined
  child.on('error', (error) => (spawnError = error))

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      if (!(await exited(child, 20_000))) {
        child.kill('SIGKILL')
        await exited(child, 5_000)
      }
    }
    // The managed containerd normally stops with dockerd; not after a SIGKILL.
    killPidFile(path.join(execRoot, 'containerd', 'containerd.pid'))
    for (const mount of mountsUnder(dir)) spawnSync('umount', ['-l', mount])
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 })
  }

  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (await ping(socket)) break
    const dead =
      spawnError ?? (child.exitCode !== null ? new Error(`dockerd exited with ${child.exitCode}`) : undefined)
    if (dead || Date.now() > deadline) {
      const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').trim().split('\n').slice(-5).join('\n') : ''
      await stop()
      throw new Error(`${dead?.message ?? `dockerd did not answer /_ping within ${timeoutMs / 1000} s`}\n${tail}`)
    }
    await sleep(200)
  }

  const version = await socketJson<{ Version: string; ApiVersion: string }>(socket, '/version')
  const info = await socketJson<{ Driver: string; DriverStatus?: [string, string][] | null }>(socket, '/info')
  const snapshotter = (info.DriverStatus ?? []).some(([, value]) => value.includes('snapshotter'))
  const actualStore = snapshotter ? 'containerd' : 'overlay2'
  if (actualStore !== store || (tree === undefined) !== version.Version.startsWith('20.10')) {
    await stop()
    throw new Error(`engine ${kind} came up as Docker ${version.Version} with the ${actualStore} store`)
  }
  const host = `unix://${socket}`
  const binDir = path.dirname(cli)
  const engine: Engine = {
    kind,
    label: `Docker ${version.Version} (${store === 'containerd' ? 'containerd store' : 'overlay2'}, API ${version.ApiVersion})`,
    version: version.Version,
    apiVersion: version.ApiVersion,
    store,
    cli,
    binDir,
    dockerConfig,
    host,
    socket,
    dataRoot,
    dir,
    env: (extra = {}) => {
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        DOCKER_HOST: host,
        PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ''}`,
        ...(dockerConfig ? { DOCKER_CONFIG: dockerConfig } : {}),
        ...extra
      }
      delete env.DOCKER_CONTEXT
      if (!dockerConfig && !('DOCKER_CONFIG' in extra)) delete env.DOCKER_CONFIG
      return env
    },
    stop: async () => {
      enginesByHost.delete(host)
      await stop()
    }
  }
  enginesByHost.set(host, engine)
  return engine
}

/** The engines started here, by DOCKER_HOST: docker() picks the CLI and environment that go with each. */
const enginesByHost = new Map<string, Engine>()

/**
 * Starts an engine for a suite, or explains why not: in CI that is an error
 * (the suite fails); elsewhere the suite is skipped with a warning. Use with
 * describeIf(engine).
 */
export async function requireEngineOrSkip(
  suite: string,
  kind: EngineKind = 'debian-20.10',
  options: EngineOptions = {}
): Promise<Engine | undefined> {
  try {
    return await startEngine(kind, undefined, options)
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    if (process.env.CI === 'true') {
      throw new Error(`${suite}: a private Docker engine (${kind}) is required in CI but could not start: ${reason}`)
    }
    console.warn(`SKIPPED ${suite} on ${kind}: no private Docker engine (${reason.split('\n')[0]})`)
    return undefined
  }
}

/**
 * Every engine of engineKinds() for a suite, started one after the other
 * (each start is CPU-heavy). In CI one that cannot start fails the suite;
 * elsewhere it is left out with a warning. Loop over the result with
 * `describe(\`... on ${engine.label}\`)` so each test names its engine.
 */
export async function requireEnginesOrSkip(suite: string, options: EngineOptions = {}): Promise<Engine[]> {
  const engines: Engine[] = []
  for (const kind of engineKinds()) {
    const engine = await requireEngineOrSkip(suite, kind, options)
    if (engine) engines.push(engine)
  }
  return engines
}

/**
 * One describe per engine, named `${name}, on ${engine.label}`, its body given
 * the engine: the loop of requireEnginesOrSkip()'s result as one call.
 */
export function describeEngines(engines: readonly Engine[], name: string, body: (engine: Engine) => void): void {
  for (const engine of engines) describe(`${name}, on ${engine.label}`, () => body(engine))
}

/** describe when the engine started, describe.skip (listed as skipped) otherwise. */
export function describeIf(engine: Engine | undefined): typeof describe | typeof describe.skip {
  return engine ? describe : describe.skip
}

/** A docker CLI with BuildKit built in: the 20.10 client if present, else `docker` (with buildx). */
export function buildCli(): string {
  return process.env.CAC_DOCKER_BUILD_CLI ?? (existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker')
}

/** Runs a docker CLI command against host; resolves with stdout+stderr, rejects with them on failure. */
export async function docker(
  host: string,
  args: string[],
  options: { cli?: string; input?: Buffer; env?: Record<string, string> } = {}
): Promise<string> {
  const engine = enginesByHost.get(host)
  const cli = options.cli ?? engine?.cli ?? buildCli()
  const env: NodeJS.ProcessEnv = {
    ...(engine ? engine.env() : process.env),
    DOCKER_HOST: host,
    DOCKER_BUILDKIT: '1',
    ...options.env
  }
  delete env.DOCKER_CONTEXT
  return new Promise((resolve, reject) => {
    const child = spawn(cli, args, { env, stdio: ['pipe', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`docker ${args.join(' ')} exited ${code}:\n${output}`))
    )
    child.stdin.end(options.input)
  })
}

/**
 * On the containerd store an image's unpack now and then fails with "failed
 * to prepare extraction snapshot … parent snapshot … does not exist": an open
 * upstream race (moby/buildkit#6521, seen with Docker 29 on hosted runners
 * too), not ours. A build that fails so is tried again, twice at most.
 */
const UNPACK_RACE = /failed to prepare extraction snapshot .*parent snapshot \S+ does not exist/

/** BuildKit build of dir (plain progress, no network); returns the build log. */
export async function buildImage(host: string, dir: string, tag: string, extraArgs: string[] = []): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await docker(host, ['build', '--network=none', '--progress=plain', '-t', tag, ...extraArgs, dir])
    } catch (error) {
      if (attempt >= 3 || !UNPACK_RACE.test(String(error))) throw error
      console.warn(`docker build ${tag}: the containerd unpack race (moby/buildkit#6521); building again`)
    }
  }
}

/** Imports a tiny busybox-only base image as `tag` (default bbase:1). No registry needed. */
export async function makeBusyboxBase(host: string, tag = 'bbase:1'): Promise<string> {
  const busybox = ['/bin/busybox', '/usr/bin/busybox'].find((p) => existsSync(p))
  if (!busybox) throw new Error('busybox (static) is needed for the test base image')
  const root = mkdtempSync('/tmp/cac-bb-')
  try {
    mkdirSync(path.join(root, 'bin'))
    mkdirSync(path.join(root, 'tmp'))
    copyFileSync(busybox, path.join(root, 'bin', 'busybox'))
    for (const applet of [
      'sh',
      'dd',
      'cat',
      'echo',
      'ls',
      'mkdir',
      'rm',
      'cp',
      'head',
      'true',
      'touch',
      'sleep',
      'du'
    ]) {
      symlinkSync('busybox', path.join(root, 'bin', applet))
    }
    const tar = spawnSync('tar', ['-C', root, '-c', '.'], { maxBuffer: 64 * 1024 * 1024 })
    if (tar.status !== 0) throw new Error(`tar failed: ${tar.stderr.toString()}`)
    await docker(host, ['import', '-', tag], { input: tar.stdout })
    return tag
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
}

const bases = new Map<string, Promise<string>>()

/**
 * Fills the engine's build cache with a build that leaves: a COPY of an
 * 8 MiB context file (the context's source.local record is unshared, the
 * layer is shared with the image), a 6 MiB RUN layer (shared), an 8 MiB
 * RUN --mount=type=cache (unshared); built twice, the second time with
 * --no-cache. At least 16 MiB of unshared cache. Returns the context dir,
 * to build again, once the data root has settled: on the containerd store the
 * image the rebuild replaced loses its snapshots to containerd's garbage
 * collector a moment after the build returns (seen: its 6 MiB layer, freed
 * while a test measured a prune).
 */
export async function fillBuildCache(engine: Engine, name: string): Promise<string> {
  if (!bases.has(engine.host)) bases.set(engine.host, makeBusyboxBase(engine.host))
  const base = await (bases.get(engine.host) as Promise<string>)
  const dir = mkdtempSync(path.join(engine.dir, `ctx-${name}-`))
  const MiB = 1024 * 1024
  writeFileSync(path.join(dir, 'ctx.bin'), randomBytes(8 * MiB))
  writeFileSync(
    path.join(dir, 'Dockerfile'),
    [
      `FROM ${base}`,
      'COPY ctx.bin /ctx.bin',
      'RUN dd if=/dev/urandom of=/layer bs=1M count=6',
      `RUN --mount=type=cache,target=/cache,id=${name} dd if=/dev/urandom of=/cache/c bs=1M count=8`,
      `RUN echo ${name} > /done`
    ].join('\n')
  )
  await buildImage(engine.host, dir, `${name}:1`)
  await buildImage(engine.host, dir, `${name}:1`, ['--no-cache'])
  await settledDataRootBytes(engine.dataRoot)
  return dir
}

/** dataRootBytes once two reads a second apart agree (at most ~30 s): nothing is still freeing or writing. */
export async function settledDataRootBytes(dir: string): Promise<number> {
  let bytes = await dataRootBytes(dir)
  for (let tries = 0; tries < 30; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 1000))
    const again = await dataRootBytes(dir)
    if (again === bytes) return again
    bytes = again
  }
  throw new Error(`the data root ${dir} did not settle within 30 s`)
}

/**
 * The build-cache records once BuildKit has settled after a build: it may
 * still release and replace a record (the build context's, for one) shortly
 * after `docker build` returns, more so on a loaded machine. Reads until two
 * reads a second apart list the same IDs (at most ~30 s).
 */
export async function settledBuildCache(engine: Engine): ReturnType<typeof engineBuildCache> {
  const ids = (records: { ID: string }[]): string =>
    records
      .map((r) => r.ID)
      .sort()
      .join(',')
  let records = await engineBuildCache(engine)
  for (let tries = 0; tries < 30; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 1000))
    const again = await engineBuildCache(engine)
    if (ids(again) === ids(records)) return again
    records = again
  }
  throw new Error('the build cache did not settle within 30 s')
}

/**
 * POST /containers/{id}/kill straight on the engine's socket: a few ms, where
 * a docker CLI call takes a hundred or more (a kill meant to land mid-clear).
 */
export function killContainer(engine: Engine, id: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        socketPath: engine.socket,
        path: `/containers/${encodeURIComponent(id)}/kill`,
        method: 'POST',
        timeout: 30_000
      },
      (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode ?? 0))
      }
    )
    req.on('error', reject)
    req.end()
  })
}

/** Real disk use of dir in bytes (`du -sxB1`: allocated blocks, staying on its filesystem). */
export async function dataRootBytes(dir: string): Promise<number> {
  const { stdout } = await run('du', ['-sxB1', dir])
  return Number(stdout.split(/\s/)[0])
}

/** The engine's build-cache records, read straight from its socket (not through src/docker.ts). */
export async function engineBuildCache(
  engine: Engine
): Promise<{ ID: string; Type: string; Shared: boolean; InUse: boolean; Size: number }[]> {
  const df = await socketJson<{ BuildCache?: unknown[] | null; BuildCacheUsage?: { Items?: unknown[] | null } }>(
    engine.socket,
    '/system/df?type=build-cache&verbose=1'
  )
  return (df.BuildCacheUsage?.Items ?? df.BuildCache ?? []) as never
}

export interface Sshd {
  /** DOCKER_HOST for the engine through this sshd: ssh://root@127.0.0.1:<port>. */
  readonly host: string
  /** process.env with DOCKER_HOST=host and an `ssh` wrapper first on PATH. */
  env(): NodeJS.ProcessEnv
  stop(): Promise<void>
}

/**
 * A throwaway sshd on loopback whose sessions reach `engine` with its CLI
 * (sshd_config SetEnv DOCKER_HOST, PATH, DOCKER_CONFIG), plus an `ssh` wrapper that trusts it: ssh reads its
 * config from the account's home, not $HOME, so the wrapper passes -F.
 */
export async function startSshd(engine: Engine): Promise<Sshd> {
  const sshd = ['/usr/sbin/sshd', which('sshd')].find((p): p is string => !!p && existsSync(p))
  const ssh = which('ssh')
  if (!sshd || !ssh) throw new Error('openssh (sshd and ssh) is needed for the ssh:// test')
  const dir = mkdtempSync('/tmp/cac-ssh-')
  const keygen = (file: string): void => {
    const result = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, file)])
    if (result.status !== 0) throw new Error(`ssh-keygen failed: ${result.stderr.toString()}`)
  }
  keygen('host_key')
  keygen('client_key')
  copyFileSync(path.join(dir, 'client_key.pub'), path.join(dir, 'authorized_keys'))
  const port = await freePort()
  const write = (file: string, lines: string[]): void => writeFileSync(path.join(dir, file), `${lines.join('\n')}\n`)
  write('sshd_config', [
    'ListenAddress 127.0.0.1',
    `HostKey ${dir}/host_key`,
    `PidFile ${dir}/sshd.pid`,
    `AuthorizedKeysFile ${dir}/authorized_keys`,
    'PermitRootLogin prohibit-password',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'StrictModes no',
    // The session's `docker system dial-stdio` is this engine's CLI (28.5: with its plugins' config).
    `SetEnv DOCKER_HOST=${engine.host} PATH=${engine.binDir}${path.delimiter}${process.env.PATH ?? '/usr/bin:/bin'}${
      engine.dockerConfig ? ` DOCKER_CONFIG=${engine.dockerConfig}` : ''
    }`
  ])
  write('ssh_config', [
    'Host *',
    '  StrictHostKeyChecking no',
    '  UserKnownHostsFile /dev/null',
    `  IdentityFile ${dir}/client_key`,
    '  IdentitiesOnly yes',
    '  BatchMode yes',
    '  LogLevel ERROR'
  ])
  mkdirSync(path.join(dir, 'bin'))
  writeFileSync(path.join(dir, 'bin', 'ssh'), `#!/bin/sh\nexec ${ssh} -F ${dir}/ssh_config "$@"\n`, { mode: 0o755 })
  const { stop } = await startSshdProcess(sshd, dir, path.join(dir, 'sshd_config'), port, ['-p', String(port)])
  const host = `ssh://root@127.0.0.1:${port}`
  return {
    host,
    env: () => {
      const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_HOST: host, PATH: `${dir}/bin:${process.env.PATH ?? ''}` }
      delete env.DOCKER_CONTEXT
      return env
    },
    stop
  }
}
