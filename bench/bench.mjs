#!/usr/bin/env node
// Benchmark: the bundled action (dist/index.cjs) against the old shell script,
// on identical fresh clones of a generated Next.js + Django app tree.
//
//   node bench/bench.mjs [--entries 100000] [--shape app|wide|remote] [--runs 3]
//                        [--targets frontend,backend] [--workdir bench/.work] [--seed 1]
//                        [--startup-runs 10] [--only action|shell] [--node PATH]  (default: node24, as action.yml)
//                        [--variant NAME=FILE [--variant-node PATH]]...
//                        [--clone auto|upfront|per-run] [--regen] [--json]
//   node bench/bench.mjs --startup [--startup-runs 20] [--action FILE] [--cli FILE] [--json]
//
// It reports; it does not gate on the targets. It exits non-zero only when a run
// fails its sanity check (or the bundle is missing).
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { execFileSync } from 'node:child_process'
import { checkTree } from './lib/check.mjs'
import { ensureMaster } from './lib/master.mjs'
import { REMOTE_ENTRIES, runRemoteBench } from './lib/remote.mjs'
import { runnerNode } from './lib/runner-node.mjs'
import { actionMain, parseOutputFile, runnerEnv } from '../scripts/runner-env.mjs'
import { blockDevice, cloneTree, machineInfo, rmTree, run, stats, sync } from './lib/util.mjs'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const REPO = path.resolve(HERE, '..')
const PROBE = path.join(HERE, 'rss-probe.cjs')
const LISTED_REMOVER = path.join(HERE, 'lib', 'listed-remover.mjs')

const TARGETS = {
  ratio: 0.4, // disk: action / the seed's shell, median wall time, below 1M entries
  ratioMillion: 0.5, // disk: the same from 1M entries on
  tmpfsShellDu: 1.0, // tmpfs: action / (the shell + du)
  tmpfsRmRf: 1.3, // tmpfs: action / plain rm -rf of the caches
  rssMB: 128,
  // The CLI's start-up (a run with nothing to clear), against `node -e 0` in the same rounds. The
  // action has no start-up goal: one step of a CI job does not notice the toolkit's milliseconds.
  startupRatio: 1.3, // CLI / node -e 0, median of paired rounds
  startupRssOverNodeMiB: 5 // CLI peak RSS - node -e 0's peak RSS
}

const HELP = `usage: node bench/bench.mjs [options]
  --entries N        entries (files + dirs + links) in the generated tree (default 100000)
  --shape SHAPE      app: the realistic Next.js + Django tree (default); wide: one cache
                     directory holding nearly every entry (memory per directory);
                     remote: target all locally, over SSH with the host's node and
                     through a container, on a ${REMOTE_ENTRIES}-entry tree (bench/lib/remote.mjs)
  --runs N           timed runs of each side, alternating action, shell, ... (default 3)
  --targets LIST     frontend,backend | frontend | backend (default frontend,backend)
  --workdir DIR      where masters and clones live (default bench/.work)
  --fs FS            disk: the work dir's own filesystem (default); tmpfs: mount a tmpfs in the
                     work dir for the run (root), masters and clones on it, unmounted after
  --seed N           generator seed (default 1)
  --startup          measure only the start-up: the action (runner environment) and the CLI
                     (frontend backend --root EMPTY), each on an empty directory, alternating
                     with node -e 0 in the same run; prints wall-time ratios and peak RSS, the
                     CLI's goal (ratio <= 1.3, peak RSS <= node -e 0's + 5 MB), and what the
                     action pays beyond the CLI; --variant builds of the action join the rounds
  --startup-runs N   rounds for the start-up measurement (default 10, 20 with --startup; 0 skips it)
  --cli FILE         the CLI to run with --startup (default dist/cli.cjs)
  --only SIDE        time only "action" or only "shell"
  --action FILE      the file to run (default action.yml's main, dist/index.cjs)
  --variant NAME=FILE  another build of the action, timed in the same alternation
                     (e.g. one with another constant), reported beside the action; repeatable
  --node PATH        the Node that runs the action. Default: the major version action.yml runs
                     (node24), as a runner does: this Node when it is that version, else the
                     official binary fetched once from the npm registry into bench/.work/node24;
                     this Node, with a note, when that cannot be had
  --variant-node PATH  the Node that runs the --variant just before it (default: --node's)
  --gen-concurrency N  file writes in flight while generating (default 0: sync writes)
  --clone MODE       auto | upfront | per-run: make every clone before the first timed run
                     (auto: when they fit in half the free disk) or one before each run
  --regen            regenerate the master tree even if cached
  --json             print the results as JSON instead of a table`

