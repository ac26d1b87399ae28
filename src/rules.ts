// What each target clears, as data. plan.ts reads this table; nothing else
// decides what a cache is.

export type FileTarget = 'frontend' | 'backend'
export type Target = FileTarget | 'docker' | 'actions-cache'

/** Every target, in the order a run clears them. */
export const TARGETS: readonly Target[] = ['frontend', 'backend', 'docker', 'actions-cache']
/**
 * What `all` clears. Not `actions-cache`: it deletes repository-wide state
 * that other branches' runs restore from, so it must be named.
 */
export const ALL_TARGETS: readonly Target[] = ['frontend', 'backend', 'docker']
/** What the `target` input accepts: each target, or `all`. */
export const TARGET_CHOICES = ['frontend', 'backend', 'docker', 'all', 'actions-cache'] as const

export interface CacheRule {
  /** Which settings field names this target's root, relative to the app root. */
  readonly rootSetting: 'frontendPath' | 'backendPath'
  /** Paths relative to the target root, removed whole when present. */
  readonly exactPaths: readonly string[]
  /** Directory names removed whole wherever they appear below the root. */
  readonly dirNames: readonly string[]
  /** File name endings removed wherever they appear below the root. */
  readonly fileSuffixes: readonly string[]
}

export const CACHE_RULES: Readonly<Record<FileTarget, CacheRule>> = {
  frontend: {
    rootSetting: 'frontendPath',
    exactPaths: ['.next', '.turbo', 'out', 'node_modules/.cache'],
    dirNames: ['.cache'],
    fileSuffixes: []
  },
  backend: {
    rootSetting: 'backendPath',
    exactPaths: ['staticfiles'],
    dirNames: ['__pycache__', '.pytest_cache', '.mypy_cache'],
    // Not .pyd: those are compiled extension modules, not caches.
    fileSuffixes: ['.pyc', '.pyo']
  }
}

export function isFileTarget(target: Target): target is FileTarget {
  return target in CACHE_RULES
}
