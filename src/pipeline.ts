// One run of the action, shared by the action (main.ts) and the CLI (cli.ts):
// settings → plan → remover → docker → report data. Writes nothing itself.
import { promises as fs } from 'node:fs'
import { DockerUnavailableError, pruneBuildCache } from './docker.js'
import type { Settings } from './inputs.js'
import { planCacheRemoval } from './plan.js'
import { removeCaches, type RemovalProgress, type RemovalResult } from './remove.js'
import { buildReport, type DockerIssue, type Report } from './report.js'
import type { DockerPruneResult } from './docker.js'

export interface PipelineHooks {
  readonly onProgress?: (progress: RemovalProgress) => void
}

async function freeBytes(dir: string): Promise<number | undefined> {
  try {
    const stats = await fs.statfs(dir)
    return stats.bavail * stats.bsize
  } catch {
    return undefined
  }
}

export async function clearAppCaches(settings: Settings, hooks: PipelineHooks = {}): Promise<Report> {
  // Planning validates the roots before anything is deleted.
  const plan = await planCacheRemoval(settings)
  const freeBytesBefore = await freeBytes(settings.root)
  let files: RemovalResult | undefined
  if (plan.searches.length > 0 || plan.extraPaths.length > 0) {
    files = await removeCaches(plan, { dryRun: settings.dryRun, onProgress: hooks.onProgress })
  }
  let docker: DockerPruneResult | undefined
  let dockerIssue: DockerIssue | undefined
  const dockerLog: string[] = []
  if (settings.targets.includes('docker')) {
    try {
      docker = await pruneBuildCache(
        { ...settings.docker, dryRun: settings.dryRun },
        { log: (line) => dockerLog.push(line) }
      )
    } catch (error) {
      // Caught here so the file results are still reported. An engine that is
      // missing only warns when docker came with `all`; one that refused the
      // prune (a filter it does not know) is always an error.
      const reason = error instanceof Error ? error.message : String(error)
      dockerIssue =
        error instanceof DockerUnavailableError && !settings.dockerRequired
          ? { level: 'warning', message: `Docker build cache skipped: ${reason}. The file caches were still cleared.` }
          : { level: 'error', message: `Docker build cache not pruned: ${reason}` }
    }
  }
  return buildReport({
    dryRun: settings.dryRun,
    appRoot: settings.root,
    targets: settings.targets,
    planWarnings: plan.warnings,
    files,
    docker,
    dockerIssue,
    dockerLog,
    freeBytesBefore,
    freeBytesAfter: await freeBytes(settings.root)
  })
}
