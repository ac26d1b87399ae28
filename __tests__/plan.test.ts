import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Settings } from '../src/inputs.js'
import { textKey } from '../src/bytepath.js'
import { PlanError, expandGlob, planCacheRemoval, segmentPattern } from '../src/plan.js'
import type { Target } from '../src/rules.js'
import { testSettings } from '../__fixtures__/temp.js'

let base: string
beforeAll(() => {
  base = mkdtempSync(path.join(tmpdir(), 'cac-plan-'))
  for (const rel of [
    'frontend/x',
    'backend/y',
    'web/z',
    'tmp/a.log',
    'tmp/b.log',
    'tmp/.hidden.log',
    'tmp/sub/c.log',
    'build/out.bin'
  ]) {
    mkdirSync(path.join(base, path.dirname(rel)), { recursive: true })
    writeFileSync(path.join(base, rel), 'x')
  }
  mkdirSync(path.join(base, 'elsewhere/deep'), { recursive: true })
  writeFileSync(path.join(base, 'elsewhere/deep/d.log'), 'x')
  symlinkSync(path.join(base, 'elsewhere'), path.join(base, 'tmp/link'))
})
afterAll(() => rmSync(base, { recursive: true, force: true }))

const settings = (targets: Target[], overrides: Partial<Settings> = {}): Settings =>
  testSettings(base, targets, overrides)

describe('planCacheRemoval', () => {
  it.each([
    [['frontend'], [['frontend', 'frontend', ['.next', '.turbo', 'out', 'node_modules/.cache'], ['.cache'], []]]],
    [
      ['backend'],
      [['backend', 'backend', ['staticfiles'], ['__pycache__', '.pytest_cache', '.mypy_cache'], ['.pyc', '.pyo']]]
    ],
    [
      ['frontend', 'backend', 'docker'],
      [
        ['frontend', 'frontend', ['.next', '.turbo', 'out', 'node_modules/.cache'], ['.cache'], []],
        ['backend', 'backend', ['staticfiles'], ['__pycache__', '.pytest_cache', '.mypy_cache'], ['.pyc', '.pyo']]
      ]
    ],
    [['docker'], []]
  ] as [Target[], [string, string, string[], string[], string[]][]][])(
    '%j reads the rules table',
    async (targets, expected) => {
      const plan = await planCacheRemoval(settings(targets))
      expect(
        plan.searches.map((s) => [s.target, path.relative(base, s.root), s.exactPaths, [...s.dirNames], s.fileSuffixes])
      ).toEqual(expected)
      expect(plan.warnings).toEqual([])
    }
  )

  it('uses the configured roots', async () => {
    const plan = await planCacheRemoval(settings(['frontend'], { frontendPath: 'web' }))
    expect(plan.searches.map((s) => s.root)).toEqual([path.join(base, 'web')])
  })

  it('warns and skips a missing target root', async () => {
    const plan = await planCacheRemoval(settings(['frontend', 'backend'], { backendPath: 'api' }))
    expect(plan.searches.map((s) => s.target)).toEqual(['frontend'])
    expect(plan.warnings).toEqual([expect.stringMatching(/backend root 'api' was not found/)])
  })

  it('fails when the app root is missing and a file target is chosen', async () => {
    await expect(planCacheRemoval(settings(['frontend'], { root: path.join(base, 'nope') }))).rejects.toThrow(PlanError)
    await expect(planCacheRemoval(settings(['docker'], { root: path.join(base, 'nope') }))).resolves.toBeDefined()
  })

  it('expands extra-paths and warns about ones that match nothing', async () => {
    const plan = await planCacheRemoval(settings(['frontend'], { extraPaths: ['tmp/*.log', 'build', 'nothing/*'] }))
    expect(plan.extraPaths.map((p) => path.relative(base, p.toString())).sort()).toEqual([
      'build',
      'tmp/a.log',
      'tmp/b.log'
    ])
    expect(plan.warnings).toEqual([expect.stringMatching(/'nothing\/\*' matched nothing/)])
  })

  it('leaves extra-paths alone without a file target', async () => {
    const plan = await planCacheRemoval(settings(['docker'], { extraPaths: ['build'] }))
    expect(plan.extraPaths).toEqual([])
    expect(plan.warnings).toEqual([expect.stringMatching(/extra-paths are cleared with a file target/)])
  })
})

describe('globs', () => {
  it.each([
    ['*.log', 'a.log', true],
    ['*.log', '.hidden.log', false],
    ['.*.log', '.hidden.log', true],
    ['?.log', 'a.log', true],
    ['?.log', 'ab.log', false],
    ['[ab].log', 'b.log', true],
    ['[!ab].log', 'b.log', false],
    ['a+b(c)', 'a+b(c)', true],
    ['*', 'anything', true],
    // Names are matched as byte keys (bytepath.ts): '?' takes one UTF-8 character, or one byte that is not UTF-8.
    ['?.log', textKey('é.log'), true],
    ['?.log', '\xe9.log', true],
    ['??.log', textKey('é.log'), false],
    ['*.log', '\xff\xfe.log', true],
    ['été*', textKey('été-1'), true],
    ['été*', '\xe9t\xe9-1', false]
  ])('%j matches %j: %s', (pattern, name, expected) => {
    expect(segmentPattern(pattern).test(name)).toBe(expected)
  })

  it('expands ** through real directories only, never through links', async () => {
    const found = (await expandGlob(base, 'tmp/**/*.log')).map((p) => path.relative(base, p.toString())).sort()
    expect(found).toEqual(['tmp/a.log', 'tmp/b.log', 'tmp/sub/c.log'])
  })
})
