// The bundled action (dist/index.js), run the way the runner runs it, on a
// generated app: the tree, the outputs and the job summary.
import { describe, expect, it } from '@jest/globals'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { exists, listTree, type AppTree } from '../__fixtures__/app-tree.js'
import { makeImmutable, tempAppTree } from '../__fixtures__/temp.js'
import { runAction } from './helpers/run-action.js'

const OUTPUTS = [
  'reclaimed-bytes',
  'reclaimed',
  'files-reclaimed-bytes',
  'docker-reclaimed-bytes',
  'docker-reported-bytes',
  'cleared-paths',
  'actions-cache-deleted',
  'actions-cache-reclaimed-bytes'
]

const app = (): AppTree => tempAppTree('cac-action-')

describe('the bundled action', () => {
  it('clears frontend and backend caches with the defaults and reports them', async () => {
    const tree = app()
    const run = await runAction(tree.root, { target: 'frontend,backend' })
    expect(run.stderr).toBe('')
    expect(run.exitCode).toBe(0)
    for (const rel of [...tree.caches.frontend, ...tree.caches.backend])
      expect(exists(path.join(tree.root, rel))).toBe(false)
    for (const rel of tree.survivors) expect(exists(path.join(tree.root, rel))).toBe(true)

    expect(Object.keys(run.outputs).sort()).toEqual([...OUTPUTS].sort())
    const bytes = Number(run.outputs['reclaimed-bytes'])
    expect(bytes).toBeGreaterThan(100_000)
    expect(run.outputs['files-reclaimed-bytes']).toBe(String(bytes))
    expect(run.outputs['docker-reclaimed-bytes']).toBe('0')
    expect(run.outputs.reclaimed).toMatch(/^\d+(\.\d+)? kB$/)
    expect((JSON.parse(run.outputs['cleared-paths']) as string[]).sort()).toEqual(
      [...tree.caches.frontend, ...tree.caches.backend].sort()
    )
    // Logs are grouped per target.
    expect(run.stdout).toMatch(/::group::frontend: 7 paths/)
    expect(run.stdout).toMatch(/::group::backend: 8 paths/)
    // The summary: a table of what was cleared, totals, free space before and after.
    expect(run.summary).toContain('<table>')
    expect(run.summary).toContain('<td>frontend/.next</td>')
    expect(run.summary).toMatch(/Reclaimed<\/th><td>[\d.]+ kB \(\d+ bytes\)/)
    expect(run.summary).toContain(`(${bytes} bytes)`)
    expect(run.summary).toContain('Free space before')
    expect(run.summary).toContain('Free space after')
    expect(run.summary).not.toContain('DRY RUN')
  })

  it('a dry run deletes nothing, reports what a real run frees, and says so in the summary', async () => {
    const tree = app()
    const before = listTree(tree.root)
    const dry = await runAction(tree.root, { target: 'frontend,backend', 'dry-run': 'true' })
    expect(dry.exitCode).toBe(0)
    expect(listTree(tree.root)).toEqual(before)
    expect(dry.summary).toContain('DRY RUN')
    const real = await runAction(tree.root, { target: 'frontend,backend' })
    expect(dry.outputs['reclaimed-bytes']).toBe(real.outputs['reclaimed-bytes'])
    expect(dry.outputs['cleared-paths']).toBe(real.outputs['cleared-paths'])
  })

  it('honours summary: false', async () => {
    const tree = app()
    const run = await runAction(tree.root, { target: 'backend', summary: 'false' })
    expect(run.exitCode).toBe(0)
    expect(run.summary).toBe('')
  })

  it.each([
    [
      { target: 'nonsense' },
      /::error::Input 'target' has an unknown value 'nonsense'\. Valid values: frontend, backend, docker, all/
    ],
    [
      { target: 'frontend', 'frontend-path': '../outside' },
      /::error::Input 'frontend-path' must stay under working-directory/
    ],
    [
      { target: 'backend', 'extra-paths': 'tmp\n/etc' },
      /::error::Input 'extra-paths' must stay under working-directory/
    ],
    [{ target: 'frontend', 'dry-run': 'yes' }, /::error::Input 'dry-run' must be a boolean: true or false/],
    [{ 'docker-keep-storage': 'lots' }, /::error::Input 'docker-keep-storage' must be a size/],
    [
      { target: 'frontend', 'working-directory': '/nonexistent/app' },
      /::error::Input 'working-directory': '\/nonexistent\/app' is not a directory/
    ]
  ])('bad input %j fails with a clear error and changes nothing', async (inputs, message) => {
    const tree = app()
    const before = listTree(tree.root)
    const run = await runAction(tree.root, inputs)
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toMatch(message)
    expect(run.stdout).not.toMatch(/\n\s+at /) // no stack trace
    expect(listTree(tree.root)).toEqual(before)
    // Every output is still set.
    expect(run.outputs).toEqual({
      'reclaimed-bytes': '0',
      reclaimed: '0 B',
      'files-reclaimed-bytes': '0',
      'docker-reclaimed-bytes': '0',
      'docker-reported-bytes': '0',
      'cleared-paths': '[]',
      'actions-cache-deleted': '0',
      'actions-cache-reclaimed-bytes': '0'
    })
  })

  it('warns and skips a missing part, as the old script did', async () => {
    const tree = app()
    const run = await runAction(tree.root, { target: 'frontend,backend', 'backend-path': 'api' })
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toMatch(/::warning::The backend root 'api' was not found/)
    expect(exists(path.join(tree.root, 'frontend/.next'))).toBe(false)
    expect(exists(path.join(tree.root, 'backend/app/__pycache__'))).toBe(true)
  })

  it('fails the step naming each path that could not be removed, after clearing the rest', async () => {
    const tree = app()
    const stuck = path.join(tree.root, 'backend/app/__pycache__/views.cpython-311.pyc')
    if (!makeImmutable(stuck)) return
    const run = await runAction(tree.root, { target: 'frontend,backend' })
    expect(run.exitCode).toBe(1)
    expect(run.stdout).toMatch(/::error::backend\/app\/__pycache__\/views\.cpython-311\.pyc: EPERM/)
    expect(run.stdout).toMatch(
      /::error::1 path could not be removed: backend\/app\/__pycache__\/views\.cpython-311\.pyc/
    )
    expect(exists(path.join(tree.root, 'frontend/.next'))).toBe(false)
    expect(exists(path.join(tree.root, 'backend/staticfiles'))).toBe(false)
    expect(Number(run.outputs['reclaimed-bytes'])).toBeGreaterThan(0)
    expect(run.outputs['cleared-paths']).not.toContain('backend/app/__pycache__')
    expect(run.summary).toContain('views.cpython-311.pyc: EPERM')
  })

  it('treats an unwritable summary file as a warning, not a failed clear', async () => {
    const tree = app()
    const run = await runAction(
      tree.root,
      { target: 'frontend' },
      { GITHUB_STEP_SUMMARY: path.join(tree.root, 'no/such/dir/summary') }
    )
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toMatch(/::warning::Could not write the job summary/)
  })

  it('clears extra-paths with a file target', async () => {
    const tree = app()
    writeFileSync(path.join(tree.root, 'build.log'), 'x')
    const run = await runAction(tree.root, { target: 'backend', 'extra-paths': '*.log' })
    expect(run.exitCode).toBe(0)
    expect(JSON.parse(run.outputs['cleared-paths'])).toContain('build.log')
    expect(exists(path.join(tree.root, 'build.log'))).toBe(false)
  })
})
