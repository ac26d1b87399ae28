// How the Actions runner starts a JavaScript action, for the tests, the bench
// and the screenshot script alike: INPUT_* variables filled from action.yml's
// defaults, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, the workspace.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** The file the runner starts: action.yml's runs.main, absolute. */
export function actionMain() {
  const yml = readFileSync(path.join(REPO_ROOT, 'action.yml'), 'utf8')
  return path.join(REPO_ROOT, /^ {2}main:\s*(\S+)\s*$/m.exec(yml)[1])
}

/** The Node major version action.yml runs on (`using: node24` → 24). */
export function actionNodeMajor() {
  const yml = readFileSync(path.join(REPO_ROOT, 'action.yml'), 'utf8')
  return Number(/^ {2}using:\s*'?node(\d+)'?\s*$/m.exec(yml)[1])
}

/** The inputs action.yml declares, with their defaults (quotes removed). */
export function actionDefaults() {
  const yml = readFileSync(path.join(REPO_ROOT, 'action.yml'), 'utf8')
  const inputsBlock = yml.split(/^inputs:\s*$/m)[1].split(/^\S/m)[0]
  const defaults = {}
  let current
  for (const line of inputsBlock.split('\n')) {
    const name = /^ {2}([\w-]+):\s*$/.exec(line)
    if (name) current = name[1]
    const value = /^ {4}default:\s*(.*)$/.exec(line)
    if (value && current) defaults[current] = value[1].replace(/^'(.*)'$/, '$1')
  }
  return defaults
}

/**
 * The environment the runner gives the action: `INPUT_<NAME>` (upper-cased,
 * spaces to underscores; hyphens stay) for every input, defaults first, with
 * `${{ github.workspace }}` resolved; and the GITHUB_* files and workspace.
 */
export function runnerEnv({ workspace, inputs = {}, outputFile, summaryFile, tempDir }) {
  const env = {}
  for (const [name, value] of Object.entries({ ...actionDefaults(), ...inputs })) {
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value.replace('${{ github.workspace }}', workspace)
  }
  return {
    ...env,
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    RUNNER_TEMP: tempDir
  }
}

/** Parses a GITHUB_OUTPUT file (name<<delimiter ... delimiter, or name=value). */
export function parseOutputFile(text) {
  const outputs = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^<=]+)<<(.+)$/.exec(lines[i])
    if (heredoc) {
      const body = []
      for (i++; i < lines.length && lines[i] !== heredoc[2]; i++) body.push(lines[i])
      outputs[heredoc[1]] = body.join('\n')
    } else if (lines[i].includes('=')) {
      const at = lines[i].indexOf('=')
      outputs[lines[i].slice(0, at)] = lines[i].slice(at + 1)
    }
  }
  return outputs
}
