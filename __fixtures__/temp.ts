// Temp directories and test-only file states, shared by the test files.
import { afterEach } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Settings, SshSettings } from '../src/inputs.js'
import type { Target } from '../src/rules.js'
import { makeAppTree, type AppTree } from './app-tree.js'

const cleanups: (() => void)[] = []
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup()
})

/** Runs `cleanup` after the current test, last registered first. */
export function afterThisTest(cleanup: () => void): void {
  cleanups.push(cleanup)
}

/** A fresh temp directory, removed (read-only parts included) after the test. */
export function tempDir(prefix = 'cac-test-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix))
  afterThisTest(() => {
    execFileSync('chmod', ['-R', 'u+w', dir])
    rmSync(dir, { recursive: true, force: true })
  })
  return dir
}

/** The generated app (see app-tree.ts) in a fresh temp directory. */
export function tempAppTree(prefix?: string): AppTree {
  return makeAppTree(tempDir(prefix))
}

/**
 * Makes `file` immutable (chattr +i) until the test ends, so removing it fails
 * with EPERM even for root. False when this machine cannot (not root, or a
 * filesystem without attributes): the caller skips, except under CI=true,
 * where that throws.
 */
export function makeImmutable(file: string): boolean {
  try {
    execFileSync('chattr', ['+i', file], { stdio: 'pipe' })
  } catch (error) {
    if (process.env.CI === 'true') throw error
    console.warn(`SKIPPED: chattr +i is not available: ${(error as Error).message}`)
    return false
  }
  afterThisTest(() => execFileSync('chattr', ['-i', file]))
  return true
}

/**
 * Mounts a fresh tmpfs on `dir` (created) until the test ends. False when
 * this machine cannot (not root): the caller skips, except under CI=true.
 */
export function mountTmpfs(dir: string): boolean {
  mkdirSync(dir, { recursive: true })
  try {
    execFileSync('mount', ['-t', 'tmpfs', 'cac-test', dir], { stdio: 'pipe' })
  } catch (error) {
    if (process.env.CI === 'true') throw error
    console.warn(`SKIPPED: cannot mount tmpfs: ${(error as Error).message}`)
    return false
  }
  afterThisTest(() => execFileSync('umount', ['-l', dir]))
  return true
}

/** Settings as readSettings would make them from action.yml's defaults, for `root`. */
export function testSettings(root: string, targets: Target[], overrides: Partial<Settings> = {}): Settings {
  return {
    targets,
    dockerRequired: false,
    root,
    frontendPath: 'frontend',
    backendPath: 'backend',
    extraPaths: [],
    dryRun: false,
    summary: true,
    docker: { pruneAll: true, filters: [] },
    ...overrides
  }
}

/** SSH settings whose only meaningful part is `nodeImage` (for code that is handed the Host separately). */
export function sshWithImage(nodeImage: string): SshSettings {
  return { user: 'test', host: 'test.invalid', port: 22, privateKeys: [], knownHosts: '', nodeImage }
}
