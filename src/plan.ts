// Settings + the rules table → what to remove, as data. Reads the disk only to
// see which roots exist and to expand globs; never deletes.
import { promises as fs, type Dir, type Dirent } from 'node:fs'
import path from 'node:path'
import { byteKey, joinKey, textKey } from './bytepath.js'
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
  /** extra-paths with globs expanded: absolute paths, as bytes (names need not be UTF-8). */
  readonly extraPaths: readonly Buffer[]
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
  let extraPaths: Buffer[] = []
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
    const matches = hasGlob(pattern)
      ? await expandGlob(settings.root, pattern)
      : [Buffer.from(path.resolve(settings.root, pattern))]
    if (matches.length === 0) warnings.push(`extra-paths: '${pattern}' matched nothing.`)
    extraPaths = extraPaths.concat(matches)
  }
  const unique = new Map(extraPaths.map((extra) => [byteKey(extra), extra]))
  return { appRoot: settings.root, searches, extraPaths: [...unique.values()], warnings }
}

export function hasGlob(pattern: string): boolean {
  return /[*?[]/.test(pattern)
}

// One character for '?': a UTF-8 sequence (loosely checked), else one byte that starts none.
const UTF8_SEQUENCE = '[\\xc2-\\xdf][\\x80-\\xbf]|[\\xe0-\\xef][\\x80-\\xbf]{2}|[\\xf0-\\xf4][\\x80-\\xbf]{3}'
const ONE_CHARACTER = `(?:${UTF8_SEQUENCE}|(?!${UTF8_SEQUENCE})[^/])`

/**
 * One glob segment ('*.log', 'cache-?') as a RegExp over a name's byte key
 * (bytepath.ts), so names that are not UTF-8 match too; '*' does not match a
 * leading dot, as in bash. A bracket expression matches one byte.
 */
export function segmentPattern(pattern: string): RegExp {
  const segment = textKey(pattern)
  let source = ''
  for (let i = 0; i < segment.length; i++) {
    const char = segment[i]
    if (char === '*') source += '[^/]*'
    else if (char === '?') source += ONE_CHARACTER
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
 * ('**' crosses real directories only). Returns absolute paths, as bytes.
 */
export async function expandGlob(root: string, pattern: string): Promise<Buffer[]> {
  const rootBytes = Buffer.from(root)
  let current: Buffer[] = [rootBytes]
  const segments = pattern.split('/').filter((segment) => segment !== '' && segment !== '.')
  for (const [index, segment] of segments.entries()) {
    const last = index === segments.length - 1
    const next: Buffer[] = []
    if (segment === '**') {
      // Zero or more directories: every real directory below each current one.
      for (const dir of current) next.push(dir, ...(await realDirectoriesBelow(dir)))
    } else if (!hasGlob(segment)) {
      for (const dir of current) next.push(joinKey(dir, textKey(segment)))
    } else {
      const matcher = segmentPattern(segment)
      for (const dir of current) {
        for await (const entry of listDirectory(dir)) {
          if (!matcher.test(entry.name)) continue
          // Intermediate matches must be real directories; the last may be anything.
          if (last || entry.isDirectory()) next.push(joinKey(dir, entry.name))
        }
      }
    }
    current = next
  }
  const existing: Buffer[] = []
  for (const candidate of current) {
    if (!candidate.equals(rootBytes) && (await exists(candidate))) existing.push(candidate)
  }
  return existing
}

/** A directory's entries, names as byte keys (bytepath.ts), read in batches (opendir); none when it cannot be read. */
async function* listDirectory(dir: Buffer): AsyncGenerator<Dirent> {
  let opened: Dir
  try {
    opened = await fs.opendir(dir, { encoding: 'latin1' })
  } catch {
    return
  }
  try {
    for await (const entry of opened) yield entry
  } catch {
    // Unreadable midway: what was read stands.
  }
}

async function realDirectoriesBelow(dir: Buffer): Promise<Buffer[]> {
  const found: Buffer[] = []
  for await (const entry of listDirectory(dir)) {
    if (!entry.isDirectory()) continue
    const child = joinKey(dir, entry.name)
    found.push(child, ...(await realDirectoriesBelow(child)))
  }
  return found
}

async function exists(p: Buffer): Promise<boolean> {
  try {
    await fs.lstat(p)
    return true
  } catch {
    return false
  }
}
