// One run of the action, shared by the action (main.ts) and the CLI (cli.ts):
// settings → files (plan → remover) → docker → report data. Writes nothing itself.
import { DockerUnavailableError } from './docker/engine.js'
import { pruneBuildCache, type DockerPruneResult } from './docker/prune.js'
import { clearFiles } from './files.js'
import type { Settings } from './inputs.js'
import type { RemovalProgress } from './remove.js'
import { buildReport, type DockerIssue, type Report } from './report.js'

export interface PipelineHooks {
  readonly onProgress?: (progress: RemovalProgress) => void
}

export async function clearAppCaches(settings: Settings, hooks: PipelineHooks = {}): Promise<Report> {
  const fileWork = await clearFiles(settings, hooks)
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
    planWarnings: fileWork.planWarnings,
    files: fileWork.files,
    docker,
    dockerIssue,
    dockerLog,
    freeBytesBefore: fileWork.freeBytesBefore,
    freeBytesAfter: fileWork.freeBytesAfter
  })
}
