// A private Docker engine per test file: its own data root, exec root and
// socket in a fresh /tmp/cac-dk-XXXX directory (short: unix socket paths are
// limited to ~108 bytes), so tests can measure the data root with du and
// prune without touching anyone else's cache.
//
// The engines are the rows of scripts/engines.json (issues 13, 18; another
// table with CAC_ENGINES_TABLE=file): name, version, API range, store,
// containerd layout (managed by dockerd, or separate: started here with its
// own root outside the data root, as Docker's own packages run it), where the
// binaries come from, and which suites run the row. Binaries other than the
// machine's own come from `scripts/engines.sh root NAME` (fetched once,
// unpacked, never installed). CAC_ENGINES=name,name narrows the list (a row
// named there runs in every engine suite, whatever its "suites").
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
  readdirSync,
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
import { describe, expect } from '@jest/globals'

const run = promisify(execFile)

/** One row of scripts/engines.json. */
export interface EngineRow {
  /** The engine's id, in test names and CAC_ENGINES. */
  readonly name: string
  /** The version the row was written against; what a machine really runs is Engine.version. */
  readonly version: string
  /** The API range the row stands for: at least min, below `below`. */
  readonly api: { readonly min?: string; readonly below?: string }
  readonly store: 'overlay2' | 'containerd'
  /** managed: dockerd starts containerd (root under the data root); separate: a containerd of its own. */
  readonly containerd: 'managed' | 'separate'
  /** {system: package} | {unstable: [packages]} | {static: url, buildx?: url, compose?: url} */
  readonly source: Readonly<Record<string, unknown>>
  /** Test files (basenames) that run this row; "*" = every engine suite. */
  readonly suites: readonly string[]
}

const ENGINES_SCRIPT = fileURLToPath(new URL('../../scripts/engines.sh', import.meta.url))
const TABLE_FILE =
  process.env.CAC_ENGINES_TABLE ?? fileURLToPath(new URL('../../scripts/engines.json', import.meta.url))

/** The rows of the engines table, in its order. */
export const ENGINE_TABLE: readonly EngineRow[] = (
  JSON.parse(readFileSync(TABLE_FILE, 'utf8')) as { engines: EngineRow[] }
).engines

/** An engine's row name, e.g. "28.5-containerd" (any name of the table). */
export type EngineKind = string
export const ENGINE_KINDS: readonly EngineKind[] = ENGINE_TABLE.map((row) => row.name)

/** The table's row for kind; throws on a name the table does not have. */
export function engineRow(kind: EngineKind): EngineRow {
  const row = ENGINE_TABLE.find((r) => r.name === kind)
  if (!row) throw new Error(`unknown engine "${kind}" (known: ${ENGINE_KINDS.join(', ')})`)
  return row
}

/** The running test file's basename, e.g. "docker.test.ts" (undefined outside jest). */
function currentSuite(): string | undefined {
  try {
    const testPath = expect.getState().testPath
    return testPath ? path.basename(testPath) : undefined
  } catch {
    return undefined
  }
}

/**
 * The kinds this run proves in `suite` (default: the running test file): the
 * rows whose "suites" take it, or those CAC_ENGINES names.
 */
export function engineKinds(suite: string | undefined = currentSuite()): EngineKind[] {
  const wanted = (process.env.CAC_ENGINES ?? '')
    .split(',')
    .map((word) => word.trim())
    .filter((word) => word !== '')
  if (wanted.length === 0) {
    return ENGINE_TABLE.filter(
      (row) => row.suites.includes('*') || suite === undefined || row.suites.includes(suite)
    ).map((row) => row.name)
  }
  for (const kind of wanted) {
    if (!ENGINE_KINDS.includes(kind)) {
      throw new Error(`CAC_ENGINES: unknown engine "${kind}" (known: ${ENGINE_KINDS.join(', ')})`)
    }
  }
  return wanted
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
  /** The engine's data root; on the containerd store a managed containerd's root lives below it too. */
  readonly dataRoot: string
  /** Who runs containerd: dockerd (managed), or this helper, with its own config (separate). */
  readonly containerd: 'managed' | 'separate'
  /**
   * containerd's root (content store, snapshots, metadata): <dataRoot>/containerd/daemon when managed;
   * when separate, a sibling of the data root (<dir>/containerd-root, or on the ownFilesystem tmpfs or the
   * `disk` beside it): outside the data root, on the same filesystem, as /var/lib/containerd beside
   * /var/lib/docker.
   */
  readonly containerdRoot: string
  /** containerd's gRPC socket (separate: the one dockerd was given with --containerd). */
  readonly containerdSocket: string
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

/** The unpacked tree of a row's binaries (scripts/engines.sh fetches each source once into its cache). */
const trees = new Map<string, string>()
function engineTree(kind: EngineKind): string {
  let tree = trees.get(kind)
  if (tree === undefined) {
    tree = execFileSync('bash', [ENGINES_SCRIPT, 'root', kind], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit']
    }).trim()
    trees.set(kind, tree)
  }
  return tree
}

