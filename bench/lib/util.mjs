// Small helpers shared by the bench and its experiments. No dependencies.
import { spawn, execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'

/** sfc32: small, fast, seedable PRNG. Returns floats in [0, 1). */
export function prng(seed) {
  let a = 0x9e3779b9 ^ seed
  let b = 0x243f6a88 + seed * 7
  let c = 0xb7e15162 ^ (seed << 3)
  let d = 1
  const next = () => {
    a |= 0
    b |= 0
    c |= 0
    d |= 0
    const t = (((a + b) | 0) + d) | 0
    d = (d + 1) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) | 0
    return (t >>> 0) / 4294967296
  }
  for (let i = 0; i < 20; i++) next()
  return next
}

export function median(xs) {
  if (xs.length === 0) return NaN
  const s = [...xs].sort((x, y) => x - y)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

export function stats(xs) {
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs), runs: xs.length, all: xs }
}

/** Spawns a command, returns { code, signal, ms, stdout, stderr }; ms is spawn-to-exit wall time. */
export function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint()
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c) => (stdout += c))
    child.stderr.on('data', (c) => (stderr += c))
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6
      // 'close' waits for the pipes; keep the exit time as the measurement.
      child.on('close', () => resolve({ code, signal, ms, stdout, stderr }))
    })
  })
}

export function sh(cmd, args) {
  return execFileSync(cmd, args, { encoding: 'utf8' }).trim()
}

export function sync() {
  execFileSync('sync')
}

/** Removes a tree outside any timing (rm -rf is the quickest on large trees). */
export function rmTree(p) {
  if (fs.existsSync(p)) execFileSync('rm', ['-rf', '--', p])
}

/** Real copy (cp -a copies inodes; it does not hardlink). */
export function cloneTree(src, dst) {
  rmTree(dst)
  execFileSync('cp', ['-a', '--', src, dst])
}

export function fsType(p) {
  try {
    return sh('stat', ['-f', '-c', '%T', p])
  } catch {
    return 'unknown'
  }
}

export function machineInfo(workdir) {
  const cpus = os.cpus()
  let mount = ''
  try {
    mount = sh('df', ['-T', workdir]).split('\n').pop().split(/\s+/).slice(0, 2).join(' ')
  } catch {}
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    fsType: fsType(workdir),
    mount,
    loadavg: os.loadavg().map((x) => +x.toFixed(2))
  }
}

/**
 * The block device `dir` lives on, with a reader of its counters
 * (/sys/dev/block/MAJOR:MINOR/stat; the kernel's Documentation/block/stat.rst),
 * or undefined where there is none (tmpfs). The counters show what the device
 * itself did during a run: how long it had a request in flight, and the
 * discards that ext4 mounted with `discard` sends, one or more for each file
 * with blocks, and waits for inside the unlink.
 */
export function blockDevice(dir) {
  const dev = fs.statSync(dir).dev
  // glibc's dev_t encoding, for numbers below 2^32.
  const major = Math.floor(dev / 256) & 0xfff
  const minor = (dev & 0xff) | (Math.floor(dev / 4096) & 0xfff00)
  const file = `/sys/dev/block/${major}:${minor}/stat`
  if (major === 0 || !fs.existsSync(file)) return undefined
  const name = fs.readlinkSync(`/sys/dev/block/${major}:${minor}`).split('/').pop()
  const read = () => {
    const f = fs.readFileSync(file, 'utf8').trim().split(/\s+/).map(Number)
    return { busyMs: f[9], discards: f[11] ?? NaN }
  }
  return { name, read }
}