function parseArgs(argv) {
  const o = {
    entries: 100000,
    runs: 3,
    targets: ['frontend', 'backend'],
    workdir: path.join(HERE, '.work'),
    seed: 1,
    startup: false,
    startupRuns: undefined,
    cli: path.join(REPO, 'dist/cli.cjs'),
    only: null,
    action: actionMain(),
    shape: 'app',
    fs: 'disk',
    variants: [],
    node: undefined, // the runner's (runnerNode), unless --node
    genConcurrency: 0,
    clone: 'auto',
    regen: false,
    json: false
  }
  for (let i = 0; i < argv.length; i++) {
    let [flag, value] = argv[i].split(/=(.*)/s)
    const next = () => {
      if (value === undefined) value = argv[++i]
      if (value === undefined) throw new Error(`${flag} needs a value`)
      return value
    }
    const int = () => {
      const n = Number(next().replace(/_/g, ''))
      if (!Number.isInteger(n) || n < 0) throw new Error(`${flag}: not a count: ${value}`)
      return n
    }
    switch (flag) {
      case '--entries':
        o.entries = int()
        o.entriesGiven = true
        break
      case '--runs':
        o.runs = int()
        break
      case '--seed':
        o.seed = int()
        break
      case '--startup-runs':
        o.startupRuns = int()
        break
      case '--gen-concurrency':
        o.genConcurrency = int()
        break
      case '--startup':
        o.startup = true
        break
      case '--cli':
        o.cli = path.resolve(next())
        break
      case '--workdir':
        o.workdir = path.resolve(next())
        break
      case '--action':
        o.action = path.resolve(next())
        break
      case '--shape':
        if (!['app', 'wide', 'remote'].includes(next())) throw new Error('--shape: app, wide or remote')
        o.shape = value
        break
      case '--fs':
        if (!['disk', 'tmpfs'].includes(next())) throw new Error('--fs: disk or tmpfs')
        o.fs = value
        break
      case '--variant': {
        const [name, file] = next().split(/=(.*)/s)
        if (!name || !file || ['action', 'shell'].includes(name)) throw new Error('--variant: NAME=FILE')
        o.variants.push({ name, file: path.resolve(file) })
        break
      }
      case '--node':
        o.node = path.resolve(next())
        break
      case '--variant-node': {
        const last = o.variants.at(-1)
        if (!last) throw new Error('--variant-node: give it after the --variant it is for')
        last.node = path.resolve(next())
        break
      }
      case '--targets': {
        const t = next()
          .split(/[\s,]+/)
          .filter(Boolean)
        if (t.length === 0 || t.some((x) => x !== 'frontend' && x !== 'backend'))
          throw new Error('--targets: frontend, backend or both (docker has no shell counterpart here)')
        o.targets = [...new Set(t)]
        break
      }
      case '--only':
        if (!['action', 'shell'].includes(next())) throw new Error('--only: action or shell')
        o.only = value
        break
      case '--clone':
        if (!['auto', 'upfront', 'per-run'].includes(next())) throw new Error('--clone: auto, upfront or per-run')
        o.clone = value
        o.cloneGiven = true
        break
      case '--regen':
        o.regen = true
        break
      case '--json':
        o.json = true
        break
      case '-h':
      case '--help':
        console.log(HELP)
        process.exit(0)
        break
      default:
        throw new Error(`unknown option ${argv[i]}\n${HELP}`)
    }
  }
  if (o.entries < 100) throw new Error('--entries: at least 100')
  o.startupRuns ??= o.startup ? 20 : 10
  if (o.startup && o.startupRuns === 0) throw new Error('--startup needs --startup-runs of at least 1')
  return o
}

function shellCommand(targets) {
  const parts = []
  if (targets.includes('frontend'))
    parts.push(
      'rm -rf frontend/.next frontend/.turbo frontend/out frontend/node_modules/.cache',
      'find frontend -type d -name .cache -prune -exec rm -rf {} +'
    )
  if (targets.includes('backend'))
    parts.push(
      'find backend -type d \\( -name __pycache__ -o -name .pytest_cache -o -name .mypy_cache \\) -prune -exec rm -rf {} +',
      "find backend -type f \\( -name '*.pyc' -o -name '*.pyo' \\) -delete",
      'rm -rf backend/staticfiles'
    )
  return parts.join('; ')
}

/**
 * The shell way to report the bytes it frees: `du` of everything the seed's
 * shell is about to remove, then the seed's shell.
 */
function shellDuCommand(targets) {
  const du = []
  if (targets.includes('frontend'))
    du.push(
      'du -sxB1 -c frontend/.next frontend/.turbo frontend/out frontend/node_modules/.cache 2>/dev/null',
      'find frontend -type d -name .cache -prune -exec du -sxB1 -c {} +'
    )
  if (targets.includes('backend'))
    du.push(
      'find backend -type d \\( -name __pycache__ -o -name .pytest_cache -o -name .mypy_cache \\) -prune -exec du -sxB1 -c {} +',
      "find backend -type f \\( -name '*.pyc' -o -name '*.pyo' \\) -exec du -B1 -c {} +",
      'du -sxB1 -c backend/staticfiles 2>/dev/null'
    )
  return `{ ${du.join('; ')}; } >/dev/null; ${shellCommand(targets)}`
}

/**
 * The cache roots the shell removes, NUL-separated, listed once from the
 * master (not timed): plain `rm -rf` of them is the storage's own time to
 * delete the caches, with no search and no byte count.
 */
function listCacheRoots(tree, targets, file) {
  const list = []
  if (targets.includes('frontend'))
    list.push(
      "printf '%s\\0' frontend/.next frontend/.turbo frontend/out frontend/node_modules/.cache",
      'find frontend -type d -name .cache -prune -print0'
    )
  if (targets.includes('backend'))
    list.push(
      'find backend -type d \\( -name __pycache__ -o -name .pytest_cache -o -name .mypy_cache \\) -prune -print0',
      "find backend -type f \\( -name '*.pyc' -o -name '*.pyo' \\) -print0",
      "printf '%s\\0' backend/staticfiles"
    )
  execFileSync('bash', ['-c', `{ ${list.join('; ')}; } > "$1"`, 'list', file], { cwd: tree })
}

/**
 * Everything below the cache roots that exist, for the listed side: `find -depth`
 * lines of `TYPE PATH`, NUL-separated, listed once from the master (not timed).
 */
