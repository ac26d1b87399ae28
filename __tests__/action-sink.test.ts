// The action's sink (src/action-sink.ts) writes through @actions/core what
// the runner reads: outputs as heredocs in $GITHUB_OUTPUT under a fresh
// random delimiter, groups, annotations, masks, and the job summary as HTML in
// $GITHUB_STEP_SUMMARY with every text from the run escaped.
import { afterAll, afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parseOutputFile } from '../scripts/runner-env.mjs'
import { actionSink, maskSecret } from '../src/action-sink.js'
import { buildReport, summaryBlocks, writeReport } from '../src/report.js'

const DELIMITER = /ghadelimiter_[0-9a-f-]{36}/g

let dir: string
let stdout: string
const saved = { ...process.env }
// @actions/core keeps the summary path it first wrote to (one process, one step): one for the whole file.
const summaryDir = mkdtempSync(path.join(tmpdir(), 'cac-sink-summary-'))
const SUMMARY = path.join(summaryDir, 'summary')
afterAll(() => rmSync(summaryDir, { recursive: true, force: true }))

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'cac-sink-'))
  stdout = ''
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk)
    return true
  })
  process.env.GITHUB_OUTPUT = path.join(dir, 'output')
  writeFileSync(process.env.GITHUB_OUTPUT, '')
  process.env.GITHUB_STEP_SUMMARY = SUMMARY
  mkdirSync(summaryDir, { recursive: true })
  writeFileSync(SUMMARY, '')
})

afterEach(() => {
  jest.restoreAllMocks()
  rmSync(dir, { recursive: true, force: true })
  process.env = { ...saved }
})

const read = (name: 'output' | 'summary'): string =>
  readFileSync(name === 'summary' ? SUMMARY : path.join(dir, name), 'utf8')

describe('the action sink', () => {
  it('outputs: one heredoc each, multi-line and empty values intact, a fresh delimiter per output', () => {
    const sink = actionSink()
    const values = { 'reclaimed-bytes': '0', 'cleared-paths': '["a\\nb","c"]', multi: 'one\ntwo', empty: '' }
    for (const [name, value] of Object.entries(values)) sink.output(name, value)
    const text = read('output')
    expect(parseOutputFile(text)).toEqual(values)
    const delimiters = text.match(DELIMITER) ?? []
    expect(delimiters).toHaveLength(2 * Object.keys(values).length)
    expect(new Set(delimiters).size).toBe(Object.keys(values).length)
    expect(stdout).toBe('')
  })

  it('groups, log lines and annotations as workflow commands, newlines and % escaped', () => {
    const sink = actionSink()
    sink.group('frontend: 2 paths, 100% of it', ['removed frontend/.next: 12 entries, 4.0 kB', 'second'])
    sink.log('Reclaimed: 4.0 kB (4096 bytes)')
    sink.annotation('warning', 'The frontend root was not found:\nfrontend caches skipped (50%).')
    sink.annotation('error', 'frontend/.next: EACCES\r\nsecond line')
    expect(stdout.split('\n')).toEqual([
      '::group::frontend: 2 paths, 100%25 of it',
      'removed frontend/.next: 12 entries, 4.0 kB',
      'second',
      '::endgroup::',
      'Reclaimed: 4.0 kB (4096 bytes)',
      '::warning::The frontend root was not found:%0Afrontend caches skipped (50%25).',
      '::error::frontend/.next: EACCES%0D%0Asecond line',
      ''
    ])
  })

  it('masks a multi-line secret whole and line by line', () => {
    maskSecret('-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn%Nz\n-----END OPENSSH PRIVATE KEY-----\n')
    const masks = stdout.split('\n').filter((line) => line.startsWith('::add-mask::'))
    expect(masks).toEqual([
      '::add-mask::-----BEGIN OPENSSH PRIVATE KEY-----%0Ab3Blbn%25Nz%0A-----END OPENSSH PRIVATE KEY-----',
      '::add-mask::-----BEGIN OPENSSH PRIVATE KEY-----',
      '::add-mask::b3Blbn%25Nz',
      '::add-mask::-----END OPENSSH PRIVATE KEY-----'
    ])
  })

  it('the summary: headings, paragraphs, tables and the problems list, as core.summary writes them, text escaped', async () => {
    const sink = actionSink()
    await sink.summary([
      { heading: 'Clear app caches', level: 2 },
      { strong: 'DRY RUN', paragraph: ': a <b> & c' },
      { header: ['Path', 'Size'], rows: [['frontend/<x>', '4.0 kB']] },
      { fields: [['Reclaimed', '4.0 kB (4096 bytes)']] },
      {
        problems: [
          { level: 'error', text: 'a: EPERM' },
          { level: 'warning', text: '<w>' }
        ]
      }
    ])
    expect(read('summary')).toBe(
      '<h2>Clear app caches</h2>\n' +
        '<p><strong>DRY RUN</strong>: a &lt;b&gt; &amp; c</p>\n' +
        '<table><tr><th>Path</th><th>Size</th></tr><tr><td>frontend/&lt;x&gt;</td><td>4.0 kB</td></tr></table>\n' +
        '<table><tr><th>Reclaimed</th><td>4.0 kB (4096 bytes)</td></tr></table>\n' +
        '<ul><li>❌ a: EPERM</li><li>⚠️ &lt;w&gt;</li></ul>\n'
    )
  })

  it('a summary that cannot be written is a warning, and its text is not carried into a later write', async () => {
    const report = buildReport({ dryRun: false, appRoot: '/app', targets: ['frontend'] })
    rmSync(summaryDir, { recursive: true })
    const sink = actionSink()
    await writeReport(report, sink, { summary: true })
    expect(stdout).toMatch(/^::warning::Could not write the job summary: .*ENOENT/m)
    expect(parseOutputFile(read('output'))['reclaimed-bytes']).toBe('0')
    mkdirSync(summaryDir)
    writeFileSync(SUMMARY, '')
    await sink.summary([{ paragraph: 'later' }])
    expect(read('summary')).toBe('<p>later</p>\n')
  })

  it('writeReport: every output, and the summary blocks of the report', async () => {
    const report = buildReport({ dryRun: true, appRoot: '/app', targets: ['frontend'] })
    await writeReport(report, actionSink(), { summary: true })
    expect(Object.keys(parseOutputFile(read('output')))).toEqual([
      'reclaimed-bytes',
      'reclaimed',
      'files-reclaimed-bytes',
      'docker-reclaimed-bytes',
      'docker-reported-bytes',
      'actions-cache-deleted',
      'actions-cache-reclaimed-bytes',
      'cleared-paths'
    ])
    expect(summaryBlocks(report)[0]).toEqual({ heading: 'Clear app caches — dry run (nothing deleted)', level: 2 })
    expect(read('summary')).toContain('<h2>Clear app caches — dry run (nothing deleted)</h2>\n')
    expect(read('summary')).toContain('<p>No file caches found.</p>')
  })
})
