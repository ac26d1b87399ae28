// The CLI (dist/cli.js) on real trees: same engine, same results as the action.
import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { exists, listTree, type AppTree } from '../__fixtures__/app-tree.js'
import { makeImmutable, tempAppTree } from '../__fixtures__/temp.js'
import { REPO_ROOT, runAction } from './helpers/run-action.js'

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js')

const app = (): AppTree => tempAppTree('cac-cli-')

function cli(args: string[], cwd = tmpdir()): { status: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' })
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr }
}

describe('dist/cli.js', () => {
  it('clears a real tree with the same results as the action', async () => {
    const forCli = app()
    const forAction = app()
    const result = cli(['frontend', 'backend', '--root', forCli.root, '--json'])
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
    const { outputs } = JSON.parse(result.stdout) as { outputs: Record<string, string> }
    const action = await runAction(forAction.root, { target: 'frontend,backend' })
    expect(outputs).toEqual(action.outputs)
    expect(listTree(forCli.root)).toEqual(listTree(forAction.root))
  })

  it('prints the summary table as text, and a dry run deletes nothing', () => {
    const tree = app()
    const before = listTree(tree.root)
    const result = cli(['all', '--root', tree.root, '--dry-run'], tree.root)
    expect(listTree(tree.root)).toEqual(before)
    expect(result.stdout).toMatch(/^DRY RUN/)
    expect(result.stdout).toMatch(/PATH\s+TARGET\s+ENTRIES\s+SIZE/)
    expect(result.stdout).toMatch(/frontend\/\.next\s+frontend\s+\d+\s+[\d.]+ kB/)
    expect(result.stdout).toMatch(/Would reclaim:\s+[\d.]+ kB/)
  })

  it('defaults to the current directory as the root', () => {
    const tree = app()
    const result = cli(['backend'], tree.root)
    expect(result.status).toBe(0)
    expect(exists(path.join(tree.root, 'backend/app/__pycache__'))).toBe(false)
  })

  it('--help prints usage and exits 0', () => {
    const result = cli(['--help'])
    expect(result.status).toBe(0)
    expect(result.stdout).toMatch(/^Usage: node dist\/cli\.js \[TARGET\.\.\.\]/)
    expect(result.stdout).toMatch(/Exit codes: 0 cleared, 1 something could not be cleared, 2 bad usage/)
  })

  it.each([
    [['nonsense'], /error: 'TARGET' has an unknown value 'nonsense'\. Valid values: frontend, backend, docker, all/],
    [['--bogus'], /error: Unknown option '--bogus'/],
    [['frontend', '--frontend-path', '../x'], /error: '--frontend-path' must stay under working-directory/],
    [['frontend', '--root', '/nonexistent/app'], /error: '--root': '\/nonexistent\/app' is not a directory/]
  ])('bad usage %j exits 2 and changes nothing', (args, message) => {
    const tree = app()
    const before = listTree(tree.root)
    const result = cli(args, tree.root)
    expect(result.status).toBe(2)
    expect(result.stderr).toMatch(message)
    expect(listTree(tree.root)).toEqual(before)
  })

  it('exits 1 when something could not be cleared, naming it', () => {
    const tree = app()
    const stuck = path.join(tree.root, 'frontend/.next/static/chunks/main.js')
    if (!makeImmutable(stuck)) return
    const result = cli(['frontend', '--root', tree.root])
    expect(result.status).toBe(1)
    expect(result.stderr).toMatch(/error: frontend\/\.next\/static\/chunks\/main\.js: EPERM/)
  })
})
