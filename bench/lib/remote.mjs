// `--shape remote`: what a run over SSH costs beyond the work itself. The
// bundled action clears the same generated tree and the same small build
// cache (`target: all`) three ways, alternating:
//   local      on this machine (the engine through the local docker CLI);
//   node       over SSH with the host's node (`node -`);
//   container  over SSH through the host's engine (no node on the host's
//              PATH; the node image is already there).
// Each run gets a fresh copy of the tree and a freshly built cache, and the
// bytes it reports must be the same in all three. The host is this machine:
// a private 20.10 dockerd and a loopback sshd (remote-env.mjs), so what the
// SSH runs cost over the local one is the remote path's own overhead.
// Their timelines (sshd's and dockerd's logs) show where it goes.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { checkTree } from './check.mjs'
import { ensureMaster } from './master.mjs'
import { makeBuildCache, makeNodeImage, startEngine, startSshd, which } from './remote-env.mjs'
import { cloneTree, machineInfo, rmTree, run, stats, sync } from './util.mjs'
import { parseOutputFile, runnerEnv } from '../../scripts/runner-env.mjs'

export const REMOTE_ENTRIES = 1000
export const REMOTE_GOALS = { nodeOverheadMs: 1500, containerOverheadMs: 3000 }
const MODES = ['local', 'node', 'container']
const NODE_IMAGE = 'cac-bench-node:1'

const HERE = path.dirname(new URL(import.meta.url).pathname)
const PROBE = path.join(HERE, '..', 'rss-probe.cjs')

/** The step's environment, as the runner gives it (none of our INPUT_/GITHUB_ variables). */
function stepEnv(workspace, inputs, tmp, extra) {
  const env = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(INPUT_|GITHUB_|RUNNER_|DOCKER_)/.test(k) || k === 'NODE_OPTIONS') continue
    env[k] = v
  }
  const output = path.join(tmp, 'github_output')
  const summary = path.join(tmp, 'github_step_summary')
  fs.writeFileSync(output, '')
  fs.writeFileSync(summary, '')
  Object.assign(env, extra, runnerEnv({ workspace, inputs, outputFile: output, summaryFile: summary, tempDir: tmp }))
  return { env, output, summary }
}

/** What one run did when, from the sshd (over SSH) and dockerd logs: [{ at: ms after start, what }]. */
function timeline(t0, tEnd, sshd, engine, sessionNames) {
  const events = []
  let session = 0
  const names = new Map()
  for (const { t, text } of sshd?.log(t0) ?? []) {
    if (t > tEnd + 1000) break
    let what
    if (/Connection from /.test(text)) what = 'TCP connection accepted'
    else if (/Accepted publickey for/.test(text)) what = 'logged in (handshake + key)'
    else {
      const started = /Starting session: \S+ for \S+ from .* id (\d+)/.exec(text)
      const closed = /Close session: .* id (\d+)/.exec(text)
      if (started) {
        names.set(started[1], sessionNames[session++] ?? `session ${started[1]}`)
        what = `start ${names.get(started[1])}`
      } else if (closed) what = `end ${names.get(closed[1]) ?? `session ${closed[1]}`}`
      else if (/Received disconnect|Disconnected from/.test(text)) what = 'disconnected'
    }
    if (what) events.push({ at: t - t0, what })
  }
  for (const { t, text } of engine.calls(t0 - 5)) {
    if (t <= tEnd) events.push({ at: t - t0, what: `  engine: ${text.replace(/^(\S+ )\/v[\d.]+/, '$1')}` })
  }
  events.push({ at: Math.round(tEnd - t0), what: 'action exited' })
  return events.sort((a, b) => a.at - b.at)
}

