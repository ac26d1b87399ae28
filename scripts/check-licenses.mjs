#!/usr/bin/env node
// Checks the licenses of what dist/ bundles, as actions/typescript-action's
// `licensed` job does for its dependencies, without a Ruby tool:
//
// 1. dist/licenses.txt, which ncc writes beside the bundle (one entry per
//    bundled package: name, SPDX id, license text): every entry must carry a
//    license id, and the id must be allowed.
// 2. package-lock.json: every runtime (non-dev) package must have an allowed
//    license, read from the lock or from its package.json ("license", or the
//    old "licenses" array) -- a dependency added since the last bundle is
//    caught before dist/ is rebuilt.
// 3. Runtime packages with code that licenses.txt does not name are warned
//    about: ncc's license plugin skips a package whose nearest package.json
//    has no name (ssh-config 5's dist/package.json, for one), so its notice
//    would ship without its text. scripts/bundle-dist.mjs adds those notices
//    from these warnings, and the suite asserts that dist/ has none.
//
// Usage: node scripts/check-licenses.mjs [--json] [--licenses FILE] [--lock FILE]
// Exit code 0 when every license is allowed, 1 otherwise, 2 on usage or I/O errors.
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** Permissive licenses whose only duty is to keep the notice (which licenses.txt does). */
export const ALLOWED = [
  '0BSD',
  'Apache-2.0',
  'BlueOak-1.0.0',
  'BSD-2-Clause',
  'BSD-3-Clause',
  'CC0-1.0',
  'ISC',
  'MIT',
  'Unlicense'
]

/**
 * Runtime packages that are not bundled, with the reason: they build or
 * describe code, and dist/ holds none of it.
 */
export const NOT_BUNDLED = {
  '@octokit/openapi-types': 'TypeScript types only',
  '@octokit/types': 'TypeScript types only',
  buildcheck: "build-time only: cpu-features' native build, which dist/ does not ship",
  nan: "build-time only: C++ headers for cpu-features' native build"
}

const NAME = /^(?:@[a-z0-9][\w.~-]*\/)?[a-z0-9][\w.~-]*$/
const SPDX_ID = /^[A-Za-z0-9][A-Za-z0-9.+-]*$/
const SPDX_EXPRESSION = /^\(?[A-Za-z0-9][A-Za-z0-9.+-]*(?:\s+(?:AND|OR|WITH)\s+\(?[A-Za-z0-9][A-Za-z0-9.+-]*\)?)*\)?$/

/**
 * Entries of ncc's licenses.txt. ncc (license-webpack-plugin) writes, sorted
 * by name, "NAME\nLICENSE-ID\nLICENSE TEXT\n\n" per package, the id and the
 * text each left out when unknown. An entry starts after a blank line with a
 * package name that sorts after the previous entry's name.
 */
export function parseLicensesTxt(text) {
  const lines = text.replace(/\r\n/g, '\n').split('\n')
  const entries = []
  for (let i = 0; i < lines.length; i++) {
    if (i > 0 && lines[i - 1] !== '') continue
    const name = lines[i]
    if (!NAME.test(name)) continue
    const previous = entries.at(-1)
    if (previous && !(previous.name < name)) continue
    const next = lines[i + 1] ?? ''
    entries.push({ name, license: SPDX_EXPRESSION.test(next) ? next : undefined })
  }
  return entries
}

/** True when an SPDX expression is satisfied by the allowlist (OR: any branch; AND: every one; WITH: its license). */
export function isAllowed(expression, allowed = ALLOWED) {
  if (!expression) return false
  const text = expression.trim().replace(/^\((.*)\)$/, '$1')
  const either = text.split(/\s+OR\s+/)
  return either.some((branch) =>
    branch
      .replace(/[()]/g, '')
      .split(/\s+AND\s+/)
      .every((part) => {
        const id = part.split(/\s+WITH\s+/)[0].trim()
        return SPDX_ID.test(id) && allowed.includes(id)
      })
  )
}

/** The license a package.json declares: "license", or the old "licenses" array joined with OR. */
export function declaredLicense(manifest) {
  if (typeof manifest.license === 'string') return manifest.license
  if (manifest.license && typeof manifest.license.type === 'string') return manifest.license.type
  if (Array.isArray(manifest.licenses)) {
    const types = manifest.licenses.map((l) => (typeof l === 'string' ? l : l?.type)).filter(Boolean)
    if (types.length > 0) return types.length === 1 ? types[0] : `(${types.join(' OR ')})`
  }
  return undefined
}

