// The remote bench's own parts, as the tests' helpers make them
// (__tests__/helpers/engine.ts, ssh-server.ts, node-image.ts) but plain .mjs:
// a private 20.10 dockerd, a loopback sshd whose account reaches it, a node
// image made with `docker import`, and a small build cache. The sshd's and
// dockerd's logs carry timestamps, for the phases of a run.
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import { request } from 'node:http'
import net from 'node:net'
import path from 'node:path'

export const SSH_USER = 'cacdeploy'
/** A docker CLI with BuildKit built in (the 20.10 client), for building the cache. */
const BUILD_CLI = fs.existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker'

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

export function which(command, searchPath = process.env.PATH ?? '') {
  for (const dir of searchPath.split(path.delimiter)) {
    if (dir && fs.existsSync(path.join(dir, command))) return path.join(dir, command)
  }
  return undefined
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

function canConnect(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

function exited(child, ms) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true)
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve(true)
    })
  })
}

/** GET on the engine's socket: { status, body }. */
export function engineGet(socket, urlPath, timeout = 60_000) {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath: socket, path: urlPath, method: 'GET', timeout }, (res) => {
      let body = ''
      res.on('data', (chunk) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode, body }))
    })
    req.on('error', reject)
    req.on('timeout', () => req.destroy(new Error(`GET ${urlPath}: no answer`)))
    req.end()
  })
}

/**
 * A private dockerd (its own data root and socket in /tmp/cac-bench-dk-XXXX,
 * --iptables=false --bridge=none) with --debug: its log has one timestamped
 * "Calling METHOD /path" line per API request.
 */
export async function startEngine(timeoutMs = 90_000) {
  const dockerd = which('dockerd') ?? (fs.existsSync('/usr/sbin/dockerd') ? '/usr/sbin/dockerd' : undefined)
  if (!dockerd) throw new Error('dockerd is not installed')
  if (process.getuid?.() !== 0) throw new Error('a private dockerd needs root')
  const dir = fs.mkdtempSync('/tmp/cac-bench-dk-')
  const socket = path.join(dir, 'docker.sock')
  const logFile = path.join(dir, 'dockerd.log')
  const log = fs.openSync(logFile, 'a')
  const execRoot = path.join(dir, 'exec')
  const child = spawn(
    dockerd,
    [
      '--debug',
      '--iptables=false',
      '--bridge=none',
      '-H',
      `unix://${socket}`,
      '--data-root',
      path.join(dir, 'root'),
      '--exec-root',
      execRoot,
      '--pidfile',
      path.join(dir, 'docker.pid')
    ],
    { stdio: ['ignore', log, log] }
  )
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      if (!(await exited(child, 20_000))) {
        child.kill('SIGKILL')
        await exited(child, 5_000)
      }
    }
    try {
      process.kill(Number(fs.readFileSync(path.join(execRoot, 'containerd', 'containerd.pid'), 'utf8')), 'SIGKILL')
    } catch {
      // gone with dockerd
    }
    const mounts = fs
      .readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .map((line) => line.split(' ')[4])
      .filter((m) => m && (m === dir || m.startsWith(`${dir}/`)))
      .sort((a, b) => b.length - a.length)
    for (const mount of mounts) spawnSync('umount', ['-l', mount])
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 })
  }
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const ok = await engineGet(socket, '/_ping', 2000).then(
      (r) => r.status === 200,
      () => false
    )
    if (ok) break
    if (child.exitCode !== null || Date.now() > deadline) {
      const tail = fs.readFileSync(logFile, 'utf8').trim().split('\n').slice(-5).join('\n')
      await stop()
      throw new Error(`dockerd did not come up:\n${tail}`)
    }
    await sleep(200)
  }
  return {
    host: `unix://${socket}`,
    socket,
    dir,
    /** [{ t: epoch ms, text: "Calling POST /v1.41/build/prune" }] since `since`. */
    calls(since = 0) {
      const calls = []
      for (const line of fs.readFileSync(logFile, 'utf8').split('\n')) {
        const m = /time="([^"]+)" level=debug msg="Calling (\S+ \S+)"/.exec(line)
        if (m && Date.parse(m[1]) >= since) calls.push({ t: Date.parse(m[1]), text: m[2] })
      }
      return calls
    },
    stop
  }
}