export async function runRemoteBench(o, log) {
  const action = o.action
  if (!fs.existsSync(action)) throw new Error(`${action} not found (npm run bundle)`)
  fs.mkdirSync(o.workdir, { recursive: true })
  const machine = machineInfo(o.workdir)
  const { tree, manifest, cached } = await ensureMaster(o.workdir, {
    entries: o.entries,
    seed: o.seed,
    shape: 'app',
    concurrency: o.genConcurrency,
    regen: o.regen,
    log
  })
  const targets = ['frontend', 'backend']
  // The SSH account must reach the copies: a fresh world-traversable directory, not the work dir.
  const scratch = fs.mkdtempSync('/tmp/cac-bench-remote-')
  fs.chmodSync(scratch, 0o755)
  const tmp = path.join(scratch, 'tmp')
  fs.mkdirSync(tmp)
  const logs = path.join(o.workdir, 'logs')
  fs.mkdirSync(logs, { recursive: true })

  log('starting a private Docker engine and two loopback sshd (with and without node on PATH) ...')
  const engine = await startEngine()
  const servers = {}
  const failures = []
  const results = { local: [], node: [], container: [] }
  const timelines = {}
  const phaseRuns = { local: [], node: [], container: [] }
  try {
    const docker = which('docker')
    if (!docker) throw new Error('no docker CLI on PATH')
    // The container host's PATH holds only the docker CLI: no node there.
    const bin = path.join(scratch, 'bin')
    fs.mkdirSync(bin)
    fs.symlinkSync(docker, path.join(bin, 'docker'))
    servers.node = await startSshd({ engine, sessionPath: process.env.PATH })
    servers.container = await startSshd({ engine, sessionPath: bin })
    log('importing the node image (docker import of this machine’s node) ...')
    await makeNodeImage(engine.host, NODE_IMAGE)

    for (let i = 0; i < o.runs; i++) {
      for (const mode of MODES) {
        const label = `${mode} run ${i + 1}`
        const clone = path.join(scratch, `${i + 1}-${mode}`)
        cloneTree(tree, clone)
        const server = servers[mode]
        // The account owns its app tree, as on a deploy server.
        if (server) execFileSync('chown', ['-R', `${server.uid}:${server.gid}`, clone])
        const records = await makeBuildCache(engine, o.workdir)
        sync()
        const inputs = { target: 'all', 'working-directory': clone }
        if (server) {
          Object.assign(inputs, {
            'ssh-host': server.address,
            'ssh-key': server.privateKey,
            'ssh-known-hosts': server.knownHosts,
            'remote-node-image': NODE_IMAGE
          })
        }
        // Locally the action's docker CLI finds the engine by DOCKER_HOST; over SSH the session's does.
        const { env, output } = stepEnv(clone, inputs, tmp, server ? {} : { DOCKER_HOST: engine.host })
        const t0 = Date.now()
        const r = await run(o.node, ['--require', PROBE, action], { cwd: tmp, env })
        const tEnd = t0 + r.ms
        fs.writeFileSync(
          path.join(logs, `remote-${mode}-${i + 1}.log`),
          `exit ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`
        )
        const outs = parseOutputFile(fs.readFileSync(output, 'utf8'))
        const check = checkTree(clone, manifest, targets)
        const problems = [...check.problems]
        if (r.code !== 0) problems.push(`exit ${r.code ?? r.signal}`)
        if (/::(warning|error)::/.test(r.stdout))
          problems.push(`warned: ${/::(warning|error)::(.*)/.exec(r.stdout)[0]}`)
        const files = Number(outs['files-reclaimed-bytes'])
        const dockerBytes = Number(outs['docker-reported-bytes'])
        if (!(dockerBytes > 0)) problems.push(`docker-reported-bytes ${outs['docker-reported-bytes']}`)
        for (const p of problems) failures.push(`${label}: ${p}`)
        const freed = outs['docker-reclaimed-bytes']
        results[mode].push({
          ms: r.ms,
          files,
          docker: dockerBytes,
          freed,
          records: records.length,
          ok: !problems.length
        })
        timelines[mode] = timeline(t0, tEnd, server, engine, sessionNames(mode))
        const phases = phasesOf(mode, timelines[mode])
        if (phases) phaseRuns[mode].push(phases)
        log(
          `  ${label.padEnd(16)} ${r.ms.toFixed(0).padStart(6)} ms, files ${files} B, build cache ${dockerBytes} B ` +
            `(${records.length} records)${problems.length ? '  FAILED (see failures)' : ''}`
        )
        rmTree(clone)
      }
    }
  } finally {
    for (const server of Object.values(servers)) await server.stop()
    await engine.stop()
    rmTree(scratch)
  }

  const summary = {
    shape: 'remote',
    entries: manifest.entries,
    tree: { cacheDiskBytes: manifest.diskBytes.frontend + manifest.diskBytes.backend, cached },
    machine,
    goals: REMOTE_GOALS,
    modes: {},
    sameBytes: null,
    timelines,
    failures
  }
  for (const mode of MODES) {
    const ok = results[mode].filter((x) => x.ok)
    summary.modes[mode] = ok.length ? stats(ok.map((x) => x.ms)) : null
  }
  summary.phases = {}
  for (const mode of MODES) {
    const runs = phaseRuns[mode]
    if (runs.length) {
      summary.phases[mode] = Object.fromEntries(
        Object.keys(runs[0]).map((name) => [name, stats(runs.map((p) => p[name])).median])
      )
    }
  }
  const all = MODES.flatMap((m) => results[m])
  const distinct = (key) => [...new Set(all.map((x) => x[key]))]
  // The engine's SpaceReclaimed, and what really went (unshared bytes before minus after): both the same each time.
  summary.sameBytes = { files: distinct('files'), docker: distinct('docker'), dockerFreed: distinct('freed') }
  if (Object.values(summary.sameBytes).some((values) => values.length !== 1)) {
    failures.push(
      `the runs reported different bytes: files ${summary.sameBytes.files.join('/')}, build cache ${summary.sameBytes.docker.join('/')} ` +
        `reported, ${summary.sameBytes.dockerFreed.join('/')} freed`
    )
  }
  const local = summary.modes.local?.median
  for (const mode of ['node', 'container']) {
    const m = summary.modes[mode]
    if (m && local !== undefined) m.overheadMs = m.median - local
  }
  if (o.json) console.log(JSON.stringify(summary, null, 2))
  else printRemote(summary)
  return failures.length ? 1 : 0
}

