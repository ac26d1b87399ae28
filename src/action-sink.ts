// The action's side of the report (src/report.ts's ReportSink), on
// @actions/core: outputs through $GITHUB_OUTPUT, log lines and groups,
// annotations, the job summary through core.summary, and masks. Only the
// action's front door (src/main.ts) imports this, so only the action loads
// @actions/core; the CLI has its own sink (src/cli-sink.ts).
import * as core from '@actions/core'
import type { ReportSink, SummaryBlock } from './report.js'

/** core.summary adds HTML as given: every text that came from the run is escaped first. */
function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/** Adds `blocks` to core.summary's buffer (write() appends it to $GITHUB_STEP_SUMMARY). */
export function addSummaryBlocks(summary: typeof core.summary, blocks: readonly SummaryBlock[]): void {
  for (const block of blocks) {
    if ('heading' in block) summary.addHeading(escapeHtml(block.heading), block.level)
    else if ('paragraph' in block) {
      const strong = block.strong ? `<strong>${escapeHtml(block.strong)}</strong>` : ''
      summary.addRaw(`<p>${strong}${escapeHtml(block.paragraph)}</p>`, true)
    } else if ('header' in block) {
      summary.addTable([
        block.header.map((data) => ({ data: escapeHtml(data), header: true })),
        ...block.rows.map((row) => row.map(escapeHtml))
      ])
    } else if ('fields' in block) {
      summary.addTable(
        block.fields.map(([label, value]) => [{ data: escapeHtml(label), header: true }, escapeHtml(value)])
      )
    } else {
      summary.addList(block.problems.map(({ level, text }) => `${level === 'error' ? '❌' : '⚠️'} ${escapeHtml(text)}`))
    }
  }
}

export function actionSink(): ReportSink {
  return {
    output: (name, value) => core.setOutput(name, value),
    log: (line) => core.info(line),
    group: (title, lines) => {
      core.startGroup(title)
      for (const line of lines) core.info(line)
      core.endGroup()
    },
    annotation: (level, message) => (level === 'error' ? core.error(message) : core.warning(message)),
    summary: async (blocks) => {
      addSummaryBlocks(core.summary, blocks)
      try {
        await core.summary.write()
      } finally {
        // A write that failed keeps its buffer: nothing of it may reach a later write.
        core.summary.emptyBuffer()
      }
    }
  }
}

/** A secret (an SSH key, its passphrase, known hosts) never reaches the log, whole or line by line. */
export function maskSecret(secret: string): void {
  for (const line of new Set([secret, ...secret.split('\n')].map((text) => text.trim())))
    if (line !== '') core.setSecret(line)
}
