// The report: one data object built from the run's results, and the one
// writer of outputs, job summary, logs and annotations (writeReport). It
// writes through a ReportSink that each front door supplies: the action's
// (src/action-sink.ts, on @actions/core) and the CLI's (src/cli-sink.ts, its
// terminal and --json). Nothing here imports either, so the CLI never loads
// @actions/core.
import type { ActionsCacheEntry, ActionsCacheResult, ActionsCacheUsage } from './actions-cache.js'
import { formatByteRange, formatBytes } from './bytes.js'
import { builderPruneCommand } from './docker/builders.js'
import type { DockerPruneResult } from './docker/prune.js'
import type { PathFailure, RemovalProgress, RemovalResult, RemovedPath } from './remove.js'
import type { Target } from './rules.js'

export interface DockerIssue {
  /** 'warning' when docker came with `all`, 'error' when it was named. */
  readonly level: 'warning' | 'error'
  readonly message: string
  /**
   * Freed all the same by a prune that failed midway (containerd collected, or the graph driver freed, what it had
   * deleted); how: `reclaimedHow`.
   */
  readonly reclaimedBytes?: number
  readonly reclaimedHow?: string
}

export interface Report {
  readonly dryRun: boolean
  /** Stopped by SIGINT/SIGTERM before the end: the figures are what was freed until then. */
  readonly cancelled: boolean
  readonly appRoot: string
  /** The SSH host cleared ("deploy@example.com:22"); undefined for this machine. */
  readonly host?: string
  /** The jump hosts crossed to reach it ("bastion.example.com:22"), in order; undefined for a direct connection. */
  readonly route?: readonly string[]
  readonly targets: readonly Target[]
  readonly removed: readonly RemovedPath[]
  readonly failures: readonly PathFailure[]
  readonly warnings: readonly string[]
  readonly docker?: DockerPruneResult
  readonly dockerIssue?: DockerIssue
  /** What the engine answered, step by step, for the log. */
  readonly dockerLog: readonly string[]
  readonly actionsCache?: ActionsCacheResult
  /** Why the Actions cache could not be listed (nothing was deleted then). */
  readonly actionsCacheIssue?: string
  readonly filesReclaimedBytes: number
  readonly dockerReclaimedBytes: number
  readonly dockerReportedBytes: number
  /** Actions cache storage freed: the size_in_bytes of the entries deleted. */
  readonly actionsCacheReclaimedBytes: number
  readonly reclaimedBytes: number
  readonly clearedPaths: readonly string[]
  /** Free space of the app root's filesystem, before and after; undefined if unknown. */
  readonly freeBytesBefore?: number
  readonly freeBytesAfter?: number
}

export interface ReportParts {
  readonly dryRun: boolean
  readonly appRoot: string
  readonly host?: string
  readonly route?: readonly string[]
  readonly targets: readonly Target[]
  readonly planWarnings?: readonly string[]
  readonly files?: RemovalResult
  readonly docker?: DockerPruneResult
  readonly dockerIssue?: DockerIssue
  readonly dockerLog?: readonly string[]
  readonly actionsCache?: ActionsCacheResult
  readonly actionsCacheIssue?: string
  readonly freeBytesBefore?: number
  readonly freeBytesAfter?: number
  readonly cancelled?: boolean
}

