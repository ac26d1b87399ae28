// dist/ is what the runner executes: it must be exactly a fresh bundle of src/.
// The action and the CLI share one bundle: dist/index.js and the chunks it
// loads on demand (dist/N.index.js), started by the launchers dist/index.cjs
// and dist/cli.cjs (copies of src/launch.cjs).
import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { REPO_ROOT } from './helpers/run-action.js'

const DIST = path.join(REPO_ROOT, 'dist')
const CHUNK = /^\d+\.index\.js$/

describe('dist/', () => {
  it('matches a fresh bundle of src/, file for file: the bundle, every chunk, the launchers', () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'cac-dist-')), 'dist')
    try {
      execFileSync('bash', [path.join(REPO_ROOT, 'scripts/bundle.sh'), out], { cwd: REPO_ROOT, stdio: 'pipe' })
      const committed = readdirSync(DIST, { recursive: true, encoding: 'utf8' }).sort()
      const fresh = readdirSync(out, { recursive: true, encoding: 'utf8' }).sort()
      expect(committed).toEqual(fresh) // no new, deleted or renamed file (a chunk renumbered, say)
      expect(fresh).toEqual(expect.arrayContaining(['index.cjs', 'cli.cjs', 'index.js', 'remote.cjs']))
      expect(fresh.filter((name) => CHUNK.test(name)).length).toBeGreaterThan(0)
      for (const name of fresh) {
        const same = readFileSync(path.join(out, name)).equals(readFileSync(path.join(DIST, name)))
        expect([name, same ? 'same' : 'differs: run npm run bundle and commit dist/']).toEqual([name, 'same'])
      }
    } finally {
      rmSync(path.dirname(out), { recursive: true, force: true })
    }
  })

  it('holds every chunk the bundle can load, and no chunk it cannot', () => {
    const files = readdirSync(DIST)
    const chunks = files.filter((name) => CHUNK.test(name))
    const loaded = new Set<string>()
    for (const name of ['index.js', ...chunks]) {
      const code = readFileSync(path.join(DIST, name), 'utf8')
      // import() becomes __webpack_require__.e(N), maybe after a /* import() */ comment (in the
      // entry, ncc names it __nccwpck_require__).
      const loads = /__(?:webpack|nccwpck)_require__\.e\((?:\/\*[^*]*\*\/ )?(\d+)\)/g
      for (const [, id] of code.matchAll(loads)) loaded.add(`${id}.index.js`)
    }
    expect([...loaded].filter((name) => !files.includes(name))).toEqual([])
    expect(chunks.filter((name) => !loaded.has(name))).toEqual([])
  })

  it('has both launchers, each a copy of src/launch.cjs that loads the one bundle', () => {
    const launcher = readFileSync(path.join(REPO_ROOT, 'src/launch.cjs'))
    for (const name of ['index.cjs', 'cli.cjs']) expect(readFileSync(path.join(DIST, name)).equals(launcher)).toBe(true)
    expect(launcher.toString()).toMatch(/require\('\.\/index\.js'\)/)
    // The bundle and its chunks are CommonJS inside this "type": "module" package.
    expect(JSON.parse(readFileSync(path.join(DIST, 'package.json'), 'utf8'))).toEqual({ type: 'commonjs' })
  })

  it('holds no native .node binaries: ssh2 and cpu-features fall back to JavaScript', () => {
    const files = readdirSync(DIST, { recursive: true, encoding: 'utf8' })
    expect(files.filter((file) => file.endsWith('.node'))).toEqual([])
    expect(files.length).toBeGreaterThan(0)
  })
})
