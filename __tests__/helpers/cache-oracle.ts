// The property tests' oracle: which paths a clear must remove and what that
// frees, written from the rules as the README states them and the data in
// src/rules.ts, without any of plan.ts's or remove.ts's code. A plain
// recursive walk, on bytes: paths are Buffers, and map keys spell them in
// latin1 (one character per byte, so any name round-trips).
//
// The rules, per target root:
// - each exact path, when present, goes whole; the directories before its last
//   name resolve as a shell would (links followed), the last name is never followed;
// - below the root, without following links: a directory named in dirNames
//   goes whole; a link named in dirNames goes (as a link); any non-directory
//   whose name ends with a file suffix goes; other directories are searched;
//   an exact path is not searched again;
// - extra-paths (with any file target): each literal path or glob match goes
//   whole; globs as bash reads them with globstar ('*' skips a leading dot,
//   '**' crosses real directories only).
import { createHash } from 'node:crypto'
import { lstatSync, readdirSync, readFileSync, readlinkSync, realpathSync, type Stats } from 'node:fs'
import { CACHE_RULES, type FileTarget } from '../../src/rules.js'

export const pathKey = (p: Buffer): string => p.toString('latin1')

const join = (dir: Buffer, name: Buffer | string): Buffer =>
  Buffer.concat([dir, Buffer.from('/'), typeof name === 'string' ? Buffer.from(name) : name])

function lstatOrUndefined(p: Buffer): Stats | undefined {
  try {
    return lstatSync(p)
  } catch {
    return undefined
  }
}

function list(dir: Buffer): Buffer[] {
  try {
    return readdirSync(dir, { encoding: 'buffer' })
  } catch {
    return []
  }
}

/** The path a shell reaches: the directories before the last name resolved, the last name itself not followed. */
function shellPath(p: Buffer): Buffer | undefined {
  const slash = p.lastIndexOf(0x2f)
  try {
    const dir = realpathSync.native(p.subarray(0, slash), { encoding: 'buffer' })
    const reached = join(dir, p.subarray(slash + 1))
    return lstatOrUndefined(reached) ? reached : undefined
  } catch {
    return undefined
  }
}

function searchRoot(dir: Buffer, rel: string, target: FileTarget, found: Buffer[]): void {
  const rule = CACHE_RULES[target]
  for (const name of list(dir)) {
    const nameText = pathKey(name)
    const relText = rel === '' ? nameText : `${rel}/${nameText}`
    if (rule.exactPaths.includes(relText)) continue
    const p = join(dir, name)
    const stat = lstatOrUndefined(p)
    if (!stat) continue
    if (stat.isDirectory()) {
      if (rule.dirNames.includes(nameText)) found.push(p)
      else searchRoot(p, relText, target, found)
    } else if (
      (stat.isSymbolicLink() && rule.dirNames.includes(nameText)) ||
      rule.fileSuffixes.some((suffix) => nameText.endsWith(suffix))
    ) {
      found.push(p)
    }
  }
}

/** One glob segment as a RegExp on a latin1 name: '*' any bytes, '?' one byte, no leading dot unless written. */
function segmentRegExp(segment: string): RegExp {
  const body = segment
    .replace(/[.+^${}()|\\[\]]/g, '\\$&')
    .replace(/\*/g, '[^/]*')
    .replace(/\?/g, '[^/]')
  return new RegExp(`^${segment.startsWith('.') ? '' : '(?!\\.)'}${body}$`)
}

function realDirectoriesBelow(dir: Buffer): Buffer[] {
  return list(dir).flatMap((name) => {
    const p = join(dir, name)
    return lstatOrUndefined(p)?.isDirectory() ? [p, ...realDirectoriesBelow(p)] : []
  })
}