function listCacheSet(tree, cacheRoots, file) {
  // latin1 keeps each path's bytes as they are, whatever the encoding of its names.
  const exists = (p) => fs.lstatSync(Buffer.from(`${tree}/${p}`, 'latin1'), { throwIfNoEntry: false }) !== undefined
  const roots = fs
    .readFileSync(cacheRoots, 'latin1')
    .split('\0')
    .filter((p) => p && exists(p))
  fs.writeFileSync(`${file}.roots`, roots.map((p) => `${p}\0`).join(''), 'latin1')
  const find = `xargs -0 sh -c 'find "$@" -depth -printf "%y %p\\\\0"' find < "$1" > "$2"`
  execFileSync('bash', ['-c', find, 'list', `${file}.roots`, file], { cwd: tree })
}

/** The environment the runner gives the action step (scripts/runner-env.mjs), minus any of ours. */
function actionEnv(workspace, targets, tmp) {
  const env = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(INPUT_|GITHUB_|RUNNER_)/.test(k) || k === 'NODE_OPTIONS') continue
    env[k] = v
  }
  const output = path.join(tmp, 'github_output')
  const summary = path.join(tmp, 'github_step_summary')
  fs.writeFileSync(output, '')
  fs.writeFileSync(summary, '')
  Object.assign(
    env,
    runnerEnv({
      workspace,
      inputs: { target: targets.join(',') },
      outputFile: output,
      summaryFile: summary,
      tempDir: tmp
    })
  )
  return { env, output, summary }
}

// A shell side's CPU time: bash's `times` (the shell, then its children) on
// stderr, after a marker line, so that a load on the machine that stretches
// wall times can be told apart from the work each side does.
const TIMES_MARK = '--- bench times'
const withCpuTimes = (command) => `${command}; status=$?; echo '${TIMES_MARK}' >&2; times >&2; exit $status`
function shellCpuMs(stderr) {
  const tail = stderr.slice(stderr.lastIndexOf(TIMES_MARK) + TIMES_MARK.length)
  if (!stderr.includes(TIMES_MARK)) return undefined
  let ms = 0
  for (const [, min, sec] of tail.matchAll(/(\d+)m([\d.]+)s/g)) ms += (Number(min) * 60 + Number(sec)) * 1000
  return ms
}

// The sides the action is compared with, all timed in the same rounds.
const REFERENCE_SIDES = new Set(['shell', 'shellDu', 'rmrf', 'rmrfParallel', 'listed'])
const SIDE_LABELS = { shellDu: 'shell + du', rmrf: 'rm -rf', rmrfParallel: 'rm -rf at once', listed: 'listed' }
// The disk's own pace with many deletes at once: as many `rm -rf`s in parallel as the
// action has pool threads (src/launch.cjs: 4 per core), each given 64 cache roots at a time.
const parallelRmRf = (cores) => Math.min(64, 4 * cores)
// The listed side's threads, the best of 1, 2, 4, 8 and 16 measured on the 100k tree on
// 2 cores: on this disk 8 (4: 1.52 s, 8: 1.34 s, 16: 1.52 s), where deletes wait on
// the device; on tmpfs one per core (1: 416 ms, 2: 300 ms, 8: 485 ms), where more
// threads only contend for the same directories.
const listedThreads = (fsName, cores) => (fsName === 'tmpfs' ? cores : parallelRmRf(cores))

const fmtMs = (ms) => (Number.isFinite(ms) ? (ms >= 10000 ? ms.toFixed(0) : ms.toFixed(1)) : '-')
const fmtInt = (n) => n.toLocaleString('en-US')
const fmtMB = (b) => `${(b / 1e6).toFixed(1)} MB`