export function buildReport(parts: ReportParts): Report {
  const removed = parts.files?.removed ?? []
  const filesReclaimedBytes = parts.files?.bytes ?? 0
  const dockerReclaimedBytes = parts.docker?.reclaimedBytes ?? parts.dockerIssue?.reclaimedBytes ?? 0
  const actionsCacheReclaimedBytes = parts.actionsCache?.deletedBytes ?? 0
  return {
    dryRun: parts.dryRun,
    cancelled: parts.cancelled ?? false,
    appRoot: parts.appRoot,
    host: parts.host,
    route: parts.route,
    targets: parts.targets,
    removed,
    failures: parts.files?.failures ?? [],
    warnings: [...(parts.planWarnings ?? []), ...(parts.files?.warnings ?? [])],
    docker: parts.docker,
    dockerIssue: parts.dockerIssue,
    dockerLog: parts.dockerLog ?? [],
    actionsCache: parts.actionsCache,
    actionsCacheIssue: parts.actionsCacheIssue,
    filesReclaimedBytes,
    dockerReclaimedBytes,
    dockerReportedBytes: parts.docker?.reportedBytes ?? 0,
    actionsCacheReclaimedBytes,
    reclaimedBytes: filesReclaimedBytes + dockerReclaimedBytes + actionsCacheReclaimedBytes,
    // Sorted: the walk is concurrent, the output should not depend on its timing.
    clearedPaths: removed
      .filter((entry) => entry.complete)
      .map((entry) => entry.path)
      .sort(),
    freeBytesBefore: parts.freeBytesBefore,
    freeBytesAfter: parts.freeBytesAfter
  }
}

/** The report for a run that stopped before anything was touched. */
export function emptyReport(): Report {
  return buildReport({ dryRun: false, appRoot: '', targets: [] })
}

/** What went wrong, as one line for setFailed / the CLI's exit; undefined when all is well. */
export function failureMessage(report: Report): string | undefined {
  const problems: string[] = []
  if (report.cancelled) problems.push(cancelledLine(report))
  if (report.failures.length > 0) {
    const noun = report.failures.length === 1 ? 'path' : 'paths'
    problems.push(
      `${report.failures.length} ${noun} could not be removed: ${report.failures.map((f) => f.path).join(', ')}`
    )
  }
  if (report.dockerIssue?.level === 'error') problems.push(report.dockerIssue.message)
  if (report.actionsCacheIssue) problems.push(report.actionsCacheIssue)
  const cacheFailures = actionsCacheFailureGroups(report)
  if (cacheFailures.length > 0) {
    const count = cacheFailures.reduce((n, group) => n + group.keys.length, 0)
    problems.push(
      `${count} Actions cache ${count === 1 ? 'entry' : 'entries'} could not be deleted: ` +
        cacheFailures.map((group) => `${group.keys.join(', ')} (${group.reason})`).join('; ')
    )
  }
  return problems.length > 0 ? problems.join('; ') : undefined
}

/** One line for a cancelled run: what it freed, and that a later run finishes the job. */
export function cancelledLine(report: Report): string {
  const freed = `${report.dryRun ? 'would have freed' : 'freed'} ${formatBytes(report.reclaimedBytes)}`
  return `Cancelled: stopped before the end, ${freed} until then; a later run clears the rest.`
}

export function outputValues(report: Report): Record<string, string> {
  return {
    'reclaimed-bytes': String(report.reclaimedBytes),
    reclaimed: formatBytes(report.reclaimedBytes),
    'files-reclaimed-bytes': String(report.filesReclaimedBytes),
    'docker-reclaimed-bytes': String(report.dockerReclaimedBytes),
    'docker-reported-bytes': String(report.dockerReportedBytes),
    'actions-cache-deleted': String(report.actionsCache?.deleted.length ?? 0),
    'actions-cache-reclaimed-bytes': String(report.actionsCacheReclaimedBytes),
    'cleared-paths': JSON.stringify(report.clearedPaths)
  }
}

// The summary table shows the largest paths; the rest are folded into one row.
export const SUMMARY_ROWS = 50

export interface TableRow {
  readonly path: string
  readonly owner: string
  readonly entries: string
  readonly bytes: string
}

/** The first SUMMARY_ROWS items as rows; the rest folded into the one row `fold` makes of them. */
export function foldRows<T, R>(sorted: readonly T[], row: (item: T) => R, fold: (rest: readonly T[]) => R): R[] {
  const rows = sorted.slice(0, SUMMARY_ROWS).map(row)
  const rest = sorted.slice(SUMMARY_ROWS)
  if (rest.length > 0) rows.push(fold(rest))
  return rows
}

