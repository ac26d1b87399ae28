// The CLI's sink (src/cli-sink.ts): the summary's blocks as terminal text,
// problems on stderr, and with --json nothing but the outputs it collects.
import { describe, expect, it } from '@jest/globals'
import { CliSink, renderText } from '../src/cli-sink.js'
import { buildReport, summaryBlocks, writeReport } from '../src/report.js'

function streams(): { out: string[]; err: string[]; io: { out: (t: string) => void; err: (t: string) => void } } {
  const out: string[] = []
  const err: string[] = []
  return { out, err, io: { out: (text) => out.push(text), err: (text) => err.push(text) } }
}

describe('renderText', () => {
  it('drops the page title, puts a section title above its block, upper-cases headers, aligns labels', () => {
    expect(
      renderText([
        { heading: 'Clear app caches', level: 2 },
        { strong: 'DRY RUN', paragraph: ': nothing was deleted.' },
        { header: ['Path', 'Size'], rows: [['frontend/.next', '4.0 kB']] },
        {
          fields: [
            ['Reclaimed', '4.0 kB'],
            ['Files', '4.0 kB in 3 entries']
          ]
        },
        { heading: 'GitHub Actions cache', level: 3 },
        { paragraph: 'No Actions cache entry matched.' },
        { heading: 'Warnings and errors', level: 3 },
        { problems: [{ level: 'warning', text: 'left to stderr' }] }
      ])
    ).toBe(
      [
        'DRY RUN: nothing was deleted.',
        '',
        'PATH            SIZE',
        'frontend/.next  4.0 kB',
        '',
        'Reclaimed:  4.0 kB',
        'Files:      4.0 kB in 3 entries',
        '',
        'GitHub Actions cache',
        'No Actions cache entry matched.',
        ''
      ].join('\n')
    )
  })
})

describe('CliSink', () => {
  const report = buildReport({
    dryRun: false,
    appRoot: '/app',
    targets: ['frontend'],
    planWarnings: ['The frontend root was not found'],
    files: {
      dryRun: false,
      removed: [],
      failures: [{ path: 'frontend/.next', reason: 'EPERM' }],
      warnings: [],
      entries: 0,
      bytes: 0,
      peakInFlight: 0
    }
  })

  it('text: the summary on stdout, each warning and error on stderr, no log groups', async () => {
    const { out, err, io } = streams()
    const sink = new CliSink(io, false)
    await writeReport(report, sink, { summary: true })
    expect(out.join('')).toBe(renderText(summaryBlocks(report)))
    expect(out.join('')).not.toContain('Warnings and errors')
    expect(err).toEqual(['warning: The frontend root was not found\n', 'error: frontend/.next: EPERM\n'])
    expect(sink.outputs['reclaimed-bytes']).toBe('0')
  })

  it('--json: nothing written; the outputs collected for the JSON document', async () => {
    const { out, err, io } = streams()
    const sink = new CliSink(io, true)
    await writeReport(report, sink, { summary: true })
    expect([out, err]).toEqual([[], []])
    expect(Object.keys(sink.outputs)).toContain('cleared-paths')
  })
})
