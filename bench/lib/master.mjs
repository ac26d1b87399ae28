// The master tree: generated once per (generator version, entries, seed) and
// reused; runs work on `cp -a` clones of it.
import fs from 'node:fs'
import path from 'node:path'
import { GEN_VERSION, generateTree } from './tree.mjs'
import { rmTree } from './util.mjs'

const CACHE_DIRS = { frontend: new Set(['.cache']), backend: new Set(['__pycache__', '.pytest_cache', '.mypy_cache']) }
const CACHE_EXACT = {
  frontend: new Set(['frontend/.next', 'frontend/.turbo', 'frontend/out', 'frontend/node_modules/.cache']),
  backend: new Set(['backend/staticfiles'])
}

/** Disk use (st_blocks * 512) of each target's caches and of the whole tree, by lstat walk. */
function measureCaches(root) {
  const bytes = { frontend: 0, backend: 0, total: 0 }
  const walk = (rel, owner) => {
    for (const d of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${d.name}` : d.name
      const st = fs.lstatSync(path.join(root, r))
      const used = st.blocks * 512
      bytes.total += used
      const top = r.split('/')[0]
      let o = owner
      if (!o && (top === 'frontend' || top === 'backend')) {
        if (CACHE_EXACT[top].has(r) || (d.isDirectory() && CACHE_DIRS[top].has(d.name))) o = top
        else if (top === 'backend' && d.isFile() && /\.py[co]$/.test(d.name)) o = top
      }
      if (o) bytes[o] += used
      if (d.isDirectory()) walk(r, o)
    }
  }
  walk('', null)
  return bytes
}

export async function ensureMaster(workdir, { entries, seed, shape = 'app', concurrency, regen, log }) {
  const key = `v${GEN_VERSION}-e${entries}-s${seed}${shape === 'app' ? '' : `-${shape}`}`
  const dir = path.join(workdir, 'masters', key)
  const tree = path.join(dir, 'tree')
  const manifestFile = path.join(dir, 'manifest.json')
  if (!regen && fs.existsSync(manifestFile)) {
    return { tree, manifest: JSON.parse(fs.readFileSync(manifestFile, 'utf8')), cached: true }
  }
  // Masters of other parameters are kept (switching back is free), those of an older
  // generator are dropped; an incomplete one is redone.
  for (const old of fs.existsSync(path.join(workdir, 'masters')) ? fs.readdirSync(path.join(workdir, 'masters')) : []) {
    if (!old.startsWith(`v${GEN_VERSION}-`)) {
      log(`removing master of an older generator: ${old}`)
      rmTree(path.join(workdir, 'masters', old))
    }
  }
  rmTree(dir)
  fs.mkdirSync(dir, { recursive: true })
  log(`generating master tree (${shape} shape, ${entries} entries, seed ${seed}) in ${tree} ...`)
  const manifest = await generateTree(tree, { entries, seed, concurrency, shape })
  log(`  ${manifest.entries} entries in ${(manifest.genMs / 1000).toFixed(1)} s; measuring cache sizes ...`)
  manifest.diskBytes = measureCaches(tree)
  fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2))
  return { tree, manifest, cached: false }
}
