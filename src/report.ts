// The report: one data object built from the run's results, and the only
// writers of outputs, job summary, logs and annotations. The CLI renders the
// same object as text or JSON.
import * as core from '@actions/core'
import { formatBytes } from './bytes.js'
import type { DockerPruneResult } from './docker/prune.js'
import type { PathFailure, RemovalProgress, RemovalResult, RemovedPath } from './remove.js'
import type { Target } from './rules.js'

export interface DockerIssue {
  /** 'warning' when docker came with `all`, 'error' when it was named. */
  readonly level: 'warning' | 'error'
  readonly message: string
}

export interface Report {
  readonly dryRun: boolean
  readonly appRoot: string
  /** The SSH host cleared ("deploy@example.com:22"); undefined for this machine. */
  readonly host?: string
  readonly targets: readonly Target[]
  readonly removed: readonly RemovedPath[]
  readonly failures: readonly PathFailure[]
  readonly warnings: readonly string[]
  readonly docker?: DockerPruneResult
  readonly dockerIssue?: DockerIssue
  /** What the engine answered, step by step, for the log. */
  readonly dockerLog: readonly string[]
  readonly filesReclaimedBytes: number
  readonly dockerReclaimedBytes: number
  readonly dockerReportedBytes: number
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
  readonly targets: readonly Target[]
  readonly planWarnings?: readonly string[]
  readonly files?: RemovalResult
  readonly docker?: DockerPruneResult
  readonly dockerIssue?: DockerIssue
  readonly dockerLog?: readonly string[]
  readonly freeBytesBefore?: number
  readonly freeBytesAfter?: number
}

