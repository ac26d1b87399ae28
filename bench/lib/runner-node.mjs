// The Node a runner starts the action with (action.yml's `runs.using`: node24),
// so that the bench times what runners run. Node 24 reads and deletes faster
// than the Node 20 these machines have (2026-12-07, the disk at 100k: 1.78 s
// against 2.18 s, 19% less CPU, in one run).
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { actionNodeMajor } from '../../scripts/runner-env.mjs'

/**
 * A Node of the runner's major version: this one when it is, else one fetched
 * once from the npm registry (the `node-<platform>-<arch>` package holds the
 * official binary) into `dir`: `{ node }`, or `{ reason }` when neither can be had.
 */
export function runnerNode(dir) {
  const major = actionNodeMajor()
  if (Number(process.versions.node.split('.')[0]) === major) return { node: process.execPath }
  const home = path.join(dir, `node${major}`)
  const binary = path.join(home, 'package', 'bin', 'node')
  if (fs.existsSync(binary)) return { node: binary }
  const name = `node-${process.platform}-${process.arch}@${major}`
  try {
    fs.mkdirSync(home, { recursive: true })
    const tarball = execFileSync('npm', ['pack', '--silent', name, '--pack-destination', home], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe']
    })
      .trim()
      .split('\n')
      .at(-1)
    execFileSync('tar', ['-xzf', path.join(home, tarball), '-C', home])
    fs.rmSync(path.join(home, tarball))
    execFileSync(binary, ['--version'])
    return { node: binary }
  } catch (error) {
    fs.rmSync(home, { recursive: true, force: true })
    return { reason: `could not fetch ${name} from the npm registry: ${error.message.split('\n')[0]}` }
  }
}