async function main() {
  const o = parseArgs(process.argv.slice(2))
  const log = o.json ? (...a) => console.error(...a) : (...a) => console.log(...a)
  if (!o.node) {
    const found = runnerNode(path.join(HERE, '.work'))
    if (!found.node) log(`NOTE: timing the action on this Node (${process.version}), not the runner's: ${found.reason}`)
    o.node = found.node ?? process.execPath
  }
  if (o.shape === 'remote') {
    process.exitCode = await runRemoteBench({ ...o, entries: o.entriesGiven ? o.entries : REMOTE_ENTRIES }, log)
    return
  }
  fs.mkdirSync(o.workdir, { recursive: true })
  if (o.fs === 'tmpfs') {
    // Everything on a tmpfs of its own, unmounted at the end; clones one at a
    // time unless asked, as each copy of the tree is memory.
    const mount = path.join(o.workdir, 'tmpfs')
    fs.mkdirSync(mount, { recursive: true })
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'mode=0755', 'cac-bench', mount])
    process.on('exit', () => execFileSync('umount', ['-l', mount]))
    o.workdir = mount
    if (!o.cloneGiven) o.clone = 'per-run'
  }
  const tmp = path.join(o.workdir, 'tmp')
  const logs = path.join(o.workdir, 'logs')
  fs.mkdirSync(tmp, { recursive: true })
  fs.mkdirSync(logs, { recursive: true })

  const haveAction = fs.existsSync(o.action)
  const actionFiles = { action: o.action }
  const nodeOf = { action: o.node }
  for (const v of o.variants) {
    if (!fs.existsSync(v.file)) throw new Error(`--variant ${v.name}: ${v.file} not found`)
    actionFiles[v.name] = v.file
    nodeOf[v.name] = v.node ?? o.node
  }
  // Each Node's own version, printed beside the side it runs.
  const nodeVersions = {}
  for (const node of new Set(Object.values(nodeOf))) {
    if (!fs.existsSync(node)) throw new Error(`--node: ${node} not found`)
    nodeVersions[node] = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim()
  }
  // The seed's shell, the shell + du (it reports bytes, as the action does),
  // plain rm -rf of the cache roots (the storage's own time), as many at once as the
  // action has pool threads (the storage's own time with many deletes in flight), and
  // the cache set listed beforehand, deleted by threads of unlink(2) calls, nothing counted.
  const sides = o.only
    ? [o.only]
    : ['action', ...o.variants.map((v) => v.name), 'shell', 'shellDu', 'rmrf', 'rmrfParallel', 'listed']
  if (sides.includes('action') && !haveAction) {
    log(`NOTE: ${path.relative(REPO, o.action)} not found (npm run bundle): timing the shell side only.`)
    sides.splice(sides.indexOf('action'), 1)
  }

  const machine = { ...machineInfo(o.workdir), node: nodeVersions[o.node] }
  if (o.startup) {
    if (!haveAction) throw new Error(`${path.relative(REPO, o.action)} not found: run npm run bundle`)
    if (!fs.existsSync(o.cli)) throw new Error(`${path.relative(REPO, o.cli)} not found: run npm run bundle`)
    // --variant builds (e.g. the action before a change) are timed in the same rounds.
    const variants = Object.fromEntries(o.variants.map((v) => [v.name, v.file]))
    const startup = await measureStartup({ action: o.action, cli: o.cli, ...variants }, o, { tmp, logs, log })
    const result = { machine, goals: TARGETS, startup, failures: startup.failures }
    if (o.json) console.log(JSON.stringify(result, null, 2))
    else printStartup(result, o)
    process.exitCode = startup.failures.length ? 1 : 0
    return
  }
  const { tree, manifest, cached } = await ensureMaster(o.workdir, {
    entries: o.entries,
    seed: o.seed,
    shape: o.shape,
    concurrency: o.genConcurrency,
    regen: o.regen,
    log
  })
  const expectedBytes = o.targets.reduce((s, t) => s + manifest.diskBytes[t], 0)

  const results = {
    shape: o.shape,
    entries: manifest.entries,
    tree: {
      dirs: manifest.dirs,
      files: manifest.files,
      links: manifest.links,
      apparentBytes: manifest.bytes,
      diskBytes: manifest.diskBytes.total,
      cacheEntries: o.targets.reduce((s, t) => s + manifest.cacheEntries[t], 0),
      cacheDiskBytes: expectedBytes,
      generateMs: manifest.genMs,
      cached
    },
    targets: o.targets,
    machine,
    goals: TARGETS,
    fs: o.fs,
    action: null,
    actionCpuMs: null,
    shell: null,
    shellDu: null,
    rmrf: null,
    rmrfParallel: null,
    listed: null,
    listedThreads: null,
    listedRatio: null,
    ratio: null,
    ratios: {},
    floorMs: null,
    device: null,
    rssMB: null,
    variants: {},
    startup: null,
    reclaimed: null,
    cloneMs: null,
    cloneMode: null,
    failures: []
  }

  // ---- start-up with nothing to clear
  if (haveAction && o.startupRuns > 0) {
    const entries = o.startup ? { action: o.action, cli: o.cli } : { action: o.action }
    results.startup = await measureStartup(entries, o, { tmp, logs, log })
    results.failures.push(...results.startup.failures)
  }

  // ---- timed runs on fresh clones, alternating
  // Clones are made up front when the disk has room: on ext4 without a journal
  // (this machine), creating inodes shortly after deleting many is several times
  // slower (the allocator skips "recently deleted" inodes), so cloning after each
  // run would take most of the bench's time. Either way clone time is not timed.
  const clonesDir = path.join(o.workdir, 'clones')
  rmTree(clonesDir)
  fs.mkdirSync(clonesDir)
  const plan = []
  for (let i = 0; i < o.runs; i++)
    for (const side of sides) plan.push({ i, side, dir: path.join(clonesDir, `${i + 1}-${side}`) })
  const free = fs.statfsSync(o.workdir)
  const freeBytes = free.bavail * free.bsize
  const freeInodes = free.ffree
  const copies = plan.length + 1 // and the warm-up's, on a disk (below)
  const preclone =
    o.clone === 'upfront' ||
    (o.clone === 'auto' &&
      copies * manifest.diskBytes.total <= 0.5 * freeBytes &&
      copies * manifest.entries <= 0.5 * freeInodes)
  results.cloneMode = preclone ? 'upfront' : 'per-run'
  const cloneMs = []
  const makeClone = (dir) => {
    const t0 = performance.now()
    cloneTree(tree, dir)
    cloneMs.push(performance.now() - t0)
  }
  if (preclone && plan.length) {
    log(`cloning the master ${plan.length} times up front (cp -a) ...`)
    for (const p of plan) makeClone(p.dir)
  }
  const times = Object.fromEntries(sides.map((side) => [side, []]))
  const rssBySide = Object.fromEntries(sides.map((side) => [side, []]))
  const reclaimed = []
  const cmd = shellCommand(o.targets)
  const cmdDu = shellDuCommand(o.targets)
  const cacheRoots = path.join(tmp, 'cache-roots')
  const cacheSet = path.join(tmp, 'cache-set')
  const cacheRootsListed = preclone || sides.some((side) => ['rmrf', 'rmrfParallel', 'listed'].includes(side))
  if (cacheRootsListed) listCacheRoots(tree, o.targets, cacheRoots)
  if (sides.includes('listed')) listCacheSet(tree, cacheRoots, cacheSet)
  results.listedThreads = listedThreads(o.fs, machine.cores)
  const cpuBySide = Object.fromEntries(sides.map((side) => [side, []]))
  // What the disk itself did during each run (none on tmpfs).
  const device = blockDevice(clonesDir)
  // On this disk the first large delete after the up-front clones is slow, whatever
  // it deletes and though the clones are synced (2.2 s where the next four took 1.5
  // to 1.6 s; the first side of a bench took 8.6 s against 2.0 s). So one more clone's
  // caches are deleted first, untimed, as the parallel rm -rfs do.
  if (preclone && device && plan.length) {
    const warmUp = path.join(clonesDir, 'warm-up')
    cloneTree(tree, warmUp)
    sync()
    const command = `xargs -0 -n 64 -P ${parallelRmRf(machine.cores)} rm -rf -- < "$1"`
    const r = await run('bash', ['-c', command, 'warm-up', cacheRoots], { cwd: warmUp })
    log(`warm-up (not timed): the caches of one more clone deleted in ${fmtMs(r.ms)} ms`)
    await run('rm', ['-rf', '--', warmUp])
  }
  const deviceBySide = Object.fromEntries(sides.map((side) => [side, { busyMs: [], discards: [] }]))
  const rounds = Array.from({ length: o.runs }, () => ({}))
  for (const { i, side, dir: clone } of plan) {
    if (!preclone) makeClone(clone)
    sync() // the clone's writeback must not land inside the timing
    const deviceBefore = device?.read()
    let r
    let extra = ''
    if (!REFERENCE_SIDES.has(side)) {
      const { env, output } = actionEnv(clone, o.targets, tmp)
      const rssFile = path.join(tmp, 'maxrss')
      const cpuFile = path.join(tmp, 'cpu')
      rmTree(rssFile)
      rmTree(cpuFile)
      env.BENCH_RSS_FILE = rssFile
      env.BENCH_CPU_FILE = cpuFile
      r = await run(nodeOf[side], ['--require', PROBE, actionFiles[side]], { cwd: clone, env })
      const outs = parseOutputFile(fs.readFileSync(output, 'utf8'))
      const kib = fs.existsSync(rssFile) ? Number(fs.readFileSync(rssFile, 'utf8')) : NaN
      if (Number.isFinite(kib)) rssBySide[side].push(kib / 1024)
      const bytes = outs['reclaimed-bytes']
      if (bytes === undefined || !/^\d+$/.test(bytes)) {
        results.failures.push(
          `${side} run ${i + 1}: reclaimed-bytes output ${bytes === undefined ? 'missing' : `not a byte count: ${bytes}`}`
        )
      } else {
        reclaimed.push(Number(bytes))
        extra = `, reclaimed ${fmtMB(Number(bytes))}`
      }
      if (Number.isFinite(kib)) extra += `, maxRSS ${(kib / 1024).toFixed(1)} MB`
      if (fs.existsSync(cpuFile)) {
        const [user, system] = fs.readFileSync(cpuFile, 'utf8').split(' ').map(Number)
        cpuBySide[side].push((user + system) / 1000)
        extra += `, CPU ${((user + system) / 1000).toFixed(0)} ms`
      }
    } else if (side === 'rmrf') {
      r = await run('bash', ['-c', withCpuTimes('xargs -0 rm -rf -- < "$1"'), 'rmrf', cacheRoots], { cwd: clone })
    } else if (side === 'rmrfParallel') {
      const command = `xargs -0 -n 64 -P ${parallelRmRf(machine.cores)} rm -rf -- < "$1"`
      r = await run('bash', ['-c', withCpuTimes(command), 'rmrf', cacheRoots], { cwd: clone })
    } else if (side === 'listed') {
      const command = '"$1" "$2" "$3" "$4"'
      const args = [nodeOf.action, LISTED_REMOVER, cacheSet, String(results.listedThreads)]
      r = await run('bash', ['-c', withCpuTimes(command), 'listed', ...args], { cwd: clone })
    } else {
      r = await run('bash', ['-c', withCpuTimes(side === 'shellDu' ? cmdDu : cmd)], { cwd: clone })
    }
    if (REFERENCE_SIDES.has(side)) {
      const ms = shellCpuMs(r.stderr)
      if (ms !== undefined) {
        cpuBySide[side].push(ms)
        extra += `, CPU ${ms.toFixed(0)} ms`
      }
    }
    if (device) {
      const after = device.read()
      const busyMs = after.busyMs - deviceBefore.busyMs
      deviceBySide[side].busyMs.push(busyMs)
      deviceBySide[side].discards.push(after.discards - deviceBefore.discards)
      extra += `, ${device.name} busy ${busyMs} ms`
    }
    fs.writeFileSync(
      path.join(logs, `${side}-${i + 1}.log`),
      `exit ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`
    )
    const check = checkTree(clone, manifest, o.targets)
    const ok = r.code === 0 && check.ok
    if (r.code !== 0) results.failures.push(`${side} run ${i + 1}: exit ${r.code ?? r.signal}`)
    for (const p of check.problems) results.failures.push(`${side} run ${i + 1}: ${p}`)
    if (ok) times[side].push(r.ms)
    if (ok) rounds[i][side] = r.ms
    log(
      `  ${(SIDE_LABELS[side] ?? side).padEnd(14)} run ${i + 1}: ${fmtMs(r.ms)} ms${extra}${ok ? '' : '  FAILED (see failures)'}`
    )
    if (!preclone) rmTree(clone)
  }
  if (preclone && plan.length) {
    log('removing the clones ...')
    await Promise.all(plan.map((p) => run('rm', ['-rf', '--', p.dir])))
  }
  rmTree(clonesDir)

  const rssOf = (side) => {
    const rss = rssBySide[side] ?? []
    return rss.length ? { max: Math.max(...rss), median: stats(rss).median } : null
  }
  if (times.action?.length) results.action = stats(times.action)
  for (const side of REFERENCE_SIDES) if (times[side]?.length) results[side] = stats(times[side])
  if (cpuBySide.action?.length) results.actionCpuMs = stats(cpuBySide.action)
  results.cpuMs = {}
  for (const side of sides) if (cpuBySide[side]?.length) results.cpuMs[side] = stats(cpuBySide[side])
  if (results.action && results.shell) results.ratio = results.action.median / results.shell.median
  // Each ratio: of the medians, and the spread of the same ratio round by round.
  for (const side of REFERENCE_SIDES) {
    if (!results.action || !results[side]) continue
    const perRound = rounds.filter((x) => x.action && x[side]).map((x) => x.action / x[side])
    results.ratios[side] = { medians: results.action.median / results[side].median, ...stats(perRound) }
  }
  if (results.rmrf) results.floorMs = results.rmrf.median / machine.cores
  // What deleting the listed cache set takes against the seed's shell: the action, which
  // also searches and counts, coming near it means the storage, not the search, sets the pace.
  if (results.listed && results.shell) {
    const perRound = rounds.filter((x) => x.listed && x.shell).map((x) => x.listed / x.shell)
    results.listedRatio = { medians: results.listed.median / results.shell.median, ...stats(perRound) }
  }
  if (device) {
    results.device = { name: device.name, sides: {} }
    for (const side of sides) {
      const d = deviceBySide[side]
      if (d.busyMs.length) results.device.sides[side] = { busyMs: stats(d.busyMs), discards: stats(d.discards) }
    }
  }
  results.rssMB = rssOf('action')
  for (const { name, file } of o.variants) {
    const time = times[name]?.length ? stats(times[name]) : null
    const ratio = time && results.shell ? time.median / results.shell.median : null
    const cpuMs = cpuBySide[name]?.length ? stats(cpuBySide[name]) : null
    results.variants[name] = { file, node: nodeVersions[nodeOf[name]], time, ratio, rssMB: rssOf(name), cpuMs }
  }
  if (reclaimed.length) {
    results.reclaimed = {
      reportedBytes: stats(reclaimed).median,
      expectedDiskBytes: expectedBytes,
      diff: stats(reclaimed).median / expectedBytes - 1
    }
  }
  if (cloneMs.length) results.cloneMs = stats(cloneMs)

  if (o.json) console.log(JSON.stringify(results, null, 2))
  else printTable(results, o)
  process.exitCode = results.failures.length || (o.only !== 'shell' && !haveAction) ? 1 : 0
}

