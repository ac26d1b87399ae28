// The remote file engine's bundle, dist/remote.cjs (scripts/bundle-remote.mjs),
// sits beside the bundle that imports this (dist/index.js, and the chunks beside it).
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export async function readRemoteScript(): Promise<string> {
  const file = path.join(path.dirname(fileURLToPath(import.meta.url)), 'remote.cjs')
  try {
    return await readFile(file, 'utf8')
  } catch (error) {
    throw new Error(
      `the remote file engine ${file} cannot be read (npm run bundle makes it): ${(error as Error).message}`
    )
  }
}