/** "1.51" >= "1.48" */
function apiAtLeast(api: string, min: string): boolean {
  const [a, b] = [api, min].map((v) => v.split('.').map(Number))
  return a[0] !== b[0] ? a[0] > b[0] : (a[1] ?? 0) >= (b[1] ?? 0)
}

/** Processes whose command line contains `needle` (the shims of one containerd name its socket). */
function pidsWith(needle: string): number[] {
  const pids: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(needle)) pids.push(Number(entry))
    } catch {
      // gone
    }
  }
  return pids
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
   * Put the data root (and a separate containerd's root) on a tmpfs of its
   * own, so the free space of its filesystem moves only with this engine (a
   * shared disk moves with every other writer): for tests of figures measured
   * as free space.
   */
  readonly ownFilesystem?: boolean
  /**
   * A directory on a filesystem the test made (a loop-mounted ext4, say): the
   * data root (<disk>/root) and a separate containerd's root
   * (<disk>/containerd-root) go there. Wins over ownFilesystem.
   */
  readonly disk?: string
}

/** Starts a private dockerd of `kind` and waits until /_ping answers. Throws with the daemon log's tail if it cannot. */
export async function startEngine(
  kind: EngineKind = 'debian-20.10',
  timeoutMs = 60_000,
  options: EngineOptions = {}
): Promise<Engine> {
  if (process.getuid?.() !== 0) throw new Error('a private dockerd needs root')
  const row = engineRow(kind)
  // A system row runs the machine's own package; others run from their unpacked tree (with the machine's runc
  // unless the tree brings one).
  const tree = 'system' in row.source ? undefined : engineTree(kind)
  const binDirs = tree ? [path.join(tree, 'usr/bin'), path.join(tree, 'usr/sbin')] : []
  const daemonPath = [...binDirs, process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin'].join(path.delimiter)
  const dockerd = which('dockerd', daemonPath)
  if (!dockerd) throw new Error(`dockerd (${kind}) is not on PATH`)
  const cli = tree ? path.join(tree, 'usr/bin/docker') : '/usr/bin/docker'
  if (!existsSync(cli)) throw new Error(`the docker CLI for ${kind} is missing at ${cli}`)
  const separate = row.containerd === 'separate'
  const containerdBin = separate ? which('containerd', daemonPath) : undefined
  if (separate && !containerdBin) throw new Error(`containerd (${kind}) is not on PATH`)
  const dir = mkdtempSync('/tmp/cac-dk-')
  const socket = path.join(dir, 'docker.sock')
  let disk = options.disk ?? dir
  const execRoot = path.join(dir, 'exec')
  const logFile = path.join(dir, 'dockerd.log')
  if (options.ownFilesystem && !options.disk) {
    // The data root itself is the mount point when there is no separate containerd (as before).
    disk = separate ? path.join(dir, 'disk') : dir
    const mountPoint = separate ? disk : path.join(dir, 'root')
    mkdirSync(mountPoint)
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=2g,mode=0711', 'tmpfs', mountPoint])
    if (mounted.status !== 0) {
      rmSync(dir, { recursive: true, force: true })
      throw new Error(`cannot mount a tmpfs for the data root: ${mounted.stderr.toString().trim()}`)
    }
  }
  const dataRoot = path.join(disk, 'root')
  const containerdRoot = separate ? path.join(disk, 'containerd-root') : path.join(dataRoot, 'containerd', 'daemon')
  const containerdSocket = separate
    ? path.join(dir, 'containerd.sock')
    : path.join(execRoot, 'containerd', 'containerd.sock')
  const store = row.store
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

  // A separate containerd, configured as Docker's own packages run the system one (/etc/containerd/config.toml:
  // CRI off, otherwise the defaults: the overlayfs snapshotter), with its root, state and sockets here.
  let containerd: ChildProcess | undefined
  let containerdError: Error | undefined
  const containerdLog = path.join(dir, 'containerd.log')
  if (separate) {
    const toml = path.join(dir, 'containerd.toml')
    writeFileSync(
      toml,
      [
        'version = 3',
        `root = ${JSON.stringify(containerdRoot)}`,
        `state = ${JSON.stringify(path.join(dir, 'containerd-state'))}`,
        "disabled_plugins = ['io.containerd.grpc.v1.cri', 'io.containerd.cri.v1.runtime', 'io.containerd.cri.v1.images']",
        '[grpc]',
        `  address = ${JSON.stringify(containerdSocket)}`,
        '[ttrpc]',
        `  address = ${JSON.stringify(`${containerdSocket}.ttrpc`)}`,
        ''
      ].join('\n')
    )
    const log = openSync(containerdLog, 'a')
    containerd = spawn(containerdBin as string, ['--config', toml], {
      stdio: ['ignore', log, log],
      env: { ...process.env, PATH: daemonPath }
    })
    containerd.on('error', (error) => (containerdError = error))
  }

  const log = openSync(logFile, 'a')
  let child: ChildProcess | undefined
  let spawnError: Error | undefined
  const startDockerd = (): void => {
    child = spawn(
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
        path.join(dir, 'docker.pid'),
        ...(separate ? ['--containerd', containerdSocket] : [])
      ],
      { stdio: ['ignore', log, log], env: { ...process.env, PATH: daemonPath } }
    )
    child.on('error', (error) => (spawnError = error))
  }

  const stopChild = async (proc: ChildProcess | undefined): Promise<void> => {
    if (proc && proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGTERM')
      if (!(await exited(proc, 20_000))) {
        proc.kill('SIGKILL')
        await exited(proc, 5_000)
      }
    }
  }
  const stop = async (): Promise<void> => {
    await stopChild(child)
    // The managed containerd normally stops with dockerd; not after a SIGKILL.
    killPidFile(path.join(execRoot, 'containerd', 'containerd.pid'))
    if (separate) {
      await stopChild(containerd)
      // Shims of containers still running outlive their containerd; they name its socket.
      for (const pid of pidsWith(containerdSocket)) {
        try {
          process.kill(pid, 'SIGKILL')
        } catch {
          // gone
        }
      }
    }
    for (const mount of mountsUnder(dir)) spawnSync('umount', ['-l', mount])
    if (options.disk) {
      for (const mount of mountsUnder(dataRoot)) spawnSync('umount', ['-l', mount])
      for (const mount of mountsUnder(containerdRoot)) spawnSync('umount', ['-l', mount])
      rmSync(dataRoot, { recursive: true, force: true, maxRetries: 3 })
      if (separate) rmSync(containerdRoot, { recursive: true, force: true, maxRetries: 3 })
    }
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 })
  }
  const tail = (file: string): string =>
    existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').slice(-5).join('\n') : ''

  const deadline = Date.now() + timeoutMs
  if (separate) {
    while (!existsSync(containerdSocket)) {
      const dead =
        containerdError ??
        (containerd?.exitCode != null ? new Error(`containerd exited with ${containerd.exitCode}`) : undefined)
      if (dead || Date.now() > deadline) {
        const message = `${dead?.message ?? `containerd did not open ${containerdSocket} within ${timeoutMs / 1000} s`}\n${tail(containerdLog)}`
        await stop()
        throw new Error(message)
      }
      await sleep(100)
    }
  }
  startDockerd()
  for (;;) {
    if (await ping(socket)) break
    const exitCode = child?.exitCode
    const dead = spawnError ?? (exitCode != null ? new Error(`dockerd exited with ${exitCode}`) : undefined)
    if (dead || Date.now() > deadline) {
      const message = `${dead?.message ?? `dockerd did not answer /_ping within ${timeoutMs / 1000} s`}\n${tail(logFile)}`
      await stop()
      throw new Error(message)
    }
    await sleep(200)
  }

  const version = await socketJson<{ Version: string; ApiVersion: string }>(socket, '/version')
  const info = await socketJson<{ Driver: string; DriverStatus?: [string, string][] | null }>(socket, '/info')
  const snapshotter = (info.DriverStatus ?? []).some(([, value]) => value.includes('snapshotter'))
  const actualStore = snapshotter ? 'containerd' : 'overlay2'
  const inRange =
    (row.api.min === undefined || apiAtLeast(version.ApiVersion, row.api.min)) &&
    (row.api.below === undefined || !apiAtLeast(version.ApiVersion, row.api.below))
  if (actualStore !== store || !inRange) {
    await stop()
    const range = [row.api.min && `>= ${row.api.min}`, row.api.below && `< ${row.api.below}`].filter(Boolean).join(', ')
    throw new Error(
      `engine ${kind} came up as Docker ${version.Version} (API ${version.ApiVersion}) with the ${actualStore} store; ` +
        `its row in ${TABLE_FILE} wants API ${range} and the ${store} store`
    )
  }
  const host = `unix://${socket}`
  const binDir = path.dirname(cli)
  const storeName = store === 'containerd' ? `containerd store${separate ? ', separate containerd' : ''}` : 'overlay2'
  const engine: Engine = {
    kind,
    label: `Docker ${version.Version} (${storeName}, API ${version.ApiVersion})`,
    version: version.Version,
    apiVersion: version.ApiVersion,
    store,
    cli,
    binDir,
    dockerConfig,
    host,
    socket,
    dataRoot,
    containerd: row.containerd,
    containerdRoot,
    containerdSocket,
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
 * Every engine of engineKinds() for a suite (of one store, if given), started at once (each has its own
 * data root, exec root and sockets; the starts overlap their waits), in the
 * table's order. In CI one that cannot start fails the suite (after the others
 * are stopped); elsewhere it is left out with a warning. Loop over the result
 * with `describe(\`... on ${engine.label}\`)` so each test names its engine.
 */
