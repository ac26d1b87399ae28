// Runs the bundled action (action.yml's main) the way the runner does (scripts/runner-env.mjs):
// INPUT_* variables from action.yml's defaults, GITHUB_OUTPUT and
// GITHUB_STEP_SUMMARY files, the workspace as the working directory.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { REPO_ROOT, actionMain, parseOutputFile, runnerEnv } from '../../scripts/runner-env.mjs'
import type { Engine } from './engine.js'

export { REPO_ROOT }
/** What the runner starts: dist/index.cjs, which loads the bundle dist/index.js. */
export const BUNDLE = actionMain()

export interface ActionRun {
  exitCode: number
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
}

/**
 * The environment of a runner whose docker CLI reaches `engine`, for runAction:
 * DOCKER_HOST, that engine's CLI first on PATH (the action's `docker system
 * dial-stdio`), its DOCKER_CONFIG (none for 20.10), no DOCKER_CONTEXT.
 */
export function engineRunEnv(engine: Engine): Record<string, string | undefined> {
  return {
    DOCKER_HOST: engine.host,
    DOCKER_CONTEXT: undefined,
    DOCKER_CONFIG: engine.dockerConfig,
    PATH: engine.env().PATH
  }
}

/**
 * `started` gets the action's process as soon as it runs (a test sends it
 * signals there, as the runner does when a job is cancelled).
 */
export async function runAction(
  workspace: string,
  inputs: Record<string, string> = {},
  env: Record<string, string | undefined> = {},
  started?: (child: ChildProcess) => void
): Promise<ActionRun> {
  const files = mkdtempSync(path.join(tmpdir(), 'cac-run-'))
  const outputFile = path.join(files, 'output')
  const summaryFile = path.join(files, 'summary')
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  const childEnv: Record<string, string | undefined> = {
    ...process.env,
    ...runnerEnv({ workspace, inputs, outputFile, summaryFile, tempDir: files }),
    ...env
  }
  // An explicit undefined removes a variable (e.g. DOCKER_HOST).
  for (const key of Object.keys(childEnv)) if (childEnv[key] === undefined) delete childEnv[key]
  const child = spawn(process.execPath, [BUNDLE], { cwd: workspace, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] })
  started?.(child)
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