/** Runtime (non-dev) packages of a package-lock.json (v2/v3), with their license. */
export function runtimePackages(lock, root = ROOT) {
  const found = new Map()
  for (const [key, entry] of Object.entries(lock.packages ?? {})) {
    if (key === '' || entry.dev) continue
    const name = entry.name ?? key.replace(/^.*node_modules\//, '')
    let license = entry.license
    let installed = false
    const manifestPath = path.join(root, key, 'package.json')
    if (existsSync(manifestPath)) {
      installed = true
      license ??= declaredLicense(JSON.parse(readFileSync(manifestPath, 'utf8')))
    }
    const seen = found.get(name)
    if (!seen || (!seen.license && license)) {
      found.set(name, { name, version: entry.version, license, optional: Boolean(entry.optional), installed })
    }
  }
  return [...found.values()].sort((a, b) => (a.name < b.name ? -1 : 1))
}

/** Problems (errors) and warnings for one licenses.txt and one lock. */
export function checkLicenses({ licensesTxt, lock, root = ROOT, allowed = ALLOWED, notBundled = NOT_BUNDLED }) {
  const errors = []
  const warnings = []
  const bundled = parseLicensesTxt(licensesTxt)
  if (bundled.length === 0) errors.push('dist/licenses.txt names no package: is it the file ncc writes?')
  for (const { name, license } of bundled) {
    if (!license) errors.push(`${name}: bundled in dist/ without a license id in licenses.txt`)
    else if (!isAllowed(license, allowed))
      errors.push(`${name}: bundled in dist/ under ${license}, not in the allowlist`)
  }
  const runtime = lock ? runtimePackages(lock, root) : []
  for (const pkg of runtime) {
    if (!pkg.installed && pkg.optional) continue
    if (!pkg.license) errors.push(`${pkg.name}@${pkg.version}: a runtime dependency with no declared license`)
    else if (!isAllowed(pkg.license, allowed)) {
      errors.push(`${pkg.name}@${pkg.version}: a runtime dependency under ${pkg.license}, not in the allowlist`)
    }
  }
  const named = new Set(bundled.map((e) => e.name))
  for (const pkg of runtime) {
    if (named.has(pkg.name) || pkg.name in notBundled || (!pkg.installed && pkg.optional)) continue
    warnings.push(`${pkg.name}@${pkg.version}: a runtime dependency that dist/licenses.txt does not name`)
  }
  return { ok: errors.length === 0, bundled, runtime, errors, warnings }
}

export function main(argv) {
  let json = false
  let licensesFile = path.join(ROOT, 'dist', 'licenses.txt')
  let lockFile = path.join(ROOT, 'package-lock.json')
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--json') json = true
    else if (argv[i] === '--licenses' && argv[i + 1]) licensesFile = path.resolve(argv[++i])
    else if (argv[i] === '--lock' && argv[i + 1]) lockFile = path.resolve(argv[++i])
    else {
      console.error('usage: node scripts/check-licenses.mjs [--json] [--licenses FILE] [--lock FILE]')
      return 2
    }
  }
  let licensesTxt
  let lock
  try {
    licensesTxt = readFileSync(licensesFile, 'utf8')
    lock = JSON.parse(readFileSync(lockFile, 'utf8'))
  } catch (error) {
    console.error(`check-licenses: ${error.message}`)
    return 2
  }
  const result = checkLicenses({ licensesTxt, lock, root: path.dirname(lockFile) })
  if (json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`)
  } else {
    for (const { name, license } of result.bundled) console.log(`${license ?? '(none)'}\t${name}`)
    for (const warning of result.warnings) console.log(`warning: ${warning}`)
    for (const error of result.errors) console.error(`error: ${error}`)
    console.log(
      result.ok
        ? `${result.bundled.length} bundled packages, ${result.runtime.length} runtime dependencies: every license is allowed (${ALLOWED.join(', ')})`
        : `${result.errors.length} license problem(s)`
    )
  }
  return result.ok ? 0 : 1
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2))
}