/** The table of cleared paths, shared by the job summary and the CLI. */
export function clearedTable(report: Report): TableRow[] {
  const byBytes = [...report.removed].sort((a, b) => b.bytes - a.bytes || a.path.localeCompare(b.path))
  return foldRows(
    byBytes,
    (entry) => ({
      path: entry.complete ? entry.path : `${entry.path} (partly)`,
      owner: entry.owner,
      entries: String(entry.entries),
      bytes: formatBytes(entry.bytes)
    }),
    (rest) => ({
      path: `… ${rest.length} more paths`,
      owner: '',
      entries: String(rest.reduce((sum, entry) => sum + entry.entries, 0)),
      bytes: formatBytes(rest.reduce((sum, entry) => sum + entry.bytes, 0))
    })
  )
}

export interface ActionsCacheRow {
  readonly key: string
  readonly ref: string
  readonly size: string
  readonly lastUsed: string
}

/** "2026-01-01T00:05:00.123Z" → "2026-01-01 00:05 UTC". */
function formatTime(iso: string): string {
  const time = Date.parse(iso)
  return Number.isNaN(time) ? iso : `${new Date(time).toISOString().slice(0, 16).replace('T', ' ')} UTC`
}

/** The Actions cache entries deleted (or that a dry run would delete), largest first; shared by summary and CLI. */
export function actionsCacheTable(report: Report): ActionsCacheRow[] {
  const bySize = [...(report.actionsCache?.deleted ?? [])].sort(
    (a, b) => b.sizeInBytes - a.sizeInBytes || a.key.localeCompare(b.key)
  )
  return foldRows(
    bySize,
    (entry: ActionsCacheEntry) => ({
      key: entry.key,
      ref: entry.ref,
      size: formatBytes(entry.sizeInBytes),
      lastUsed: formatTime(entry.lastAccessedAt)
    }),
    (rest) => ({
      key: `… ${rest.length} more entries`,
      ref: '',
      size: formatBytes(rest.reduce((sum, entry) => sum + entry.sizeInBytes, 0)),
      lastUsed: ''
    })
  )
}

export function actionsCacheLines(report: Report): [string, string][] {
  const cache = report.actionsCache
  if (!cache) return []
  const lines: [string, string][] = [
    ['Repository', cache.repository],
    [cache.dryRun ? 'Entries that would be deleted' : 'Entries deleted', String(cache.deleted.length)],
    [
      cache.dryRun ? 'Storage that would be freed' : 'Storage freed',
      `${formatBytes(cache.deletedBytes)} (${cache.deletedBytes} bytes)`
    ],
    ['Entries listed', String(cache.listedCount)]
  ]
  if (cache.alreadyGone.length > 0) lines.push(['Already gone (not counted)', String(cache.alreadyGone.length)])
  if (cache.failures.length > 0) lines.push(['Not deleted', String(cache.failures.length)])
  const { byKey, byId } = cache.deleteRequests
  lines.push([
    cache.dryRun ? 'Delete requests a real run would send' : 'Delete requests',
    `${byKey + byId} (${byKey} by key, ${byId} by id)`
  ])
  lines.push(...actionsCacheUsageLines(cache))
  return lines
}

function usageText(usage: ActionsCacheUsage): string {
  return `${formatBytes(usage.sizeInBytes)} in ${usage.count} ${usage.count === 1 ? 'entry' : 'entries'} (${usage.sizeInBytes} bytes)`
}

/**
 * The repository's cache usage before and after; nothing when the token may
 * not read it. "After" is predicted (before less what went) on a dry run or
 * when it was not read again; GitHub refreshes its figure about every 5
 * minutes, so one read right after the deletes may not show them yet.
 */
