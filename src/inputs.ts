// Every input is read and validated here, once, into a typed Settings object
// (as actions/checkout's input-helper does). The action passes core.getInput;
// the CLI passes its parsed argv. Nothing else reads inputs.
import path from 'node:path'
import { parseSize } from './bytes.js'
import { ALL_TARGETS, TARGET_CHOICES, type Target } from './rules.js'

export interface DockerSettings {
  readonly pruneAll: boolean
  readonly filters: readonly string[]
  /** Bytes of build cache to keep; undefined keeps none. */
  readonly keepStorageBytes?: number
}

export interface Settings {
  /** Targets to clear, in table order, without duplicates. */
  readonly targets: readonly Target[]
  /** true when `docker` was named explicitly: an unreachable engine is then an error, not a warning. */
  readonly dockerRequired: boolean
  /** Absolute app root; every file path is confined to it. */
  readonly root: string
  /** Relative to root, normalized, '/'-separated. */
  readonly frontendPath: string
  readonly backendPath: string
  /** Relative to root: paths or globs. */
  readonly extraPaths: readonly string[]
  readonly dryRun: boolean
  readonly summary: boolean
  readonly docker: DockerSettings
  /** The image a host without Node.js clears its files in (through its Docker engine). */
  readonly remoteNodeImage: string
}

/** What the file half of a clear reads: all a remote host is sent (no secrets, nothing else). */
export type FileSettings = Pick<Settings, 'targets' | 'root' | 'frontendPath' | 'backendPath' | 'extraPaths' | 'dryRun'>

export function fileSettings(settings: FileSettings): FileSettings {
  const { targets, root, frontendPath, backendPath, extraPaths, dryRun } = settings
  return { targets, root, frontendPath, backendPath, extraPaths, dryRun }
}

/** Bad input: the message names the input and what it accepts. */
export class InputError extends Error {
  override name = 'InputError'
}

/** Reads one input by its action.yml name; '' when unset. */
export type InputReader = (name: string) => string

const BOOLEAN_TRUE = ['true', 'True', 'TRUE']
const BOOLEAN_FALSE = ['false', 'False', 'FALSE']

export function parseTargets(raw: string): { targets: Target[]; dockerRequired: boolean } {
  const words = raw.split(/[\s,]+/).filter((word) => word !== '')
  if (words.length === 0) words.push('all')
  const chosen = new Set<Target>()
  for (const word of words) {
    const choice = word.toLowerCase()
    if (!(TARGET_CHOICES as readonly string[]).includes(choice)) {
      throw new InputError(
        `Input 'target' has an unknown value '${word}'. Valid values: ${TARGET_CHOICES.join(', ')}, ` +
          `or a comma- or space-separated combination such as 'frontend,docker'.`
      )
    }
    for (const target of choice === 'all' ? ALL_TARGETS : [choice as Target]) chosen.add(target)
  }
  return {
    targets: ALL_TARGETS.filter((target) => chosen.has(target)),
    dockerRequired: words.some((word) => word.toLowerCase() === 'docker')
  }
}

export function parseBoolean(name: string, raw: string, fallback: boolean): boolean {
  const value = raw.trim()
  if (value === '') return fallback
  if (BOOLEAN_TRUE.includes(value)) return true
  if (BOOLEAN_FALSE.includes(value)) return false
  throw new InputError(`Input '${name}' must be a boolean: true or false (got '${raw}').`)
}

/** Splits a list input: one item per line or comma-separated; blanks dropped. */
export function parseList(raw: string): string[] {
  return raw
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter((item) => item !== '')
}

/**
 * A path relative to the root, normalized, or an InputError when it leads
 * outside the root. Lexical, like the shell would read it: '..' climbs.
 * An absolute path is accepted only when it lies under the root.
 */
export function confinePath(name: string, root: string, raw: string, allowRoot: boolean): string {
  const trimmed = raw.trim()
  const absolute = path.resolve(root, trimmed === '' ? '.' : trimmed)
  const relative = path.relative(root, absolute)
  if (relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) {
    throw new InputError(`Input '${name}' must stay under working-directory '${root}': '${raw}' leads outside it.`)
  }
  if (relative === '' && !allowRoot) {
    throw new InputError(
      `Input '${name}' must name something under working-directory '${root}', not the directory itself: '${raw}'.`
    )
  }
  return relative === '' ? '.' : relative.split(path.sep).join('/')
}

export function parseDockerFilters(raw: string): string[] {
  const filters = raw
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
  for (const filter of filters) {
    if (!/^[\w.-]+=.+$/.test(filter)) {
      throw new InputError(
        `Input 'docker-filter' has '${filter}': each line must be key=value, e.g. until=24h or type=exec.cachemount.`
      )
    }
  }
  return filters
}

export function parseKeepStorage(raw: string): number | undefined {
  if (raw.trim() === '') return undefined
  const bytes = parseSize(raw)
  if (bytes === undefined) {
    throw new InputError(
      `Input 'docker-keep-storage' must be a size such as 512MB or 5GB (binary units, as docker reads them), got '${raw}'.`
    )
  }
  return bytes
}

export const DEFAULT_REMOTE_NODE_IMAGE = 'node:22-slim'

// Loose on purpose: the engine checks the full grammar; this keeps out blanks,
// quotes and option-like values, and names the input early.
const IMAGE_REFERENCE = /^\w[\w.\-/:@]*$/

export function parseImageReference(name: string, raw: string): string {
  const value = raw.trim()
  if (value === '') return DEFAULT_REMOTE_NODE_IMAGE
  if (!IMAGE_REFERENCE.test(value)) {
    throw new InputError(
      `Input '${name}' must be an image reference such as ${DEFAULT_REMOTE_NODE_IMAGE} or registry.example.com/team/node:22 (got '${raw}').`
    )
  }
  return value
}

/**
 * All inputs → Settings. Throws InputError before anything is touched.
 * `cwd` and `workspace` resolve a relative or empty working-directory.
 */
export function readSettings(read: InputReader, cwd: string, workspace = cwd): Settings {
  const { targets, dockerRequired } = parseTargets(read('target'))
  const workingDirectory = read('working-directory').trim()
  const root = path.resolve(cwd, workingDirectory === '' ? workspace : workingDirectory)
  const frontendRaw = read('frontend-path').trim()
  const backendRaw = read('backend-path').trim()
  return {
    targets,
    dockerRequired,
    root,
    frontendPath: confinePath('frontend-path', root, frontendRaw === '' ? 'frontend' : frontendRaw, true),
    backendPath: confinePath('backend-path', root, backendRaw === '' ? 'backend' : backendRaw, true),
    extraPaths: parseList(read('extra-paths')).map((item) => confinePath('extra-paths', root, item, false)),
    dryRun: parseBoolean('dry-run', read('dry-run'), false),
    summary: parseBoolean('summary', read('summary'), true),
    docker: {
      pruneAll: parseBoolean('docker-prune-all', read('docker-prune-all'), true),
      filters: parseDockerFilters(read('docker-filter')),
      keepStorageBytes: parseKeepStorage(read('docker-keep-storage'))
    },
    remoteNodeImage: parseImageReference('remote-node-image', read('remote-node-image'))
  }
}