/** Runs the 20.10 docker CLI against `host`; resolves with its output. */
export function docker(host, args, input) {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, DOCKER_HOST: host, DOCKER_BUILDKIT: '1' }
    delete env.DOCKER_CONTEXT
    const child = spawn(BUILD_CLI, args, { env, stdio: ['pipe', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (c) => (output += c))
    child.stderr.on('data', (c) => (output += c))
    child.on('error', reject)
    child.on('close', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`docker ${args.join(' ')} exited ${code}:\n${output}`))
    )
    child.stdin.end(input)
  })
}

function tarOf(root) {
  const tar = spawnSync('tar', ['-C', root, '-c', '.'], { maxBuffer: 512 * 1024 * 1024 })
  if (tar.status !== 0) throw new Error(`tar failed: ${tar.stderr}`)
  return tar.stdout
}

/** This machine's node and the libraries ldd lists, imported as `tag` (node at /usr/local/bin/node). */
export async function makeNodeImage(host, tag) {
  const root = fs.mkdtempSync('/tmp/cac-bench-node-image-')
  try {
    const node = fs.realpathSync(process.execPath)
    const ldd = execFileSync('ldd', [node], { encoding: 'utf8' })
    const libraries = [...ldd.matchAll(/(?:=>\s*)?(\/\S+)\s+\(0x/g)].map((m) => m[1])
    for (const file of [node, ...libraries]) {
      const target = path.join(root, file === node ? '/usr/local/bin/node' : file)
      fs.mkdirSync(path.dirname(target), { recursive: true })
      fs.copyFileSync(fs.realpathSync(file), target)
    }
    fs.mkdirSync(path.join(root, 'etc'))
    fs.writeFileSync(path.join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\n')
    fs.writeFileSync(path.join(root, 'etc/group'), 'root:x:0:\n')
    fs.mkdirSync(path.join(root, 'tmp'), { mode: 0o1777 })
    await docker(host, ['import', '--change', 'ENV PATH=/usr/local/bin:/usr/bin:/bin', '-', tag], tarOf(root))
    return tag
  } finally {
    fs.rmSync(root, { recursive: true, force: true })
  }
}

/** A busybox-only base image, for the build that makes the cache. */
async function makeBusyboxBase(host, tag) {
  const busybox = ['/bin/busybox', '/usr/bin/busybox'].find((p) => fs.existsSync(p))
  if (!busybox) throw new Error('busybox (static) is needed for the build-cache base image')
  const root = fs.mkdtempSync('/tmp/cac-bench-bb-')
  try {
    fs.mkdirSync(path.join(root, 'bin'))
    fs.copyFileSync(busybox, path.join(root, 'bin/busybox'))
    for (const applet of ['sh', 'dd', 'echo', 'mkdir']) fs.symlinkSync('busybox', path.join(root, 'bin', applet))
    await docker(host, ['import', '-', tag], tarOf(root))
    return tag
  } finally {
    fs.rmSync(root, { recursive: true, force: true })
  }
}

/** The build-cache records (IDs and sizes) straight from the engine's socket. */
async function buildCacheRecords(engine) {
  const { body } = await engineGet(engine.socket, '/system/df?type=build-cache')
  const df = JSON.parse(body)
  return df.BuildCacheUsage?.Items ?? df.BuildCache ?? []
}

/**
 * A build cache of a few records, the same each time: a COPY of a 2 MiB
 * context file, a 1 MiB RUN layer and a 1 MiB RUN --mount=type=cache, built
 * with --no-cache after removing the image, then read until it settles
 * (BuildKit may replace a record just after the build). Returns its records.
 */
export async function makeBuildCache(engine, workdir) {
  engine.base ??= await makeBusyboxBase(engine.host, 'cac-bench-base:1')
  const context = path.join(workdir, 'build-context')
  if (!fs.existsSync(context)) {
    fs.mkdirSync(context, { recursive: true })
    fs.writeFileSync(path.join(context, 'ctx.bin'), randomBytes(2 * 1024 * 1024))
    fs.writeFileSync(
      path.join(context, 'Dockerfile'),
      [
        `FROM ${engine.base}`,
        'COPY ctx.bin /ctx.bin',
        'RUN dd if=/dev/zero of=/layer bs=1M count=1',
        'RUN --mount=type=cache,target=/cache,id=bench dd if=/dev/zero of=/cache/c bs=1M count=1',
        'RUN echo done > /done'
      ].join('\n')
    )
  }
  await docker(engine.host, ['rmi', '-f', 'cac-bench-cache:1']).catch(() => undefined)
  await docker(engine.host, [
    'build',
    '--no-cache',
    '--network=none',
    '--progress=plain',
    '-t',
    'cac-bench-cache:1',
    context
  ])
  const ids = (records) =>
    records
      .map((r) => r.ID)
      .sort()
      .join(',')
  let records = await buildCacheRecords(engine)
  for (let tries = 0; tries < 30; tries++) {
    await sleep(1000)
    const again = await buildCacheRecords(engine)
    if (ids(again) === ids(records)) return again
    records = again
  }
  throw new Error('the build cache did not settle within 30 s')
}

/** Creates the account when missing (password '*': no password login, not locked for sshd). */
function ensureUser() {
  const exists = () => spawnSync('id', ['-u', SSH_USER]).status === 0
  if (!exists()) {
    const made = spawnSync('useradd', ['--create-home', '--shell', '/bin/sh', SSH_USER], { encoding: 'utf8' })
    if (made.status !== 0 && !exists()) throw new Error(`useradd ${SSH_USER}: ${made.stderr}`)
  }
  execFileSync('usermod', ['-p', '*', SSH_USER])
  const id = (flag) => Number(execFileSync('id', [flag, SSH_USER], { encoding: 'utf8' }).trim())
  return { uid: id('-u'), gid: id('-g') }
}

/**
 * OpenSSH's sshd on a free loopback port, logging at VERBOSE (one line per
 * session start and close): each log line is stamped with the time it
 * arrived. Sessions get `PATH` and DOCKER_HOST for `engine`.
 */
export async function startSshd({ engine, sessionPath }) {
  const sshd = ['/usr/sbin/sshd', '/usr/bin/sshd'].find((p) => fs.existsSync(p))
  if (!sshd) throw new Error('sshd (openssh-server) is not installed')
  if (process.getuid?.() !== 0) throw new Error('a bench sshd with its own account needs root')
  const { uid, gid } = ensureUser()
  const dir = fs.mkdtempSync('/tmp/cac-bench-sshd-')
  fs.chmodSync(dir, 0o755)
  const file = (name) => path.join(dir, name)
  for (const key of ['host_key', 'client_key'])
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file(key)])
  fs.copyFileSync(file('client_key.pub'), file('authorized_keys'))
  fs.chmodSync(engine.dir, 0o711)
  fs.chownSync(engine.socket, uid, gid)
  const port = await freePort()
  fs.writeFileSync(
    file('sshd_config'),
    [
      'ListenAddress 127.0.0.1',
      `Port ${port}`,
      `HostKey ${file('host_key')}`,
      `PidFile ${file('sshd.pid')}`,
      `AuthorizedKeysFile ${file('authorized_keys')}`,
      `AllowUsers ${SSH_USER}`,
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      'LogLevel VERBOSE',
      `SetEnv PATH=${sessionPath} DOCKER_HOST=${engine.host}`
    ].join('\n') + '\n'
  )
  fs.mkdirSync('/run/sshd', { recursive: true })
  const child = spawn(sshd, ['-D', '-e', '-f', file('sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] })
  const lines = []
  let partial = ''
  child.stderr.on('data', (chunk) => {
    const t = Date.now()
    const parts = (partial + chunk).split('\n')
    partial = parts.pop()
    for (const text of parts) lines.push({ t, text })
  })
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      await exited(child, 5000)
    }
    fs.rmSync(dir, { recursive: true, force: true })
  }
  const deadline = Date.now() + 10_000
  while (!(await canConnect(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      const tail = lines.slice(-3).map((l) => l.text)
      await stop()
      throw new Error(`sshd did not start: ${tail.join(' / ')}`)
    }
    await sleep(100)
  }
  const hostKey = fs.readFileSync(file('host_key.pub'), 'utf8').trim().split(/\s+/).slice(0, 2).join(' ')
  return {
    port,
    uid,
    gid,
    address: `${SSH_USER}@127.0.0.1:${port}`,
    privateKey: fs.readFileSync(file('client_key'), 'utf8'),
    knownHosts: `[127.0.0.1]:${port} ${hostKey}\n`,
    /** The log lines that arrived at or after `since` (epoch ms). */
    log: (since = 0) => lines.filter((l) => l.t >= since),
    stop
  }
}