export async function requireEnginesOrSkip(
  suite: string,
  options: EngineOptions = {},
  store?: EngineRow['store']
): Promise<Engine[]> {
  const kinds = engineKinds().filter((kind) => store === undefined || engineRow(kind).store === store)
  const results = await Promise.allSettled(kinds.map((kind) => requireEngineOrSkip(suite, kind, options)))
  const engines = results.flatMap((result) => (result.status === 'fulfilled' && result.value ? [result.value] : []))
  const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected')
  if (failed) {
    await Promise.all(engines.map((engine) => engine.stop()))
    throw failed.reason
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

/**
 * Real disk use of dir in bytes (`du -sxB1`: allocated blocks, staying on its filesystem). du fails when a
 * directory vanishes under its walk (containerd's collector removing a snapshot a moment after a build or a
 * prune): it is asked again, a few times.
 */
export async function dataRootBytes(dir: string): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      const { stdout } = await run('du', ['-sxB1', dir])
      return Number(stdout.split(/\s/)[0])
    } catch (error) {
      if (attempt >= 5 || !/No such file or directory/.test(String((error as { stderr?: string }).stderr))) throw error
      await sleep(200)
    }
  }
}

/**
 * Real disk use of everything the engine stores, in bytes: its data root, and a separate containerd's root
 * (outside the data root: a prune frees content and snapshots there too). Managed: dataRootBytes.
 */
export async function engineStoreBytes(engine: Engine): Promise<number> {
  const dataRoot = await dataRootBytes(engine.dataRoot)
  return engine.containerd === 'separate' ? dataRoot + (await dataRootBytes(engine.containerdRoot)) : dataRoot
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
