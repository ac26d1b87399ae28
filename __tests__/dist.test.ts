// dist/ is what the runner executes: it must be exactly a fresh bundle of src/.
import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { REPO_ROOT } from './helpers/run-action.js'

describe('dist/', () => {
  it('matches a fresh bundle of src/, file for file', () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'cac-dist-')), 'dist')
    try {
      execFileSync('bash', [path.join(REPO_ROOT, 'scripts/bundle.sh'), out], { cwd: REPO_ROOT, stdio: 'pipe' })
      const committed = readdirSync(path.join(REPO_ROOT, 'dist')).sort()
      const fresh = readdirSync(out).sort()
      expect(committed).toEqual(fresh) // no new or deleted files
      for (const name of fresh) {
        const same = readFileSync(path.join(out, name)).equals(readFileSync(path.join(REPO_ROOT, 'dist', name)))
        expect([name, same ? 'same' : 'differs: run npm run bundle and commit dist/']).toEqual([name, 'same'])
      }
    } finally {
      rmSync(path.dirname(out), { recursive: true, force: true })
    }
  })

  it('holds no native .node binaries: ssh2 and cpu-features fall back to JavaScript', () => {
    const files = readdirSync(path.join(REPO_ROOT, 'dist'), { recursive: true, encoding: 'utf8' })
    expect(files.filter((file) => file.endsWith('.node'))).toEqual([])
    expect(files.length).toBeGreaterThan(0)
  })
})
