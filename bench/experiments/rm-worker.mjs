// One deletion of a directory tree, in a fresh process (so UV_THREADPOOL_SIZE
// and maxRSS are its own). Prints one JSON line.
//   node rm-worker.mjs rm|rmsync|walk|walk-dirent N DIR
import fs from 'node:fs'
import fsp from 'node:fs/promises'
import path from 'node:path'

const [mode, nArg, root] = process.argv.slice(2)
const N = Number(nArg)

/** At most N fs calls in flight; LIFO so the walk goes depth-first and its queue stays small. */
let active = 0
const waiting = []
let maxWaiting = 0
function limit(fn) {
  return new Promise((resolve, reject) => {
    const go = () => {
      active++
      fn().then(
        (v) => {
          active--
          release()
          resolve(v)
        },
        (e) => {
          active--
          release()
          reject(e)
        }
      )
    }
    if (active < N) go()
    else {
      waiting.push(go)
      if (waiting.length > maxWaiting) maxWaiting = waiting.length
    }
  })
}
function release() {
  if (waiting.length && active < N) waiting.pop()()
}

let files = 0
let dirs = 0
let bytes = 0

/** lstat every entry (for st_blocks / st_nlink accounting), unlink files, rmdir dirs after their children. */
async function walkRemove(dir) {
  const names = await limit(() => fsp.readdir(dir))
  await Promise.all(
    names.map(async (name) => {
      const p = path.join(dir, name)
      const st = await limit(() => fsp.lstat(p))
      bytes += st.blocks * 512 // (the remover divides by nlink / tracks inodes; not needed here)
      if (st.isDirectory()) return walkRemove(p)
      files++
      await limit(() => fsp.unlink(p))
    })
  )
  dirs++
  await limit(() => fsp.rmdir(dir))
}

/** The same without lstat: the dirent type decides (no size accounting). */
async function direntRemove(dir) {
  const ents = await limit(() => fsp.readdir(dir, { withFileTypes: true }))
  await Promise.all(
    ents.map(async (e) => {
      const p = path.join(dir, e.name)
      if (e.isDirectory()) return direntRemove(p)
      files++
      await limit(() => fsp.unlink(p))
    })
  )
  dirs++
  await limit(() => fsp.rmdir(dir))
}

const t0 = performance.now()
if (mode === 'rm') await fsp.rm(root, { recursive: true, force: true })
else if (mode === 'rmsync') fs.rmSync(root, { recursive: true, force: true })
else if (mode === 'walk') await walkRemove(root)
else if (mode === 'walk-dirent') await direntRemove(root)
else throw new Error(`unknown mode ${mode}`)
const ms = performance.now() - t0
if (fs.existsSync(root)) throw new Error(`${root} still exists`)
console.log(JSON.stringify({ mode, N, ms, files, dirs, bytes, maxWaiting, maxRSSKiB: process.resourceUsage().maxRSS }))