export function buildReport(parts: ReportParts): Report {
  const removed = parts.files?.removed ?? []
  const filesReclaimedBytes = parts.files?.bytes ?? 0
  const dockerReclaimedBytes = parts.docker?.reclaimedBytes ?? 0
  return {
    dryRun: parts.dryRun,
    appRoot: parts.appRoot,
    host: parts.host,
    targets: parts.targets,
    removed,
    failures: parts.files?.failures ?? [],
    warnings: [...(parts.planWarnings ?? []), ...(parts.files?.warnings ?? [])],
    docker: parts.docker,
    dockerIssue: parts.dockerIssue,
    dockerLog: parts.dockerLog ?? [],
    filesReclaimedBytes,
    dockerReclaimedBytes,
    dockerReportedBytes: parts.docker?.reportedBytes ?? 0,
    reclaimedBytes: filesReclaimedBytes + dockerReclaimedBytes,
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
  if (report.failures.length > 0) {
    const noun = report.failures.length === 1 ? 'path' : 'paths'
    problems.push(
      `${report.failures.length} ${noun} could not be removed: ${report.failures.map((f) => f.path).join(', ')}`
    )
  }
  if (report.dockerIssue?.level === 'error') problems.push(report.dockerIssue.message)
  return problems.length > 0 ? problems.join('; ') : undefined
}

export function outputValues(report: Report): Record<string, string> {
  return {
    'reclaimed-bytes': String(report.reclaimedBytes),
    reclaimed: formatBytes(report.reclaimedBytes),
    'files-reclaimed-bytes': String(report.filesReclaimedBytes),
    'docker-reclaimed-bytes': String(report.dockerReclaimedBytes),
    'docker-reported-bytes': String(report.dockerReportedBytes),
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

/** The table of cleared paths, shared by the job summary and the CLI. */
export function clearedTable(report: Report): TableRow[] {
  const byBytes = [...report.removed].sort((a, b) => b.bytes - a.bytes || a.path.localeCompare(b.path))
  const rows: TableRow[] = byBytes.slice(0, SUMMARY_ROWS).map((entry) => ({
    path: entry.complete ? entry.path : `${entry.path} (partly)`,
    owner: entry.owner,
    entries: String(entry.entries),
    bytes: formatBytes(entry.bytes)
  }))
  const rest = byBytes.slice(SUMMARY_ROWS)
  if (rest.length > 0) {
    rows.push({
      path: `… ${rest.length} more paths`,
      owner: '',
      entries: String(rest.reduce((sum, entry) => sum + entry.entries, 0)),
      bytes: formatBytes(rest.reduce((sum, entry) => sum + entry.bytes, 0))
    })
  }
  return rows
}

export function totalsLines(report: Report): [string, string][] {
  const lines: [string, string][] = [
    ...(report.host ? [['Host', report.host] as [string, string]] : []),
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
  if (!docker) return []
  return [
    [docker.dryRun ? 'Records that would be removed' : 'Records removed', String(docker.recordsRemoved)],
    [
      'Really freed (cache not shared with images)',
      `${formatBytes(docker.reclaimedBytes)} (${docker.reclaimedBytes} bytes)`
    ],
    ["Docker's own claim", `${formatBytes(docker.reportedBytes)} (counts layers images still use)`],
    ['Build cache left', `${formatBytes(docker.cacheBytesAfter)} in ${docker.recordsAfter} records`],
    ['Engine', `${docker.serverVersion} (API ${docker.apiVersion})`]
  ]
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/** Writes every output, the log groups, annotations and (optionally) the job summary. */
export async function writeActionReport(report: Report, options: { summary: boolean }): Promise<void> {
  for (const [name, value] of Object.entries(outputValues(report))) core.setOutput(name, value)

  for (const owner of ['frontend', 'backend', 'extra'] as const) {
    const entries = report.removed.filter((entry) => entry.owner === owner)
    if (entries.length === 0) continue
    core.startGroup(`${owner}: ${entries.length} paths, ${formatBytes(entries.reduce((n, e) => n + e.bytes, 0))}`)
    for (const entry of entries)
      core.info(
        `${report.dryRun ? 'would remove' : 'removed'} ${entry.path}: ${entry.entries} entries, ${formatBytes(entry.bytes)}`
      )
    core.endGroup()
  }
  if (report.docker || report.dockerLog.length > 0) {
    core.startGroup('docker: build cache')
    for (const line of report.dockerLog) core.info(line)
    for (const [label, value] of dockerLines(report)) core.info(`${label}: ${value}`)
    core.endGroup()
  }
  for (const warning of report.warnings) core.warning(warning)
  if (report.dockerIssue?.level === 'warning') core.warning(report.dockerIssue.message)
  for (const failure of report.failures) core.error(`${failure.path}: ${failure.reason}`)
  for (const [label, value] of totalsLines(report)) core.info(`${label}: ${value}`)

  if (options.summary) {
    try {
      await writeSummary(report)
    } catch (error) {
      // The caches are already cleared; a summary that cannot be written is not a failed clear.
      core.warning(`Could not write the job summary: ${error instanceof Error ? error.message : String(error)}`)
    }
  }
}

async function writeSummary(report: Report): Promise<void> {
  const summary = core.summary.addHeading(
    report.dryRun ? 'Clear app caches — dry run (nothing deleted)' : 'Clear app caches',
    2
  )
  if (report.dryRun)
    summary.addRaw('<p><strong>DRY RUN</strong>: the figures are what a real run would free.</p>', true)
  const rows = clearedTable(report)
  if (rows.length > 0) {
    summary.addTable([
      [
        { data: 'Path', header: true },
        { data: 'Target', header: true },
        { data: 'Entries', header: true },
        { data: 'Size', header: true }
      ],
      ...rows.map((row) => [escapeHtml(row.path), row.owner, row.entries, row.bytes])
    ])
  } else {
    summary.addRaw('<p>No file caches found.</p>', true)
  }
  summary.addTable(totalsLines(report).map(([label, value]) => [{ data: label, header: true }, value]))
  if (report.docker) {
    summary.addHeading('Docker build cache', 3)
    summary.addTable(dockerLines(report).map(([label, value]) => [{ data: label, header: true }, value]))
  }
  const notes = [
    ...report.failures.map((failure) => `❌ ${escapeHtml(failure.path)}: ${escapeHtml(failure.reason)}`),
    ...(report.dockerIssue
      ? [`${report.dockerIssue.level === 'error' ? '❌' : '⚠️'} ${escapeHtml(report.dockerIssue.message)}`]
      : []),
    ...report.warnings.map((warning) => `⚠️ ${escapeHtml(warning)}`)
  ]
  if (notes.length > 0) {
    summary.addHeading('Warnings and errors', 3)
    summary.addList(notes)
  }
  await summary.write()
}

/** A progress callback for long clears: one log line per call (the remover calls it at most every 2 s). */
export function logProgress(progress: RemovalProgress): void {
  core.info(`… ${progress.entries} entries, ${formatBytes(progress.bytes)} so far`)
}
