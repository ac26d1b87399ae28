// The bench's listed side: the storage's time to delete the cache set when
// what to delete is known beforehand and nothing is counted.
//
//   node bench/lib/listed-remover.mjs LIST THREADS   (cwd: the clone)
//
// LIST holds the cache set, listed once from the master before the timing
// (`find ROOTS -depth -printf '%y %p\0'`): `f`, `l` or `d`, a space and the
// path. THREADS worker threads make synchronous unlink(2) calls on the files,
// taking the next 64 from a shared counter, so each is mostly in its own
// directory. Then the directories go level by level, deepest first, the same
// way. No search, no stat, no byte count, no promises. Not a floor: its workers
// cost start-up, and each depth waits for the last; but where the action, which
// must also find the caches and count their bytes, comes near it, the storage
// sets the pace. Node's start-up is included, as the action pays it too.
import fs from 'node:fs'
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads'

const BATCH = 64

if (isMainThread) {
  const [list, threads] = process.argv.slice(2)
  const files = []
  const dirsByDepth = new Map()
  // A path listed twice (a root inside another root) is deleted once.
  for (const e of new Set(fs.readFileSync(list, 'latin1').split('\0'))) {
    if (!e) continue
    const p = e.slice(2)
    if (e[0] !== 'd') files.push(p)
    else {
      const depth = p.split('/').length
      if (!dirsByDepth.has(depth)) dirsByDepth.set(depth, [])
      dirsByDepth.get(depth).push(p)
    }
  }
  // One phase for the files, then one per directory depth, deepest first: a
  // directory is empty before its own phase starts.
  const depths = [...dirsByDepth.keys()].sort((a, b) => b - a)
  const phases = [files, ...depths.map((d) => dirsByDepth.get(d))].filter((p) => p.length)
  const counters = new Int32Array(new SharedArrayBuffer(4 * phases.length))
  const workers = Array.from(
    { length: Number(threads) },
    () => new Worker(new URL(import.meta.url), { workerData: { phases, counters, dirsFrom: files.length ? 1 : 0 } })
  )
  // A worker's error (a path that cannot be deleted) fails the run, as it should here.
  const failed = new Promise((_, reject) => workers.forEach((w) => w.on('error', reject)))
  for (let phase = 0; phase < phases.length; phase++) {
    const done = workers.map((w) => new Promise((resolve) => w.once('message', resolve)))
    for (const w of workers) w.postMessage(phase)
    await Promise.race([Promise.all(done), failed])
  }
  await Promise.all(workers.map((w) => w.terminate()))
} else {
  const { phases, counters, dirsFrom } = workerData
  parentPort.on('message', (phase) => {
    const paths = phases[phase]
    const remove = phase >= dirsFrom ? fs.rmdirSync : fs.unlinkSync
    for (;;) {
      const start = Atomics.add(counters, phase, BATCH)
      if (start >= paths.length) break
      // latin1 there and back: the path's bytes exactly, whatever they are
      for (let i = start; i < Math.min(start + BATCH, paths.length); i++) remove(Buffer.from(paths[i], 'latin1'))
    }
    parentPort.postMessage('done')
  })
}