function actionsCacheUsageLines(cache: ActionsCacheResult): [string, string][] {
  const before = cache.usageBefore
  if (!before) return []
  const predicted: ActionsCacheUsage = {
    sizeInBytes: Math.max(0, before.sizeInBytes - cache.deletedBytes),
    count: Math.max(0, before.count - cache.deleted.length)
  }
  const after = cache.usageAfter
  if (!after)
    return [
      ['Cache usage before', usageText(before)],
      ['Cache usage after (predicted)', usageText(predicted)]
    ]
  const lagging = after.sizeInBytes !== predicted.sizeInBytes || after.count !== predicted.count
  return [
    ['Cache usage before', usageText(before)],
    [
      'Cache usage after',
      lagging
        ? `${usageText(after)} as GitHub gives it, which it refreshes about every 5 minutes; ` +
          `before less what went: ${usageText(predicted)}`
        : usageText(after)
    ]
  ]
}

/** Failed deletes grouped by reason, keys in order: one line names each key and why. */
export function actionsCacheFailureGroups(report: Report): { reason: string; keys: string[] }[] {
  const groups = new Map<string, string[]>()
  for (const failure of report.actionsCache?.failures ?? []) {
    const keys = groups.get(failure.reason) ?? []
    keys.push(failure.entry.key)
    groups.set(failure.reason, keys)
  }
  return [...groups].map(([reason, keys]) => ({ reason, keys }))
}

/** "deploy@app.internal:22", and the route when there is one: "… via bastion.example.com:22". */
function hostLine(report: Report): string {
  const host = report.host ?? ''
  return report.route?.length ? `${host} via ${report.route.join(', ')}` : host
}

export function totalsLines(report: Report): [string, string][] {
  const lines: [string, string][] = [
    ...(report.host ? [['Host', hostLine(report)] as [string, string]] : []),
    [
      report.dryRun ? 'Would reclaim' : 'Reclaimed',
      `${formatBytes(report.reclaimedBytes)} (${report.reclaimedBytes} bytes)`
    ],
    [
      'Files',
      `${formatBytes(report.filesReclaimedBytes)} in ${report.removed.reduce((n, e) => n + e.entries, 0)} entries`
    ]
  ]
  if (report.targets.includes('docker')) lines.push(['Docker build cache', formatBytes(report.dockerReclaimedBytes)])
  if (report.targets.includes('actions-cache')) {
    lines.push([
      'Actions cache',
      `${formatBytes(report.actionsCacheReclaimedBytes)} in ${report.actionsCache?.deleted.length ?? 0} entries`
    ])
  }
  if (report.freeBytesBefore !== undefined && report.freeBytesAfter !== undefined) {
    lines.push(
      ['Free space before', formatBytes(report.freeBytesBefore)],
      ['Free space after', formatBytes(report.freeBytesAfter)]
    )
  }
  return lines
}

export function dockerLines(report: Report): [string, string][] {
  const docker = report.docker
  const failed = report.dockerIssue
  if (!docker && failed?.reclaimedBytes !== undefined) {
    return [
      ['Prune', 'failed (see the error); what it had deleted was freed all the same'],
      ['Really freed', `${formatBytes(failed.reclaimedBytes)} (${failed.reclaimedBytes} bytes)`],
      ['Measured as', failed.reclaimedHow ?? '']
    ]
  }
  if (!docker) return []
  const store = docker.store === 'containerd' ? `containerd image store, ${docker.storageDriver}` : docker.storageDriver
  const lines: [string, string][] = [
    [docker.dryRun ? 'Records that would be removed' : 'Records removed', String(docker.recordsRemoved)],
    [
      docker.dryRun ? (docker.reclaimedExact ? 'Would really free' : 'Would really free (estimate)') : 'Really freed',
      docker.possible
        ? `${formatByteRange(docker.possible.reclaimedBytes)}: BuildKit picks among equally ranked records at random`
        : `${formatBytes(docker.reclaimedBytes)} (${docker.reclaimedBytes} bytes)`
    ],
    ['Measured as', docker.reclaimedHow],
    [
      docker.dryRun ? 'Docker would claim' : "Docker's own claim",
      `${docker.possible ? formatByteRange(docker.possible.reportedBytes) : formatBytes(docker.reportedBytes)} ` +
        `(SpaceReclaimed: every removed record's size, layers images still use included)`
    ],
    [
      'Build cache left',
      `${formatBytes(docker.cacheBytesAfter)} in ${docker.recordsAfter} records (not shared with images)`
    ],
    ['Engine', `${docker.serverVersion} (API ${docker.apiVersion}, ${store})`]
  ]
  for (const note of docker.notes) lines.push(['Note', note])
  for (const builder of docker.unreachedBuilders) {
    const holds =
      builder.volume === undefined
        ? `container ${builder.container ?? '?'} (no state volume found)`
        : `state volume ${builder.volume}${builder.volumeBytes === undefined ? '' : ` holds ${formatBytes(builder.volumeBytes)}`}`
    lines.push([
      `buildx builder "${builder.builder}"`,
      `cache NOT pruned (its own BuildKit): ${holds}; clear it with \`${builderPruneCommand(builder)}\``
    ])
  }
  return lines
}

