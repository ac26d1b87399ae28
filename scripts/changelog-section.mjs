#!/usr/bin/env node
// Prints one version's section of CHANGELOG.md (Keep a Changelog format), for
// the release notes: the lines under "## [1.2.3]" (or "## 1.2.3", with or
// without a " - date"), up to the next "## " heading or the link references.
//
// Usage: node scripts/changelog-section.mjs VERSION [CHANGELOG]
//   VERSION   1.2.3 or v1.2.3 (a release tag)
// Exit code 0 with the section on stdout; 1 when the version has no section
// or an empty one (a release without notes is a mistake); 2 on usage errors.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** The body of `version`'s section, trimmed; undefined when there is none or it is empty. */
export function changelogSection(markdown, version) {
  const bare = version.replace(/^v/, '')
  const heading = new RegExp(String.raw`^## \[?v?${escapeRegExp(bare)}\]?(?:\s+-\s+.*)?\s*$`)
  const lines = markdown.replace(/\r\n/g, '\n').split('\n')
  const start = lines.findIndex((line) => heading.test(line))
  if (start < 0) return undefined
  const body = []
  for (const line of lines.slice(start + 1)) {
    // The next version, or the link reference definitions that close the file.
    if (/^## /.test(line) || /^\[[^\]]+\]:\s/.test(line)) break
    body.push(line)
  }
  const text = body.join('\n').trim()
  return text === '' ? undefined : `${text}\n`
}

export function main(argv) {
  const [version, file = path.join(ROOT, 'CHANGELOG.md')] = argv
  if (!version || !/^v?\d+\.\d+\.\d+(?:[-+][\w.-]+)?$/.test(version)) {
    console.error('usage: node scripts/changelog-section.mjs VERSION [CHANGELOG]  (VERSION: 1.2.3 or v1.2.3)')
    return 2
  }
  const section = changelogSection(readFileSync(file, 'utf8'), version)
  if (section === undefined) {
    console.error(
      `${path.relative(process.cwd(), file) || file} has no notes for ${version}: add a "## [${version.replace(/^v/, '')}]" section`
    )
    return 1
  }
  process.stdout.write(section)
  return 0
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2))
}