/**
 * A run with nothing to clear, for each entry (the action as the runner starts
 * it, the CLI as a shell does), against `node -e 0` in the same rounds: each
 * round runs node -e 0 and every entry once, in a rotating order, so the
 * machine's load falls on all alike. Every process gets the RSS probe. The
 * ratio is the median of the per-round ratios (entry / node -e 0 of that round).
 */
async function measureStartup(entries, o, { tmp, logs, log }) {
  const empty = path.join(o.workdir, 'empty')
  rmTree(empty)
  fs.mkdirSync(empty)
  const names = Object.keys(entries)
  log(`start-up: ${o.startupRuns} rounds of node -e 0 and ${names.join(', ')} on an empty directory, alternating ...`)
  const rssFile = path.join(tmp, 'startup-maxrss')
  const once = async (name) => {
    let args = ['-e', '0']
    let env = { ...process.env }
    // Every entry but the CLI is a build of the action, started as the runner does.
    if (name !== 'node' && name !== 'cli') env = actionEnv(empty, ['frontend', 'backend'], tmp).env
    if (name === 'cli') args = [entries.cli, 'frontend', 'backend', '--root', empty]
    else if (name !== 'node') args = [entries[name]]
    delete env.NODE_OPTIONS
    rmTree(rssFile)
    env.BENCH_RSS_FILE = rssFile
    const r = await run(o.node, ['--require', PROBE, ...args], { cwd: empty, env })
    const kib = fs.existsSync(rssFile) ? Number(fs.readFileSync(rssFile, 'utf8')) : NaN
    return { ...r, rssMB: kib / 1024 } // MiB, as the rest of the bench reports it
  }
  const sides = ['node', ...names]
  const ms = Object.fromEntries(sides.map((side) => [side, []]))
  const rss = Object.fromEntries(sides.map((side) => [side, []]))
  const ratios = Object.fromEntries(names.map((name) => [name, []]))
  const failures = []
  for (let i = 0; i <= o.startupRuns; i++) {
    const order = sides.map((_, k) => sides[(i + k) % sides.length])
    const round = {}
    for (const side of order) round[side] = await once(side)
    if (i === 0) continue // warm-up: the page cache, the disk
    for (const side of sides) {
      const r = round[side]
      if (r.code !== 0) {
        fs.writeFileSync(path.join(logs, `startup-${side}.log`), r.stdout + r.stderr)
        failures.push(`start-up: ${side} exited ${r.code ?? r.signal} (see ${path.join(logs, `startup-${side}.log`)})`)
        continue
      }
      ms[side].push(r.ms)
      if (Number.isFinite(r.rssMB)) rss[side].push(r.rssMB)
      if (side !== 'node') ratios[side].push(r.ms / round.node.ms)
    }
  }
  const summary = (side) => ({
    ms: stats(ms[side]),
    rssMB: rss[side].length ? { max: Math.max(...rss[side]), median: stats(rss[side]).median } : null
  })
  const out = { runs: o.startupRuns, node: summary('node'), entries: {}, failures: [...new Set(failures)] }
  for (const name of names) {
    out.entries[name] = {
      file: entries[name],
      ...summary(name),
      ratio: ratios[name].length ? stats(ratios[name]) : null
    }
  }
  return out
}