/** A block of the summary page, as data: the action's sink renders it as HTML, the CLI's as text. */
export type SummaryBlock =
  /** Level 2 is the page's title, level 3 a section's. */
  | { readonly heading: string; readonly level: 2 | 3 }
  /** A paragraph: `strong` (emphasised) first, then `text`. */
  | { readonly paragraph: string; readonly strong?: string }
  /** Columns under a header row. */
  | { readonly header: readonly string[]; readonly rows: readonly (readonly string[])[] }
  /** Label and value, one pair a row. */
  | { readonly fields: readonly (readonly [string, string])[] }
  /** Warnings and errors, one item each. */
  | { readonly problems: readonly { readonly level: 'warning' | 'error'; readonly text: string }[] }

/**
 * Where the report is written. The text in every call is plain (a sink that
 * writes HTML escapes it). Each front door supplies one; report never
 * decides how a line looks on a runner or a terminal, only what it says.
 */
export interface ReportSink {
  /** One of action.yml's outputs. */
  output(name: string, value: string): void
  /** A line of the run's log. */
  log(line: string): void
  /** A titled block of log lines (a foldable group on the runner). */
  group(title: string, lines: readonly string[]): void
  /** A problem to flag where the run is shown: an annotation on the runner, a `level:` line on a terminal. */
  annotation(level: 'warning' | 'error', message: string): void
  /** The report as a page: the job summary, or the terminal's text. */
  summary(blocks: readonly SummaryBlock[]): Promise<void>
}

/** Writes every output, the log groups, annotations and (optionally) the summary through `sink`. */
export async function writeReport(report: Report, sink: ReportSink, options: { summary: boolean }): Promise<void> {
  for (const [name, value] of Object.entries(outputValues(report))) sink.output(name, value)

  for (const owner of ['frontend', 'backend', 'extra'] as const) {
    const entries = report.removed.filter((entry) => entry.owner === owner)
    if (entries.length === 0) continue
    sink.group(
      `${owner}: ${entries.length} paths, ${formatBytes(entries.reduce((n, e) => n + e.bytes, 0))}`,
      entries.map(
        (entry) =>
          `${report.dryRun ? 'would remove' : 'removed'} ${entry.path}: ${entry.entries} entries, ${formatBytes(entry.bytes)}`
      )
    )
  }
  if (report.docker || report.dockerLog.length > 0) {
    sink.group('docker: build cache', [
      ...report.dockerLog,
      ...dockerLines(report).map(([label, value]) => `${label}: ${value}`)
    ])
  }
  if (report.actionsCache) {
    const cache = report.actionsCache
    sink.group(
      `actions-cache: ${cache.deleted.length} entries, ${formatBytes(cache.deletedBytes)} (${cache.repository})`,
      [
        ...cache.deleted.map(
          (entry) =>
            `${cache.dryRun ? 'would delete' : 'deleted'} ${entry.key} (${entry.ref}): ${formatBytes(entry.sizeInBytes)}, ` +
            `last used ${formatTime(entry.lastAccessedAt)}`
        ),
        ...cache.alreadyGone.map((entry) => `already gone before its delete, not counted: ${entry.key} (${entry.ref})`),
        ...actionsCacheLines(report).map(([label, value]) => `${label}: ${value}`)
      ]
    )
  }
  for (const warning of report.warnings) sink.annotation('warning', warning)
  if (report.dockerIssue?.level === 'warning') sink.annotation('warning', report.dockerIssue.message)
  for (const failure of report.failures) sink.annotation('error', `${failure.path}: ${failure.reason}`)
  for (const [label, value] of totalsLines(report)) sink.log(`${label}: ${value}`)
  if (report.cancelled) sink.log(cancelledLine(report))

  if (options.summary) {
    try {
      await sink.summary(summaryBlocks(report))
    } catch (error) {
      // The caches are already cleared; a summary that cannot be written is not a failed clear.
      sink.annotation(
        'warning',
        `Could not write the job summary: ${error instanceof Error ? error.message : String(error)}`
      )
    }
  }
}

