// Settings + the rules table → what to remove, as data. Reads the disk only to
// see which roots exist and to expand globs; never deletes.
import { promises as fs } from 'node:fs'
import path from 'node:path'
import type { FileSettings } from './inputs.js'
import { CACHE_RULES, isFileTarget, type FileTarget } from './rules.js'

/** One target's root, searched for the cache paths its rule names. */
export interface CacheSearch {
  readonly target: FileTarget
  /** Absolute path of the target root. */
  readonly root: string
  /** Exact cache paths, relative to `root`, '/'-separated. */
  readonly exactPaths: readonly string[]
  /** Directory names removed wherever they are found below `root`. */
  readonly dirNames: ReadonlySet<string>
  /** File-name endings removed wherever they are found below `root`. */
  readonly fileSuffixes: readonly string[]
}

export interface RemovalPlan {
  /** The app root (working-directory); reported paths are relative to it. */
  readonly appRoot: string
  readonly searches: readonly CacheSearch[]
  /** extra-paths with globs expanded: absolute paths. */
  readonly extraPaths: readonly string[]
  readonly warnings: readonly string[]
}

/** The app root itself is missing: nothing can be planned. */
export class PlanError extends Error {
  override name = 'PlanError'
}

export function rootNotADirectory(root: string): PlanError {
  return new PlanError(`Input 'working-directory': '${root}' is not a directory.`)
}

async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await fs.stat(p)).isDirectory()
  } catch {
    return false
  }
}

export async function planCacheRemoval(settings: FileSettings): Promise<RemovalPlan> {
  const fileTargets = settings.targets.filter(isFileTarget)
  const warnings: string[] = []
  const searches: CacheSearch[] = []
  let extraPaths: string[] = []
  if (fileTargets.length === 0) {
    if (settings.extraPaths.length > 0)
      warnings.push(
        'extra-paths are cleared with a file target (frontend, backend); none was chosen, so they were left alone.'
      )
    return { appRoot: settings.root, searches, extraPaths, warnings }
  }
  if (!(await isDirectory(settings.root))) {
    throw rootNotADirectory(settings.root)
  }
  for (const target of fileTargets) {
    const rule = CACHE_RULES[target]
    const relRoot = settings[rule.rootSetting]
    const root = path.resolve(settings.root, relRoot)
    if (!(await isDirectory(root))) {
      // The old script skipped a missing part too; a monorepo may have only one.
      warnings.push(`The ${target} root '${relRoot}' was not found under ${settings.root}: ${target} caches skipped.`)
      continue
    }
    searches.push({
      target,
      root,
      exactPaths: rule.exactPaths,
      dirNames: new Set(rule.dirNames),
      fileSuffixes: rule.fileSuffixes
    })
  }
  for (const pattern of settings.extraPaths) {
    const matches = hasGlob(pattern) ? await expandGlob(settings.root, pattern) : [path.resolve(settings.root, pattern)]
    if (matches.length === 0) warnings.push(`extra-paths: '${pattern}' matched nothing.`)
    extraPaths = extraPaths.concat(matches)
  }
  return { appRoot: settings.root, searches, extraPaths: [...new Set(extraPaths)], warnings }
}

export function hasGlob(pattern: string): boolean {
  return /[*?[]/.test(pattern)
}

/** One glob segment ('*.log', 'cache-?') as a RegExp; '*' does not match a leading dot, as in bash. */
export function segmentPattern(segment: string): RegExp {
  let source = ''
  for (let i = 0; i < segment.length; i++) {
    const char = segment[i]
    if (char === '*') source += '[^/]*'
    else if (char === '?') source += '[^/]'
    else if (char === '[') {
      const close = segment.indexOf(']', i + 2)
      if (close === -1) source += '\\['
      else {
        const body = segment
          .slice(i + 1, close)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\')
        source += `[${body}]`
        i = close
      }
    } else source += char.replace(/[.+^${}()|\\]/g, '\\$&')
  }
  const dotGuard = segment.startsWith('.') ? '' : '(?!\\.)'
  return new RegExp(`^${dotGuard}${source}$`)
}

/**
 * Expands a relative glob under root without following symbolic links
 * ('**' crosses real directories only). Returns absolute paths.
 */
export async function expandGlob(root: string, pattern: string): Promise<string[]> {
  let current = [root]
  const segments = pattern.split('/').filter((segment) => segment !== '' && segment !== '.')
  for (const [index, segment] of segments.entries()) {
    const last = index === segments.length - 1
    const next: string[] = []
    if (segment === '**') {
      // Zero or more directories: every real directory below each current one.
      for (const dir of current) next.push(dir, ...(await realDirectoriesBelow(dir)))
    } else if (!hasGlob(segment)) {
      for (const dir of current) next.push(path.join(dir, segment))
    } else {
      const matcher = segmentPattern(segment)
      for (const dir of current) {
        for (const entry of await readDirectory(dir)) {
          if (!matcher.test(entry.name)) continue
          // Intermediate matches must be real directories; the last may be anything.
          if (last || entry.isDirectory()) next.push(path.join(dir, entry.name))
        }
      }
    }
    current = next
  }
  const existing: string[] = []
  for (const candidate of current) {
    if (candidate !== root && (await exists(candidate))) existing.push(candidate)
  }
  return existing
}

async function readDirectory(dir: string): Promise<import('node:fs').Dirent[]> {
  try {
    return await fs.readdir(dir, { withFileTypes: true })
  } catch {
    return []
  }
}

async function realDirectoriesBelow(dir: string): Promise<string[]> {
  const found: string[] = []
  for (const entry of await readDirectory(dir)) {
    if (!entry.isDirectory()) continue
    const child = path.join(dir, entry.name)
    found.push(child, ...(await realDirectoriesBelow(child)))
  }
  return found
}

async function exists(p: string): Promise<boolean> {
  try {
    await fs.lstat(p)
    return true
  } catch {
    return false
  }
}
