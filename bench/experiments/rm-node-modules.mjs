#!/usr/bin/env node
// Experiment for the remover's tuning: delete frontend/node_modules of the bench
// tree with fs.promises.rm, fs.rmSync, `rm -rf`, and a hand-written lstat+unlink
// walk with N fs calls in flight, under several UV_THREADPOOL_SIZE values. Each
// variant runs in its own process on its own fresh `cp -a` clone (made up front,
// not timed; `sync` before each run).
//
//   node bench/experiments/rm-node-modules.mjs [--entries 100000] [--reps 2]
//        [--workdir bench/.work] [--n 8,32,128] [--uv 4,16,64] [--json]
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { ensureMaster } from '../lib/master.mjs'
import { cloneTree, machineInfo, median, rmTree, run, sync } from '../lib/util.mjs'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const WORKER = path.join(HERE, 'rm-worker.mjs')

const o = {
  entries: 100000,
  reps: 2,
  workdir: path.resolve(HERE, '..', '.work'),
  n: [8, 32, 128],
  uv: [4, 16, 64],
  json: false,
  seed: 1
}
const argv = process.argv.slice(2)
for (let i = 0; i < argv.length; i++) {
  const a = argv[i]
  if (a === '--entries') o.entries = Number(argv[++i])
  else if (a === '--reps') o.reps = Number(argv[++i])
  else if (a === '--workdir') o.workdir = path.resolve(argv[++i])
  else if (a === '--n') o.n = argv[++i].split(',').map(Number)
  else if (a === '--uv') o.uv = argv[++i].split(',').map(Number)
  else if (a === '--json') o.json = true
  else throw new Error(`unknown option ${a}`)
}
const log = (...a) => console.error(...a)

const variants = [{ name: 'rm -rf (shell)', cmd: 'rm' }]
for (const uv of o.uv) variants.push({ name: `fs.promises.rm  UV=${uv}`, mode: 'rm', n: 0, uv })
variants.push({ name: 'fs.rmSync', mode: 'rmsync', n: 0, uv: 4 })
for (const n of o.n)
  for (const uv of o.uv) variants.push({ name: `walk N=${String(n).padEnd(3)} UV=${uv}`, mode: 'walk', n, uv })
variants.push({ name: 'walk-dirent N=32  UV=16 (no lstat)', mode: 'walk-dirent', n: 32, uv: 16 })

const { tree, manifest } = await ensureMaster(o.workdir, {
  entries: o.entries,
  seed: o.seed,
  concurrency: 0,
  regen: false,
  log
})
const src = path.join(tree, 'frontend', 'node_modules')
const dir = path.join(o.workdir, 'exp-clones')
rmTree(dir)
fs.mkdirSync(dir)
const plan = []
for (let r = 0; r < o.reps; r++) {
  // rotate the order each repetition so no variant always runs first
  for (let k = 0; k < variants.length; k++) {
    const v = variants[(k + r * 5) % variants.length]
    plan.push({ v, r, clone: path.join(dir, `${r}-${plan.length}`) })
  }
}
log(`cloning frontend/node_modules ${plan.length} times (not timed) ...`)
const tc = performance.now()
for (const p of plan) cloneTree(src, p.clone)
log(`  ${((performance.now() - tc) / 1000).toFixed(1)} s`)

const results = new Map(variants.map((v) => [v.name, { wall: [], inner: [], rssMB: [] }]))
for (const p of plan) {
  sync()
  const env = { ...process.env, UV_THREADPOOL_SIZE: String(p.v.uv ?? 4) }
  let r
  if (p.v.cmd === 'rm') r = await run('rm', ['-rf', '--', p.clone], { env })
  else r = await run(process.execPath, [WORKER, p.v.mode, String(p.v.n), p.clone], { env })
  if (r.code !== 0 || fs.existsSync(p.clone)) throw new Error(`${p.v.name}: exit ${r.code}\n${r.stderr}`)
  const res = results.get(p.v.name)
  res.wall.push(r.ms)
  if (r.stdout.trim()) {
    const j = JSON.parse(r.stdout)
    res.inner.push(j.ms)
    res.rssMB.push(j.maxRSSKiB / 1024)
    res.files = j.files
    res.maxWaiting = Math.max(res.maxWaiting ?? 0, j.maxWaiting)
  }
  log(`  rep ${p.r + 1} ${p.v.name.padEnd(36)} ${r.ms.toFixed(0).padStart(6)} ms`)
}
rmTree(dir)

const rows = variants.map((v) => {
  const r = results.get(v.name)
  return {
    variant: v.name,
    wallMs: median(r.wall),
    wallAll: r.wall.map((x) => Math.round(x)),
    innerMs: r.inner.length ? median(r.inner) : null,
    maxRSSMB: r.rssMB.length ? Math.max(...r.rssMB) : null,
    maxQueued: r.maxWaiting ?? null
  }
})
const info = {
  entries: manifest.entries,
  nodeModulesFiles: results.get(variants.find((v) => v.mode === 'walk').name).files,
  machine: machineInfo(o.workdir)
}
if (o.json) console.log(JSON.stringify({ ...info, rows }, null, 2))
else {
  console.log(
    `\ndelete frontend/node_modules of the ${info.entries}-entry tree (${info.nodeModulesFiles} files); ${info.machine.cpu}, ${info.machine.cores} cores, node ${info.machine.node}, fs ${info.machine.mount}; load ${info.machine.loadavg.join(' ')}`
  )
  console.log(
    `${'variant'.padEnd(38)}${'wall ms'.padStart(9)}${'in-proc ms'.padStart(12)}${'maxRSS MB'.padStart(11)}${'queued'.padStart(8)}   all runs (wall ms)`
  )
  for (const r of rows)
    console.log(
      `${r.variant.padEnd(38)}${r.wallMs.toFixed(0).padStart(9)}${(r.innerMs === null ? '-' : r.innerMs.toFixed(0)).padStart(12)}${(r.maxRSSMB === null ? '-' : r.maxRSSMB.toFixed(1)).padStart(11)}${String(r.maxQueued ?? '-').padStart(8)}   ${r.wallAll.join(', ')}`
    )
}
