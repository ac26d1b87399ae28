// A private, quiet filesystem for tests that compare reported bytes with the
// filesystem's own free-space change: nothing else writes there. Needs root
// (mount); under CI=true a missing capability fails instead of skipping.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, statfsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

export interface ScratchFs {
  readonly dir: string
  /** Free bytes as statfs reports them, after flushing pending frees. */
  free(): number
  unmount(): void
}

export type ScratchKind = 'ext4' | 'tmpfs'

export function mountScratch(kind: ScratchKind, sizeMb = 256): ScratchFs | undefined {
  const base = mkdtempSync(path.join(tmpdir(), `cac-${kind}-`))
  const dir = path.join(base, 'mnt')
  try {
    execFileSync('mkdir', ['-p', dir])
    if (kind === 'tmpfs') {
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m`, 'cac-scratch', dir], { stdio: 'pipe' })
    } else {
      const image = path.join(base, 'fs.img')
      execFileSync('truncate', ['-s', `${sizeMb}M`, image])
      execFileSync('mkfs.ext4', ['-q', '-F', '-E', 'lazy_itable_init=0,lazy_journal_init=0', image], { stdio: 'pipe' })
      execFileSync('mount', ['-o', 'loop', image, dir], { stdio: 'pipe' })
    }
  } catch (error) {
    rmSync(base, { recursive: true, force: true })
    const message = `cannot mount a scratch ${kind} (needs root and ${kind === 'ext4' ? 'loop devices' : 'tmpfs'}): ${(error as Error).message}`
    if (process.env.CI === 'true') throw new Error(message)
    console.warn(`SKIPPED: ${message}`)
    return undefined
  }
  return {
    dir,
    free() {
      // ext4 releases freed blocks at journal commit; sync makes the figure final.
      execFileSync('sync', ['-f', dir])
      const stats = statfsSync(dir)
      return stats.bfree * stats.bsize
    },
    unmount() {
      execFileSync('umount', ['-l', dir], { stdio: 'pipe' })
      rmSync(base, { recursive: true, force: true })
    }
  }
}