/**
 * A run's phases from its timeline, each from the end of the one before:
 * [name, the event that ends it]. Events are matched by their text's start.
 */
const PHASES = {
  local: [
    ['start-up, file clear, docker CLI start', 'engine: HEAD /_ping'],
    ['Engine API: ping, version, df, prune, df', 'engine: GET /system/df', 'last'],
    ['close, report, exit', 'action exited']
  ],
  node: [
    ['start-up, TCP connect', 'TCP connection accepted'],
    ['SSH handshake and login', 'logged in'],
    ['node --version on the host', 'end node --version'],
    ['node -: ship the engine, clear, result back', 'end node -'],
    ['dial-stdio session, Engine API, close', 'disconnected'],
    ['report, exit', 'action exited']
  ],
  container: [
    ['start-up, TCP connect', 'TCP connection accepted'],
    ['SSH handshake and login', 'logged in'],
    ['node --version on the host (none)', 'end node --version'],
    ['dial-stdio, ping, leftovers, image check', 'engine: POST /containers/create'],
    ['create, put the engine, start', 'engine: POST /containers/', 'wait'],
    ['the clear in the container', 'engine: GET /containers/'],
    ['logs, remove, close the stream', 'end docker system dial-stdio (container)'],
    ['dial-stdio session, Engine API, close', 'disconnected'],
    ['report, exit', 'action exited']
  ]
}

function phasesOf(mode, events) {
  const phases = {}
  let from = 0
  let index = 0
  for (const [name, prefix, which] of PHASES[mode]) {
    const matches = events
      .map((e, i) => ({ ...e, i }))
      .filter((e) => e.i >= index && e.what.trim().startsWith(prefix) && (which !== 'wait' || /\/wait/.test(e.what)))
    const end = which === 'last' ? matches.at(-1) : matches[0]
    if (!end) return null
    phases[name] = end.at - from
    from = end.at
    index = end.i + 1
  }
  return phases
}

/** The sessions an SSH run opens, in order. */
function sessionNames(mode) {
  if (mode === 'local') return []
  return mode === 'node'
    ? ['node --version', 'node - (the file engine)', 'docker system dial-stdio (prune)']
    : ['node --version (none)', 'docker system dial-stdio (container)', 'docker system dial-stdio (prune)']
}

function printRemote(s) {
  const m = s.machine
  const lines = ['']
  lines.push(
    `clear-app-caches bench, remote shape: ${s.entries} entries, ${(s.tree.cacheDiskBytes / 1e6).toFixed(1)} MB of file caches, target all`
  )
  lines.push(`machine: ${m.cpu}, ${m.cores} cores, node ${m.node}; load average at start ${m.loadavg.join(' ')}`)
  lines.push('')
  lines.push(
    `${''.padEnd(36)}${'median'.padStart(9)}${'min'.padStart(9)}${'max'.padStart(9)}${'over local'.padStart(12)}`
  )
  const names = { local: 'locally', node: 'over SSH, host node', container: 'over SSH, container' }
  const goal = { node: REMOTE_GOALS.nodeOverheadMs, container: REMOTE_GOALS.containerOverheadMs }
  for (const mode of MODES) {
    const x = s.modes[mode]
    const over = x?.overheadMs
    const verdict = over === undefined ? '' : `   goal <= ${goal[mode]} ms${over <= goal[mode] ? '   ok' : '   MISSED'}`
    lines.push(
      `${`${names[mode]} (ms)`.padEnd(36)}${(x ? x.median.toFixed(0) : '-').padStart(9)}${(x ? x.min.toFixed(0) : '-').padStart(9)}` +
        `${(x ? x.max.toFixed(0) : '-').padStart(9)}${(over === undefined ? '' : `${over < 0 ? '' : '+'}${over.toFixed(0)}`).padStart(12)}${verdict}`
    )
  }
  lines.push(
    `bytes reported: files ${s.sameBytes.files.join('/')}, build cache ${s.sameBytes.docker.join('/')} ` +
      `(${s.sameBytes.dockerFreed.join('/')} really freed)` +
      (Object.values(s.sameBytes).every((values) => values.length === 1) ? ': the same in every run' : ': DIFFER')
  )
  for (const [mode, phases] of Object.entries(s.phases)) {
    lines.push('', `phases ${names[mode]}, median ms of the runs (from sshd's and dockerd's logs):`)
    for (const [name, ms] of Object.entries(phases)) lines.push(`  ${String(Math.round(ms)).padStart(6)}  ${name}`)
  }
  for (const [mode, events] of Object.entries(s.timelines)) {
    const from = mode === 'local' ? "dockerd's log" : "sshd's and dockerd's logs"
    lines.push('', `timeline of the last run ${names[mode]} (ms after the action started; ${from}):`)
    for (const e of events) lines.push(`  ${String(e.at).padStart(6)}  ${e.what}`)
  }
  lines.push('')
  if (s.failures.length) {
    lines.push(`FAILED (${s.failures.length}):`)
    for (const f of s.failures) lines.push(`  - ${f}`)
  } else lines.push('all runs passed their checks (caches gone, survivors intact, exit 0, no warning, same bytes)')
  console.log(lines.join('\n'))
}