/** The summary page: title, what was cleared, totals, then Docker, the Actions cache, and what went wrong. */
export function summaryBlocks(report: Report): SummaryBlock[] {
  const blocks: SummaryBlock[] = [
    {
      heading: `${report.dryRun ? 'Clear app caches — dry run (nothing deleted)' : 'Clear app caches'}${report.cancelled ? ' — cancelled' : ''}`,
      level: 2
    }
  ]
  if (report.dryRun)
    blocks.push({ strong: 'DRY RUN', paragraph: ': nothing was deleted; the figures are what a real run would free.' })
  if (report.cancelled) blocks.push({ strong: cancelledLine(report), paragraph: '' })
  const rows = clearedTable(report)
  blocks.push(
    rows.length > 0
      ? {
          header: ['Path', 'Target', 'Entries', 'Size'],
          rows: rows.map((row) => [row.path, row.owner, row.entries, row.bytes])
        }
      : { paragraph: 'No file caches found.' }
  )
  blocks.push({ fields: totalsLines(report) })
  const docker = dockerLines(report)
  if (docker.length > 0) blocks.push({ heading: 'Docker build cache', level: 3 }, { fields: docker })
  if (report.actionsCache) {
    blocks.push({ heading: 'GitHub Actions cache', level: 3 })
    const rows = actionsCacheTable(report)
    blocks.push(
      rows.length > 0
        ? {
            header: ['Key', 'Ref', 'Size', 'Last used'],
            rows: rows.map((row) => [row.key, row.ref, row.size, row.lastUsed])
          }
        : { paragraph: 'No Actions cache entry matched.' }
    )
    blocks.push({ fields: actionsCacheLines(report) })
  }
  const problems: { level: 'warning' | 'error'; text: string }[] = [
    ...report.failures.map((failure) => ({ level: 'error' as const, text: `${failure.path}: ${failure.reason}` })),
    ...(report.dockerIssue ? [{ level: report.dockerIssue.level, text: report.dockerIssue.message }] : []),
    ...(report.actionsCacheIssue ? [{ level: 'error' as const, text: report.actionsCacheIssue }] : []),
    ...actionsCacheFailureGroups(report).map((group) => ({
      level: 'error' as const,
      text: `Actions cache not deleted: ${group.keys.join(', ')}: ${group.reason}`
    })),
    ...report.warnings.map((warning) => ({ level: 'warning' as const, text: warning }))
  ]
  if (problems.length > 0) blocks.push({ heading: 'Warnings and errors', level: 3 }, { problems })
  return blocks
}

/** A progress line for long clears (the remover reports at most every 2 s). */
export function progressLine(progress: RemovalProgress): string {
  return `… ${progress.entries} entries, ${formatBytes(progress.bytes)} so far`
}
