// The CLI's side of the report (src/report.ts's ReportSink): the summary as
// plain text on stdout and each warning or error as a `level: message` line
// on stderr (cli.ts adds the one-line failure, as the action's setFailed); with --json, the outputs (and the report, which cli.ts adds)
// as one JSON document on stdout and nothing else. The runner's log groups
// have no place on a terminal: the text summary says the same.
import type { ReportSink, SummaryBlock } from './report.js'

export interface CliStreams {
  readonly out: (text: string) => void
  readonly err: (text: string) => void
}

/** Columns padded to their widest cell, two spaces apart. */
function pad(rows: readonly (readonly string[])[]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)))
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]))
        .join('  ')
        .trimEnd()
    )
    .join('\n')
}

/**
 * The summary's blocks as terminal text: no page title (the user typed the
 * command), a section title on the line above its first block, tables with
 * upper-case headers, `Label:` columns; the problems are left to stderr.
 */
export function renderText(blocks: readonly SummaryBlock[]): string {
  const parts: string[] = []
  let section: string | undefined
  for (const block of blocks) {
    let text: string
    if ('heading' in block) {
      if (block.level === 3) section = block.heading
      continue
    } else if ('paragraph' in block) text = `${block.strong ?? ''}${block.paragraph}`
    else if ('header' in block) text = pad([block.header.map((cell) => cell.toUpperCase()), ...block.rows])
    else if ('fields' in block) text = pad(block.fields.map(([label, value]) => [`${label}:`, value]))
    else {
      // Warnings and errors go to stderr, as annotations and the final error line: not twice on one screen.
      section = undefined
      continue
    }
    parts.push(section === undefined ? text : `${section}\n${text}`)
    section = undefined
  }
  return `${parts.join('\n\n')}\n`
}

/** The CLI's sink: text (or, with `json`, nothing until cli.ts prints the JSON from `outputs`). */
export class CliSink implements ReportSink {
  /** The action's outputs, by name, for --json. */
  readonly outputs: Record<string, string> = {}

  constructor(
    private readonly streams: CliStreams,
    private readonly json: boolean
  ) {}

  output(name: string, value: string): void {
    this.outputs[name] = value
  }

  log(): void {}

  group(): void {}

  annotation(level: 'warning' | 'error', message: string): void {
    if (!this.json) this.streams.err(`${level}: ${message}\n`)
  }

  summary(blocks: readonly SummaryBlock[]): Promise<void> {
    if (!this.json) this.streams.out(renderText(blocks))
    return Promise.resolve()
  }
}
