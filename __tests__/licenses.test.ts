// scripts/check-licenses.mjs: the licenses of what dist/ bundles (ncc's
// dist/licenses.txt) and of the runtime dependencies (package-lock.json),
// against an allowlist of permissive licenses.
import { describe, expect, test } from '@jest/globals'
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import {
  checkLicenses,
  declaredLicense,
  isAllowed,
  parseLicensesTxt,
  runtimePackages
} from '../scripts/check-licenses.mjs'
import { REPO_ROOT } from './helpers/run-action.js'

const SCRIPT = path.join(REPO_ROOT, 'scripts', 'check-licenses.mjs')

// ncc's format: sorted by name, "NAME\nID\nTEXT\n\n" per package. The texts
// hold blank lines and lines that look like names: only a name that sorts
// after the previous entry, right after a blank line, starts an entry.
const LICENSES_TXT = `alpha
MIT
The MIT License

Copyright (c) alpha

Permission is hereby granted, free of charge...


beta
Apache-2.0
                                 Apache License

aardvark
is a word at the start of a paragraph, not a package (it sorts before beta).


gamma
(MIT OR GPL-3.0-only)
Dual licensed.


zeta
`

describe('parseLicensesTxt', () => {
  test('reads the entries of ncc licenses.txt, and no line of a license text', () => {
    expect(parseLicensesTxt(LICENSES_TXT)).toEqual([
      { name: 'alpha', license: 'MIT' },
      { name: 'beta', license: 'Apache-2.0' },
      { name: 'gamma', license: '(MIT OR GPL-3.0-only)' },
      { name: 'zeta', license: undefined }
    ])
  })

  test("reads the committed dist/licenses.txt: ssh2's and Octokit's among them", () => {
    const entries = parseLicensesTxt(readFileSync(path.join(REPO_ROOT, 'dist', 'licenses.txt'), 'utf8'))
    const names = entries.map((e) => e.name)
    expect(names).toEqual(expect.arrayContaining(['ssh2', 'undici', '@octokit/core']))
    expect(names).toEqual([...names].sort())
    expect(entries.every((e) => e.license !== undefined)).toBe(true)
  })
})

describe('isAllowed', () => {
  test.each([
    ['MIT', true],
    ['Apache-2.0', true],
    ['BSD-3-Clause', true],
    ['0BSD', true],
    ['BlueOak-1.0.0', true],
    ['(MIT OR GPL-3.0-only)', true],
    ['MIT OR Apache-2.0', true],
    ['Apache-2.0 WITH LLVM-exception', true],
    ['MIT AND GPL-3.0-only', false],
    ['GPL-3.0-only', false],
    ['AGPL-3.0-or-later', false],
    ['SEE LICENSE IN LICENSE.md', false],
    ['UNLICENSED', false],
    [undefined, false]
  ])('%s: %s', (expression, allowed) => {
    expect(isAllowed(expression)).toBe(allowed)
  })
})

describe('declaredLicense', () => {
  test('reads "license", and the old "licenses" array ssh2 still uses', () => {
    expect(declaredLicense({ license: 'ISC' })).toBe('ISC')
    expect(declaredLicense({ licenses: [{ type: 'MIT', url: 'x' }] })).toBe('MIT')
    expect(declaredLicense({ licenses: [{ type: 'MIT' }, { type: 'Apache-2.0' }] })).toBe('(MIT OR Apache-2.0)')
    expect(declaredLicense({})).toBeUndefined()
  })
})

describe('checkLicenses', () => {
  test('a bundled package under a license outside the allowlist fails, by name', () => {
    const result = checkLicenses({ licensesTxt: 'evil\nGPL-3.0-only\ntext\n\n\ngood\nMIT\ntext\n' })
    expect(result.ok).toBe(false)
    expect(result.errors).toEqual(['evil: bundled in dist/ under GPL-3.0-only, not in the allowlist'])
  })

  test('a bundled package without a license id fails', () => {
    const result = checkLicenses({ licensesTxt: 'alpha\nMIT\ntext\n\n\nzeta\n' })
    expect(result.errors).toEqual(['zeta: bundled in dist/ without a license id in licenses.txt'])
  })

  test('a runtime dependency under another license fails before any bundle has it', () => {
    const lock = {
      packages: {
        '': { name: 'x' },
        'node_modules/copyleft': { version: '1.0.0', license: 'GPL-2.0-only' },
        'node_modules/tooling': { version: '1.0.0', license: 'GPL-2.0-only', dev: true }
      }
    }
    const result = checkLicenses({ licensesTxt: 'alpha\nMIT\n', lock, root: mkdtempSync(path.join(tmpdir(), 'cac-')) })
    expect(result.errors).toEqual(['copyleft@1.0.0: a runtime dependency under GPL-2.0-only, not in the allowlist'])
    expect(result.warnings).toEqual(['copyleft@1.0.0: a runtime dependency that dist/licenses.txt does not name'])
  })

  test("this project's dist/ and runtime dependencies pass", () => {
    const lock = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package-lock.json'), 'utf8'))
    const result = checkLicenses({
      licensesTxt: readFileSync(path.join(REPO_ROOT, 'dist', 'licenses.txt'), 'utf8'),
      lock,
      root: REPO_ROOT
    })
    expect(result.errors).toEqual([])
    expect(result.ok).toBe(true)
    // Every runtime package's notice ships: scripts/bundle-dist.mjs adds those ncc's plugin missed (ssh-config).
    expect(result.warnings).toEqual([])
    // Everything licenses.txt names is a runtime dependency: the dev tools are not bundled.
    const runtime = new Set(runtimePackages(lock, REPO_ROOT).map((p) => p.name))
    expect(result.bundled.map((e) => e.name).filter((name) => !runtime.has(name))).toEqual([])
  })
})

describe('the CLI, as the licenses workflow runs it', () => {
  const run = promisify(execFile)

  test('exits 0 on this project, listing each bundled package with its license', async () => {
    const { stdout } = await run(process.execPath, [SCRIPT], { cwd: REPO_ROOT })
    expect(stdout).toMatch(/^MIT\tssh2$/m)
    expect(stdout).toMatch(/every license is allowed/)
  })

  test('exits 1 naming the package when a license is not allowed', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cac-licenses-'))
    const file = path.join(dir, 'licenses.txt')
    writeFileSync(file, 'evil\nGPL-3.0-only\ntext\n')
    await expect(run(process.execPath, [SCRIPT, '--licenses', file], { cwd: REPO_ROOT })).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('evil: bundled in dist/ under GPL-3.0-only')
    })
  })
})
