// One run of the action, shared by the action (main.ts) and the CLI (cli.ts):
// settings → host → files (plan → remover) → docker → Actions cache → report data.
// Writes nothing itself. The host is this machine, or one SSH connection that
// carries the file and Docker work; the Actions cache is reached from here.
// Each room's module (the SSH client, the Docker engine client, Octokit) is
// imported when the run needs it: a run loads only what it uses. The bundle
// makes each import() a chunk; those naming the same webpackChunkName share
// one, so a module two of them need (the engine client) ships once.
import type { ActionsCacheResult } from './actions-cache.js'
import type { DockerPruneResult } from './docker/prune.js'
import { clearFiles, type FileWork } from './files.js'
import type { Host } from './host/host.js'
import { LocalHost } from './host/local.js'
import type { Settings } from './inputs.js'
import { planCacheRemoval } from './plan.js'
import type { RemovalProgress } from './remove.js'
import { buildReport, type DockerIssue, type Report } from './report.js'
import { isFileTarget } from './rules.js'

export interface PipelineHooks {
  readonly onProgress?: (progress: RemovalProgress) => void
  /** Live lines of the Actions cache target: listings, rate-limit waits, progress. */
  readonly onActionsCacheLog?: (line: string) => void
  /** Fired on SIGINT/SIGTERM: finish what is in flight, start nothing more, report what was freed. */
  readonly signal?: AbortSignal
}

/** What the host (local or remote) gave back: its files and its Docker build cache. */
interface HostWork {
  readonly host?: string
  /** The jump hosts crossed to reach it, for the log and the summary. */
  readonly route?: readonly string[]
  readonly fileWork: FileWork
  readonly docker?: DockerPruneResult
  readonly dockerIssue?: DockerIssue
  readonly dockerLog: readonly string[]
}

/** Opens the run's host: SSH when `ssh` is set (throws SshError, nothing run there), else this machine. */
async function openHost(settings: Settings): Promise<Host> {
  if (!settings.ssh) return new LocalHost()
  const { user, host, port, jumps, privateKeys, passphrase, agentSocket, knownHosts } = settings.ssh
  const { SshHost } = await import(/* webpackChunkName: "ssh" */ './host/ssh.js')
  return SshHost.connect({ user, host, port, jumps, privateKeys, passphrase, agentSocket, knownHosts })
}

async function clearFilesOn(host: Host, settings: Settings, hooks: PipelineHooks): Promise<FileWork> {
  if (!host.remote) return clearFiles(settings, hooks)
  // Docker alone touches no file on the host; planning here only yields the same warnings a local run gives.
  if (!settings.targets.some(isFileTarget)) return { planWarnings: (await planCacheRemoval(settings)).warnings }
  const { clearFilesOnHost } = await import(/* webpackChunkName: "engine" */ './remote/files.js')
  return clearFilesOnHost(host, settings, hooks)
}

async function pruneDockerOn(
  host: Host,
  settings: Settings,
  signal: AbortSignal | undefined,
  log: (line: string) => void
): Promise<Pick<HostWork, 'docker' | 'dockerIssue'>> {
  if (signal?.aborted) {
    return {
      dockerIssue: {
        level: 'warning',
        message: 'Docker build cache not pruned: the run was cancelled before the prune.'
      }
    }
  }
  const [{ pruneBuildCache, PruneFailedError }, { DockerUnavailableError }] = await Promise.all([
    import(/* webpackChunkName: "engine" */ './docker/prune.js'),
    import(/* webpackChunkName: "engine" */ './docker/engine.js')
  ])
  try {
    return {
      docker: await pruneBuildCache(
        { ...settings.docker, dryRun: settings.dryRun },
        // A docker-group user reads containerd's root from a throwaway container of the image the user named.
        { host, log, helperImage: settings.ssh?.nodeImage }
      )
    }
  } catch (error) {
    // Caught here so the file results are still reported. An engine that is
    // missing only warns when docker came with `all`; one that refused the
    // prune (a filter it does not know), or an SSH connection that dropped,
    // is always an error.
    const reason = error instanceof Error ? error.message : String(error)
    const lost = host.connectionLost
    return {
      dockerIssue:
        error instanceof DockerUnavailableError && !settings.dockerRequired && lost === undefined
          ? { level: 'warning', message: `Docker build cache skipped: ${reason}. The file caches were still cleared.` }
          : error instanceof PruneFailedError
            ? {
                level: 'error',
                message: `Docker build cache prune failed: ${reason}`,
                reclaimedBytes: error.reclaimedBytes,
                reclaimedHow: error.reclaimedHow
              }
            : { level: 'error', message: `Docker build cache not pruned: ${reason}` }
    }
  }
}

async function clearOnHost(settings: Settings, hooks: PipelineHooks): Promise<HostWork> {
  const host = await openHost(settings)
  try {
    const fileWork = await clearFilesOn(host, settings, hooks)
    const dockerLog: string[] = []
    const docker = settings.targets.includes('docker')
      ? await pruneDockerOn(host, settings, hooks.signal, (line) => dockerLog.push(line))
      : {}
    const route = host.route && host.route.length > 0 ? host.route : undefined
    return { host: host.remote ? host.name : undefined, route, fileWork, ...docker, dockerLog }
  } finally {
    await host.close()
  }
}

async function clearActionsCacheOf(
  settings: Settings,
  hooks: PipelineHooks
): Promise<{ actionsCache?: ActionsCacheResult; actionsCacheIssue?: string }> {
  if (!settings.actionsCache) return {}
  if (hooks.signal?.aborted)
    return { actionsCacheIssue: 'Actions cache not cleared: the run was cancelled before it started.' }
  const { clearActionsCache } = await import('./actions-cache.js')
  try {
    return {
      actionsCache: await clearActionsCache(settings.actionsCache, {
        dryRun: settings.dryRun,
        log: hooks.onActionsCacheLog,
        signal: hooks.signal
      })
    }
  } catch (error) {
    // Caught here so the file and docker results are still reported.
    return { actionsCacheIssue: error instanceof Error ? error.message : String(error) }
  }
}

export async function clearAppCaches(settings: Settings, hooks: PipelineHooks = {}): Promise<Report> {
  const { host, route, fileWork, docker, dockerIssue, dockerLog } = await clearOnHost(settings, hooks)
  const { actionsCache, actionsCacheIssue } = await clearActionsCacheOf(settings, hooks)
  return buildReport({
    dryRun: settings.dryRun,
    appRoot: settings.root,
    host,
    route,
    targets: settings.targets,
    planWarnings: [...(settings.inputWarnings ?? []), ...fileWork.planWarnings],
    files: fileWork.files,
    docker,
    dockerIssue,
    dockerLog,
    actionsCache,
    actionsCacheIssue,
    freeBytesBefore: fileWork.freeBytesBefore,
    freeBytesAfter: fileWork.freeBytesAfter,
    cancelled: hooks.signal?.aborted ?? false
  })
}
