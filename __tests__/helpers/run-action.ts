// Runs the bundled dist/index.js the way the runner does: INPUT_* variables
// filled from action.yml defaults (with ${{ github.workspace }} resolved),
// GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, the workspace as cwd.
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
export const BUNDLE = path.join(REPO_ROOT, 'dist', 'index.js')

export interface ActionRun {
  exitCode: number
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
}

/** The inputs action.yml declares, with their defaults. */
export function actionDefaults(): Record<string, string> {
  const yml = readFileSync(path.join(REPO_ROOT, 'action.yml'), 'utf8')
  const inputsBlock = yml.split(/^inputs:\s*$/m)[1].split(/^\S/m)[0]
  const defaults: Record<string, string> = {}
  let current: string | undefined
  for (const line of inputsBlock.split('\n')) {
    const name = /^ {2}([\w-]+):\s*$/.exec(line)
    if (name) current = name[1]
    const def = /^ {4}default:\s*(.*)$/.exec(line)
    if (def && current) defaults[current] = def[1].replace(/^'(.*)'$/, '$1')
  }
  return defaults
}

/** Parses the GITHUB_OUTPUT file format (name<<delimiter ... delimiter). */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^<=]+)<<(.+)$/.exec(lines[i])
    if (heredoc) {
      const body: string[] = []
      for (i++; i < lines.length && lines[i] !== heredoc[2]; i++) body.push(lines[i])
      outputs[heredoc[1]] = body.join('\n')
    } else if (lines[i].includes('=')) {
      const at = lines[i].indexOf('=')
      outputs[lines[i].slice(0, at)] = lines[i].slice(at + 1)
    }
  }
  return outputs
}

export async function runAction(
  workspace: string,
  inputs: Record<string, string> = {},
  env: Record<string, string | undefined> = {}
): Promise<ActionRun> {
  const files = mkdtempSync(path.join(tmpdir(), 'cac-run-'))
  const outputFile = path.join(files, 'output')
  const summaryFile = path.join(files, 'summary')
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  const inputEnv: Record<string, string> = {}
  for (const [name, value] of Object.entries({ ...actionDefaults(), ...inputs })) {
    const resolved = value.replace('${{ github.workspace }}', workspace)
    inputEnv[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = resolved
  }
  const childEnv: Record<string, string | undefined> = {
    ...process.env,
    ...inputEnv,
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_ACTIONS: 'true',
    RUNNER_TEMP: files,
    ...env
  }
  // An explicit undefined removes a variable (e.g. DOCKER_HOST).
  for (const key of Object.keys(childEnv)) if (childEnv[key] === undefined) delete childEnv[key]
  const child = spawn(process.execPath, [BUNDLE], {
    cwd: workspace,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exitCode = await new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)))
  try {
    return {
      exitCode,
      stdout,
      stderr,
      outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
      summary: readFileSync(summaryFile, 'utf8')
    }
  } finally {
    rmSync(files, { recursive: true, force: true })
  }
}