function expandExtraPath(appRoot: Buffer, pattern: string): Buffer[] {
  let current = [appRoot]
  const segments = pattern.split('/').filter((segment) => segment !== '' && segment !== '.')
  segments.forEach((segment, index) => {
    const last = index === segments.length - 1
    if (segment === '**') current = current.flatMap((dir) => [dir, ...realDirectoriesBelow(dir)])
    else if (!/[*?[]/.test(segment)) current = current.map((dir) => join(dir, segment))
    else {
      const matcher = segmentRegExp(segment)
      current = current.flatMap((dir) =>
        list(dir)
          .filter((name) => matcher.test(pathKey(name)))
          .map((name) => join(dir, name))
          .filter((p) => last || lstatOrUndefined(p)?.isDirectory())
      )
    }
  })
  return current.filter((p) => !p.equals(appRoot))
}

/** Every path that must be gone after the clear (and what it was before), keyed by pathKey. */
export function predictRemoval(
  appRoot: Buffer,
  targets: readonly FileTarget[],
  extraPaths: readonly string[]
): Map<string, Stats> {
  const found: Buffer[] = []
  for (const target of targets) {
    const root = join(appRoot, target)
    for (const exact of CACHE_RULES[target].exactPaths) {
      const reached = shellPath(join(root, exact))
      if (reached) found.push(reached)
    }
    searchRoot(root, '', target, found)
  }
  if (targets.length > 0) {
    for (const pattern of extraPaths) {
      for (const match of expandExtraPath(appRoot, pattern)) {
        const reached = shellPath(match)
        if (reached) found.push(reached)
      }
    }
  }
  const gone = new Map<string, Stats>()
  const addWhole = (p: Buffer): void => {
    const stat = lstatOrUndefined(p)
    if (!stat || gone.has(pathKey(p))) return
    gone.set(pathKey(p), stat)
    if (stat.isDirectory()) for (const name of list(p)) addWhole(join(p, name))
  }
  for (const p of found) addWhole(p)
  return gone
}

/** Allocated bytes freed by removing `gone`: every directory, and each other inode once its last link is gone. */
export function predictFreedBytes(gone: ReadonlyMap<string, Stats>): number {
  let bytes = 0
  const linksGone = new Map<string, { stat: Stats; count: number }>()
  for (const stat of gone.values()) {
    if (stat.isDirectory()) bytes += stat.blocks * 512
    else {
      const inode = `${stat.dev}:${stat.ino}`
      const seen = linksGone.get(inode) ?? { stat, count: 0 }
      seen.count++
      linksGone.set(inode, seen)
    }
  }
  for (const { stat, count } of linksGone.values()) if (count === stat.nlink) bytes += stat.blocks * 512
  return bytes
}

/** Every path below `dir` (links not followed) with what must not change: type, mode, content or link target. */
export function snapshotTree(dir: Buffer, into = new Map<string, string>()): Map<string, string> {
  for (const name of list(dir)) {
    const p = join(dir, name)
    const stat = lstatSync(p)
    const mode = (stat.mode & 0o7777).toString(8)
    if (stat.isDirectory()) {
      into.set(pathKey(p), `dir ${mode}`)
      snapshotTree(p, into)
    } else if (stat.isSymbolicLink()) {
      into.set(pathKey(p), `link -> ${readlinkSync(p, { encoding: 'buffer' }).toString('hex')}`)
    } else {
      const sha1 = createHash('sha1').update(readFileSync(p)).digest('hex')
      into.set(pathKey(p), `file ${mode} ${stat.size} ${sha1}`)
    }
  }
  return into
}

/** A byte key readable in test output: printable ASCII as is, every other byte as \xNN. */
export function showBytes(key: string): string {
  return key.replace(/[^\x20-\x7e]/g, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`)
}

/**
 * How `after` differs from `before` with `gone` removed; all three lists empty
 * when the clear was exact. Paths are shown relative to `base`.
 */
export function compareTrees(
  before: ReadonlyMap<string, string>,
  after: ReadonlyMap<string, string>,
  gone: ReadonlyMap<string, Stats>,
  base: string
): { wronglyRemoved: string[]; notRemoved: string[]; changed: string[] } {
  const showPath = (key: string): string => showBytes(key.slice(pathKey(Buffer.from(base)).length + 1))
  const wronglyRemoved: string[] = []
  const changed: string[] = []
  for (const [key, description] of before) {
    if (gone.has(key)) continue
    const now = after.get(key)
    if (now === undefined) wronglyRemoved.push(showPath(key))
    else if (now !== description) changed.push(`${showPath(key)}: ${description} → ${now}`)
  }
  const notRemoved = [...after.keys()].filter((key) => gone.has(key) || !before.has(key)).map(showPath)
  return { wronglyRemoved, notRemoved, changed }
}
