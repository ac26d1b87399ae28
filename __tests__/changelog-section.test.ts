// scripts/changelog-section.mjs: the release notes of one version, as the
// release workflow takes them from CHANGELOG.md.
import { describe, expect, test } from '@jest/globals'
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { changelogSection } from '../scripts/changelog-section.mjs'
import { REPO_ROOT } from './helpers/run-action.js'

const SCRIPT = path.join(REPO_ROOT, 'scripts', 'changelog-section.mjs')

const CHANGELOG = `# Changelog

All notable changes to this project are documented in this file.

## [Unreleased]

- Something not released yet.

## [1.2.0] - 2026-12-01

### Added

- A new input.

### Fixed

- A bug, with \`## code\` inside a line.

## 1.1.0

- Plain heading, no brackets, no date.

## [1.0.0] - 2026-11-01

## [0.9.0]

- The last one before the links.

[1.2.0]: https://github.com/org/clear-app-caches/compare/v1.1.0...v1.2.0
[0.9.0]: https://github.com/org/clear-app-caches/releases/tag/v0.9.0
`

describe('changelogSection', () => {
  test('takes the lines under the version, up to the next version', () => {
    expect(changelogSection(CHANGELOG, '1.2.0')).toBe(
      '### Added\n\n- A new input.\n\n### Fixed\n\n- A bug, with `## code` inside a line.\n'
    )
  })

  test('accepts the tag form, and headings without brackets or date', () => {
    expect(changelogSection(CHANGELOG, 'v1.2.0')).toBe(changelogSection(CHANGELOG, '1.2.0'))
    expect(changelogSection(CHANGELOG, '1.1.0')).toBe('- Plain heading, no brackets, no date.\n')
  })

  test('stops at the link references that close the file', () => {
    expect(changelogSection(CHANGELOG, '0.9.0')).toBe('- The last one before the links.\n')
  })

  test('a version without a section, or with an empty one, has no notes', () => {
    expect(changelogSection(CHANGELOG, '3.0.0')).toBeUndefined()
    expect(changelogSection(CHANGELOG, '1.0.0')).toBeUndefined()
    // 1.2.0 is not 1.2.0x, nor 1.2.00's prefix: the version is matched whole.
    expect(changelogSection(CHANGELOG, '1.2')).toBeUndefined()
    expect(changelogSection('## [1.2.0]\n- a\n', '1.2.00')).toBeUndefined()
  })

  test("the project's CHANGELOG.md has notes waiting for the next release", () => {
    const ours = readFileSync(path.join(REPO_ROOT, 'CHANGELOG.md'), 'utf8')
    expect(changelogSection(ours, 'Unreleased')).toMatch(/^- /m)
  })
})

describe('the CLI, as the release workflow runs it', () => {
  const run = promisify(execFile)
  const dir = mkdtempSync(path.join(tmpdir(), 'cac-changelog-'))
  const file = path.join(dir, 'CHANGELOG.md')
  writeFileSync(file, CHANGELOG)

  test('prints the section of the tag and exits 0', async () => {
    const { stdout } = await run(process.execPath, [SCRIPT, 'v1.1.0', file])
    expect(stdout).toBe('- Plain heading, no brackets, no date.\n')
  })

  test('fails with exit code 1, saying what to add, when the version has no notes', async () => {
    await expect(run(process.execPath, [SCRIPT, 'v3.0.0', file])).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('add a "## [3.0.0]" section')
    })
  })

  test('refuses what is not a version with exit code 2', async () => {
    await expect(run(process.execPath, [SCRIPT, 'main', file])).rejects.toMatchObject({ code: 2 })
  })
})
