// src/workflow-commands.ts against @actions/core, the library it stands in for
// (kept as a devDependency for this test): the same calls must write the same
// bytes to stdout, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY, and read the same inputs.
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import * as core from '@actions/core'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import * as workflow from '../src/workflow-commands.js'

type Module = typeof workflow

const DELIMITER = /ghadelimiter_[0-9a-f-]{36}/g

let dir: string
let stdout: string
const saved = { ...process.env }
const savedExitCode = process.exitCode

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'cac-workflow-'))
  stdout = ''
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk)
    return true
  })
})

afterEach(() => {
  jest.restoreAllMocks()
  rmSync(dir, { recursive: true, force: true })
  process.env = { ...saved }
  process.exitCode = savedExitCode
})

/** Runs `calls` with one module, then the other, each on fresh files; returns what each wrote. */
async function bothWrite(calls: (module: Module) => void | Promise<void>) {
  const written = []
  for (const [name, module] of [
    ['@actions/core', core as unknown as Module],
    ['workflow-commands', workflow]
  ] as const) {
    const output = path.join(dir, `${name.replace('/', '-')}-output`)
    const summary = path.join(dir, `${name.replace('/', '-')}-summary`)
    writeFileSync(output, '')
    writeFileSync(summary, '')
    process.env.GITHUB_OUTPUT = output
    process.env.GITHUB_STEP_SUMMARY = summary
    stdout = ''
    process.exitCode = undefined
    await calls(module)
    written.push({
      stdout,
      output: readFileSync(output, 'utf8').replace(DELIMITER, 'DELIMITER'),
      summary: readFileSync(summary, 'utf8'),
      exitCode: process.exitCode
    })
  }
  return written
}

describe('workflow-commands writes what @actions/core writes', () => {
  it('log lines, groups, annotations, masks, debug and a failure', async () => {
    const [reference, ours] = await bothWrite((m) => {
      m.info('removed frontend/.next: 12 entries, 4.0 kB')
      m.startGroup('frontend: 2 paths, 100% of it')
      m.info('line with %, \r and \n inside')
      m.endGroup()
      m.warning('The frontend root was not found:\nfrontend caches skipped (50%).')
      m.error('frontend/.next: EACCES\r\nsecond line')
      m.debug('stack\n  at x')
      m.setSecret('-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn%Nz')
      m.setFailed('1 path could not be cleared')
    })
    expect(ours).toEqual(reference)
    expect(ours.exitCode).toBe(1)
  })

  it('outputs: one heredoc per output, under a fresh random delimiter', async () => {
    const values = { 'reclaimed-bytes': '0', 'cleared-paths': '["a\\nb","c"]', multi: 'one\ntwo\n', empty: '' }
    const [reference, ours] = await bothWrite((m) => {
      for (const [name, value] of Object.entries(values)) m.setOutput(name, value)
    })
    expect(ours).toEqual(reference)
    const text = readFileSync(process.env.GITHUB_OUTPUT ?? '', 'utf8')
    const delimiters = text.match(DELIMITER) ?? []
    expect(delimiters).toHaveLength(2 * Object.keys(values).length)
    expect(new Set(delimiters).size).toBe(Object.keys(values).length)
  })

  it('outputs without a GITHUB_OUTPUT file: the old set-output command', async () => {
    const [reference, ours] = await bothWrite((m) => {
      delete process.env.GITHUB_OUTPUT
      m.setOutput('cleared-paths', '["a,b:c%"]\nnext')
    })
    expect(ours).toEqual(reference)
  })

  it('the job summary: headings, raw HTML, tables (header and empty cells), lists', async () => {
    const [reference, ours] = await bothWrite(async (m) => {
      await m.summary
        .addHeading('Clear app caches', 2)
        .addRaw('<p><strong>DRY RUN</strong></p>', true)
        .addRaw('no end of line')
        .addTable([
          [
            { data: 'Path', header: true },
            { data: 'Size', header: true }
          ],
          ['frontend/.next', '4.0 kB'],
          ['', { data: '', header: false }]
        ])
        .addHeading('Warnings and errors', 3)
        .addList(['⚠️ one', '❌ two &amp; three'])
        .write()
      await m.summary.addRaw('a second write appends', true).write()
    })
    expect(ours).toEqual(reference)
    expect(ours.summary).toContain('<h2>Clear app caches</h2>\n')
  })

  it("a summary file that cannot be written fails with @actions/core's messages", async () => {
    // (@actions/core itself keeps the first path it wrote to, so it is not run again here.)
    process.env.GITHUB_STEP_SUMMARY = path.join(dir, 'missing', 'summary')
    await expect(workflow.summary.addRaw('x').write()).rejects.toThrow(
      `Unable to access summary file: '${path.join(dir, 'missing', 'summary')}'. Check if the file has correct read/write permissions.`
    )
    delete process.env.GITHUB_STEP_SUMMARY
    await expect(workflow.summary.write()).rejects.toThrow(
      'Unable to find environment variable for $GITHUB_STEP_SUMMARY. Check if your runtime environment supports job summaries.'
    )
  })

  it('inputs: INPUT_<NAME>, upper-cased, spaces to underscores, trimmed; empty when unset', () => {
    process.env['INPUT_WORKING-DIRECTORY'] = '  /srv/app \n'
    process.env.INPUT_MY_INPUT = 'x'
    delete process.env.INPUT_TARGET
    for (const name of ['working-directory', 'my input', 'target'])
      expect([name, workflow.getInput(name)]).toEqual([name, core.getInput(name)])
  })
})
