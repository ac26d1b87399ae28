// One run of the action, shared by the action (main.ts) and the CLI (cli.ts):
// settings → host → files (plan → remover) → docker → report data. Writes nothing itself.
// The host is this machine, or one SSH connection that carries the whole run.
import { DockerUnavailableError } from './docker/engine.js'
import { pruneBuildCache, type DockerPruneResult } from './docker/prune.js'
import { clearFiles, type FileWork } from './files.js'
import type { Host } from './host/host.js'
import { LocalHost } from './host/local.js'
import { SshHost } from './host/ssh.js'
import type { Settings } from './inputs.js'
import { planCacheRemoval } from './plan.js'
import { clearFilesOnHost } from './remote/files.js'
import type { RemovalProgress } from './remove.js'
import { buildReport, type DockerIssue, type Report } from './report.js'
import { isFileTarget } from './rules.js'

export interface PipelineHooks {
  readonly onProgress?: (progress: RemovalProgress) => void
}

/** Opens the run's host: SSH when `ssh` is set (throws SshError, nothing run there), else this machine. */
async function openHost(settings: Settings): Promise<Host> {
  if (!settings.ssh) return new LocalHost()
  const { user, host, port, privateKeys, passphrase, agentSocket, knownHosts } = settings.ssh
  return SshHost.connect({ user, host, port, privateKeys, passphrase, agentSocket, knownHosts })
}

async function clearFilesOn(host: Host, settings: Settings, hooks: PipelineHooks): Promise<FileWork> {
  if (!host.remote) return clearFiles(settings, hooks)
  // Docker alone touches no file on the host; planning here only yields the same warnings a local run gives.
  if (!settings.targets.some(isFileTarget)) return { planWarnings: (await planCacheRemoval(settings)).warnings }
  return clearFilesOnHost(host, settings, hooks)
}

export async function clearAppCaches(settings: Settings, hooks: PipelineHooks = {}): Promise<Report> {
  const host = await openHost(settings)
  try {
    const fileWork = await clearFilesOn(host, settings, hooks)
    let docker: DockerPruneResult | undefined
    let dockerIssue: DockerIssue | undefined
    const dockerLog: string[] = []
    if (settings.targets.includes('docker')) {
      try {
        docker = await pruneBuildCache(
          { ...settings.docker, dryRun: settings.dryRun },
          { host, log: (line) => dockerLog.push(line) }
        )
      } catch (error) {
        // Caught here so the file results are still reported. An engine that is
        // missing only warns when docker came with `all`; one that refused the
        // prune (a filter it does not know), or an SSH connection that dropped,
        // is always an error.
        const reason = error instanceof Error ? error.message : String(error)
        const lost = host instanceof SshHost ? host.connectionLost : undefined
        dockerIssue =
          error instanceof DockerUnavailableError && !settings.dockerRequired && lost === undefined
            ? {
                level: 'warning',
                message: `Docker build cache skipped: ${reason}. The file caches were still cleared.`
              }
            : { level: 'error', message: `Docker build cache not pruned: ${reason}` }
      }
    }
    return buildReport({
      dryRun: settings.dryRun,
      appRoot: settings.root,
      host: host.remote ? host.name : undefined,
      targets: settings.targets,
      planWarnings: fileWork.planWarnings,
      files: fileWork.files,
      docker,
      dockerIssue,
      dockerLog,
      freeBytesBefore: fileWork.freeBytesBefore,
      freeBytesAfter: fileWork.freeBytesAfter
    })
  } finally {
    await host.close()
  }
}