/**
 * The start-up lines: wall time, its ratio to node -e 0, peak RSS, for each
 * entry; the CLI's goal verdict; what the action pays beyond the CLI (mostly
 * @actions/core, which loads @actions/http-client and undici).
 */
function startupLines(s) {
  const lines = []
  const cell = (x, w = 11) => String(x).padStart(w)
  const nodeRss = s.node.rssMB?.max
  lines.push(
    `${'start-up, nothing to clear'.padEnd(34)}${cell('median ms')}${cell('ratio')}${cell('peak RSS')}   goal (the CLI): ratio <= ${TARGETS.startupRatio}, RSS <= node -e 0 + ${TARGETS.startupRssOverNodeMiB} MB`
  )
  const mb = (r) => (r ? `${r.max.toFixed(1)} MB` : '-')
  lines.push(`${'  node -e 0'.padEnd(34)}${cell(fmtMs(s.node.ms.median))}${cell('1.00')}${cell(mb(s.node.rssMB))}`)
  for (const [name, e] of Object.entries(s.entries)) {
    let verdict = '   (no goal)'
    if (name === 'cli') {
      const ratioOk = e.ratio ? e.ratio.median <= TARGETS.startupRatio : null
      const rssOk = e.rssMB && nodeRss !== undefined ? e.rssMB.max <= nodeRss + TARGETS.startupRssOverNodeMiB : null
      verdict = ratioOk === null || rssOk === null ? '     ' : ratioOk && rssOk ? '   ok' : '   MISSED'
    }
    const file = path.relative(REPO, e.file)
    lines.push(
      `${`  ${name}`.padEnd(34)}${cell(e.ms.runs ? fmtMs(e.ms.median) : '-')}${cell(e.ratio ? e.ratio.median.toFixed(2) : '-')}${cell(mb(e.rssMB))}${verdict}   ${file.startsWith('..') ? e.file : file}`
    )
  }
  const { action, cli } = s.entries
  if (action?.ms.runs && cli?.ms.runs && action.rssMB && cli.rssMB) {
    const ms = action.ms.median - cli.ms.median
    const rss = action.rssMB.max - cli.rssMB.max
    lines.push(
      `  action - cli: ${ms >= 0 ? '+' : ''}${fmtMs(ms)} ms, ${rss >= 0 ? '+' : ''}${rss.toFixed(1)} MB: mostly @actions/core, and the @actions/http-client and undici it loads`
    )
  }
  lines.push(
    `  (${s.runs} paired rounds; ratio: median of each round's entry / node -e 0; peak RSS: the max of the rounds)`
  )
  return lines
}

