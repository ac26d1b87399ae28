// After a run: walk what is left of the clone and check that exactly the caches
// of the chosen targets are gone and every survivor is still there.
import fs from 'node:fs'
import path from 'node:path'

const BACKEND_DIRS = new Set(['__pycache__', '.pytest_cache', '.mypy_cache'])
const FRONTEND_EXACT = ['frontend/.next', 'frontend/.turbo', 'frontend/out', 'frontend/node_modules/.cache']
const BACKEND_EXACT = ['backend/staticfiles']

/** Expected number of entries left after clearing `targets` (an array of 'frontend'/'backend'). */
export function expectedSurvivors(manifest, targets) {
  let n = manifest.entries
  for (const t of targets) n -= manifest.cacheEntries[t]
  return n
}

export function checkTree(root, manifest, targets) {
  const problems = []
  const fe = targets.includes('frontend')
  const be = targets.includes('backend')
  let total = 0
  let py = 0
  let pyd = 0
  let leftovers = 0
  const stack = ['']
  while (stack.length) {
    const rel = stack.pop()
    for (const d of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${d.name}` : d.name
      total++
      const inFe = r.startsWith('frontend/')
      const inBe = r.startsWith('backend/')
      if (d.isDirectory()) {
        if ((fe && inFe && d.name === '.cache') || (be && inBe && BACKEND_DIRS.has(d.name))) {
          if (leftovers++ < 5) problems.push(`cache left: ${r}/`)
        }
        stack.push(r)
      } else if (d.isFile()) {
        if (inBe && d.name.endsWith('.py')) py++
        if (inBe && d.name.endsWith('.pyd')) pyd++
        if (be && inBe && (d.name.endsWith('.pyc') || d.name.endsWith('.pyo'))) {
          if (leftovers++ < 5) problems.push(`cache file left: ${r}`)
        }
      }
    }
  }
  if (leftovers > 5) problems.push(`... ${leftovers} cache entries left in all`)
  for (const p of [...(fe ? FRONTEND_EXACT : []), ...(be ? BACKEND_EXACT : [])]) {
    if (fs.existsSync(path.join(root, p))) problems.push(`still there: ${p}`)
  }
  if (py !== manifest.py) problems.push(`.py files: ${py}, expected ${manifest.py}`)
  if (pyd !== manifest.pyd) problems.push(`.pyd files: ${pyd}, expected ${manifest.pyd}`)
  let src = 0
  try {
    src = countEntries(path.join(root, 'frontend/src')) + 1
  } catch {
    problems.push('frontend/src is gone')
  }
  if (src && src !== manifest.srcEntries) problems.push(`frontend/src entries: ${src}, expected ${manifest.srcEntries}`)
  const expected = expectedSurvivors(manifest, targets)
  if (total !== expected) problems.push(`entries left: ${total}, expected ${expected}`)
  return { ok: problems.length === 0, problems, left: total, expected }
}

function countEntries(dir) {
  let n = 0
  for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
    n++
    if (d.isDirectory()) n += countEntries(path.join(dir, d.name))
  }
  return n
}
