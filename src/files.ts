// The file half of a clear, wherever it runs: plan → remove, with the free
// space of the app root's filesystem around it. The pipeline calls it for the
// machine the job runs on; a remote host runs the same function and sends the
// FileWork back as data, so the report cannot tell where it ran.
import { promises as fs } from 'node:fs'
import type { FileSettings } from './inputs.js'
import { planCacheRemoval } from './plan.js'
import { removeCaches, type RemovalProgress, type RemovalResult } from './remove.js'

export interface FileWork {
  readonly planWarnings: readonly string[]
  /** undefined when no file target (or extra path) was planned. */
  readonly files?: RemovalResult
  readonly freeBytesBefore?: number
  readonly freeBytesAfter?: number
}

export interface FileHooks {
  readonly onProgress?: (progress: RemovalProgress) => void
  /** Cancels the clear: deletes in flight finish, no new one starts (RemovalOptions.signal). */
  readonly signal?: AbortSignal
}

async function freeBytes(dir: string): Promise<number | undefined> {
  try {
    const stats = await fs.statfs(dir)
    return stats.bavail * stats.bsize
  } catch {
    return undefined
  }
}

/** Plans and removes the file caches of `settings`. Throws PlanError (nothing touched) when the root is missing. */
export async function clearFiles(settings: FileSettings, hooks: FileHooks = {}): Promise<FileWork> {
  // Planning validates the roots before anything is deleted.
  const plan = await planCacheRemoval(settings)
  const freeBytesBefore = await freeBytes(settings.root)
  let files: RemovalResult | undefined
  if (plan.searches.length > 0 || plan.extraPaths.length > 0) {
    files = await removeCaches(plan, { dryRun: settings.dryRun, onProgress: hooks.onProgress, signal: hooks.signal })
  }
  return { planWarnings: plan.warnings, files, freeBytesBefore, freeBytesAfter: await freeBytes(settings.root) }
}
