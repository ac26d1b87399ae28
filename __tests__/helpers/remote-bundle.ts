// A fresh build of the remote file engine (dist/remote.cjs's source, bundled
// from src/ by scripts/bundle-remote.mjs) for the suites that run it on a host,
// so they test the code as it is, not the committed dist/. The suite points
// src/remote/script.js at it with jest.unstable_mockModule.
import { afterAll, beforeAll } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

export interface RemoteBundle {
  /** Where the bundle is written (before the suite's tests run). */
  readonly file: string
  /** Its text, as readRemoteScript returns it. */
  read(): string
}

/** Bundles the remote engine once for this test file, and removes it when the file ends. */
export function freshRemoteBundle(): RemoteBundle {
  const dir = mkdtempSync(path.join(tmpdir(), 'cac-remote-bundle-'))
  const file = path.join(dir, 'remote.cjs')
  beforeAll(() => {
    execFileSync(process.execPath, ['scripts/bundle-remote.mjs', file], { stdio: 'pipe' })
  }, 120_000)
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  return { file, read: () => readFileSync(file, 'utf8') }
}