function printStartup(r) {
  const m = r.machine
  const lines = ['']
  lines.push(`clear-app-caches start-up bench: node ${m.node}, ${m.cpu}, ${m.cores} cores, ${m.platform}`)
  lines.push(`load average at start: ${m.loadavg.join(' ')} (other processes on the machine skew timings)`)
  lines.push('')
  lines.push(...startupLines(r.startup))
  lines.push('')
  if (r.failures.length) {
    lines.push(`FAILED (${r.failures.length}):`)
    for (const f of r.failures) lines.push(`  - ${f}`)
  }
  console.log(lines.join('\n'))
}

function printTable(r, o) {
  const m = r.machine
  const lines = []
  const t = r.tree
  lines.push('')
  lines.push(
    `clear-app-caches bench, ${r.shape} shape: ${fmtInt(r.entries)} entries (${fmtInt(t.dirs)} dirs, ${fmtInt(t.files)} files, ${t.links} links; ${fmtMB(t.apparentBytes)} apparent, ${fmtMB(t.diskBytes)} on disk)`
  )
  lines.push(
    `targets ${r.targets.join(',')}: ${fmtInt(t.cacheEntries)} cache entries, ${fmtMB(t.cacheDiskBytes)} on disk to clear`
  )
  lines.push(
    `machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, the action on node ${m.node}, ${m.platform}, work dir fs ${m.fsType} (${m.mount})`
  )
  lines.push(`load average at start: ${m.loadavg.join(' ')} (other processes on the machine skew timings)`)
  lines.push(
    `tree generated in ${(t.generateMs / 1000).toFixed(1)} s${t.cached ? ' (cached master)' : ''}; clones (cp -a, ${r.cloneMode}, not timed) median ${r.cloneMs ? fmtMs(r.cloneMs.median) : '-'} ms`
  )
  lines.push('')
  const row = (...c) =>
    lines.push(
      c[0].padEnd(34) +
        c
          .slice(1)
          .map((x) => String(x).padStart(11))
          .join('')
    )
  const verdict = (ok) => (ok === null ? '' : ok ? '   ok' : '   MISSED')
  row('', 'median', 'min', 'max', 'runs')
  const sideRows = [
    ['action', 'action'],
    ['shell', "seed's shell"],
    ['shellDu', 'shell + du'],
    ['rmrf', 'rm -rf of the caches'],
    ['rmrfParallel', `the same, ${parallelRmRf(r.machine.cores)} rm -rf at once`],
    ['listed', `listed, ${r.listedThreads} threads, no count`]
  ]
  for (const [side, label] of sideRows) {
    const s = r[side]
    if (s) row(`${label} (ms)`, fmtMs(s.median), fmtMs(s.min), fmtMs(s.max), s.runs)
    else if (side === 'action' || side === 'shell') row(`${label} (ms)`, '-', '-', '-', 0)
  }
  // CPU time (user + system, the shells' children included): what a loaded
  // machine does not stretch, beside the wall times it does.
  for (const [side, label] of sideRows) {
    const c = r.cpuMs?.[side]
    if (!c) continue
    const ratio =
      side !== 'action' && r.cpuMs.action ? `  action / this ${(r.cpuMs.action.median / c.median).toFixed(2)}` : ''
    row(`${label} CPU (ms)`, fmtMs(c.median), fmtMs(c.min), fmtMs(c.max), c.runs)
    if (ratio) lines[lines.length - 1] += ratio
  }
  if (r.actionCpuMs && r.action)
    lines.push(
      `${'  cores the action used'.padEnd(34)}${(r.actionCpuMs.median / r.action.median).toFixed(2).padStart(11)}`
    )
  // The device's own time: how long it had a request in flight. Where it was
  // busy for most of a side's run, the disk is the limit and not the side.
  if (r.device) {
    lines.push(`the disk (${r.device.name}) busy, and the discards it served:`)
    for (const [side, label] of sideRows) {
      const d = r.device.sides[side]
      const wall = r[side]?.median
      if (!d || !wall) continue
      row(
        `  during ${SIDE_LABELS[side] ?? label} (ms)`,
        fmtMs(d.busyMs.median),
        fmtMs(d.busyMs.min),
        fmtMs(d.busyMs.max),
        d.busyMs.runs
      )
      lines[lines.length - 1] +=
        `  ${(d.busyMs.median / wall).toFixed(2)} of its time, ${Math.round(d.discards.median).toLocaleString('en-US')} discards`
    }
  }
  for (const [name, v] of Object.entries(r.variants)) {
    if (v.time) row(`${name} wall time (ms)`, fmtMs(v.time.median), fmtMs(v.time.min), fmtMs(v.time.max), v.time.runs)
    if (v.cpuMs) row(`  ${name} CPU (ms)`, fmtMs(v.cpuMs.median), fmtMs(v.cpuMs.min), fmtMs(v.cpuMs.max), v.cpuMs.runs)
    lines.push(
      `${`  ${name}: ratio, peak RSS (MB)`.padEnd(34)}${(v.ratio === null ? '-' : v.ratio.toFixed(2)).padStart(11)}${(v.rssMB ? v.rssMB.max.toFixed(1) : '-').padStart(11)}   ${path.relative(REPO, v.file)} on node ${v.node}`
    )
  }
  lines.push('')
  const goal = (label, value, target, ok) =>
    lines.push(`${label.padEnd(34)}${String(value).padStart(11)}   target ${target}${verdict(ok)}`)
  // Ratios: of the medians, then [min median max] of the same ratio round by round.
  const ratioGoal = (label, ratio, target) => {
    const value = ratio ? ratio.medians.toFixed(2) : '-'
    const spread = ratio ? `  [${ratio.min.toFixed(2)} ${ratio.median.toFixed(2)} ${ratio.max.toFixed(2)}]` : ''
    if (target === undefined) lines.push(`${label.padEnd(34)}${value.padStart(11)}${spread}`)
    else goal(label, value, `<= ${target.toFixed(2)}${spread}`, ratio ? ratio.medians <= target : null)
  }
  lines.push('ratios: of the medians [min median max of the rounds]')
  if (r.fs === 'tmpfs') {
    ratioGoal("action / seed's shell", r.ratios.shell)
    ratioGoal('action / (shell + du)', r.ratios.shellDu, TARGETS.tmpfsShellDu)
    ratioGoal('action / rm -rf', r.ratios.rmrf, TARGETS.tmpfsRmRf)
  } else {
    ratioGoal("action / seed's shell", r.ratios.shell, r.entries >= 1e6 ? TARGETS.ratioMillion : TARGETS.ratio)
    ratioGoal('action / (shell + du)', r.ratios.shellDu)
    ratioGoal('action / rm -rf (the disk itself)', r.ratios.rmrf)
  }
  ratioGoal(`action / ${parallelRmRf(r.machine.cores)} rm -rf at once`, r.ratios.rmrfParallel)
  ratioGoal('action / listed', r.ratios.listed)
  ratioGoal("listed / seed's shell", r.listedRatio)
  if (r.floorMs !== null && r.fs === 'tmpfs')
    lines.push(
      `${'floor: rm -rf / cores (ms)'.padEnd(34)}${fmtMs(r.floorMs).padStart(11)}   action / floor ${r.action ? (r.action.median / r.floorMs).toFixed(2) : '-'} (${r.machine.cores} cores)`
    )
  goal(
    'action peak RSS (MB, max of runs)',
    r.rssMB ? r.rssMB.max.toFixed(1) : '-',
    `<= ${TARGETS.rssMB}`,
    r.rssMB ? r.rssMB.max <= TARGETS.rssMB : null
  )
  if (r.startup) lines.push(...startupLines(r.startup))
  if (r.reclaimed) {
    lines.push(
      `${'reclaimed-bytes (action, median)'.padEnd(34)}${fmtMB(r.reclaimed.reportedBytes).padStart(11)}   caches' st_blocks in the master: ${fmtMB(r.reclaimed.expectedDiskBytes)} (${(r.reclaimed.diff * 100).toFixed(1)}%)`
    )
  }
  lines.push('')
  if (r.failures.length) {
    lines.push(`FAILED sanity checks (${r.failures.length}); logs in ${path.join(o.workdir, 'logs')}:`)
    for (const f of r.failures) lines.push(`  - ${f}`)
  } else {
    lines.push('all runs passed their sanity checks (caches gone, survivors intact, exit 0)')
  }
  console.log(lines.join('\n'))
}

main().catch((err) => {
  console.error(err?.message ?? err)
  process.exit(2)
})
