// A private, quiet filesystem for tests that compare reported bytes with the
// filesystem's own free-space change: nothing else writes there. Needs root
// (mount); under CI=true a missing capability fails instead of skipping.
import { execFileSync } from 'node:child_process'
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  statfsSync,
  truncateSync,
  writeFileSync,
  writeSync
} from 'node:fs'
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

export interface Fill {
  /** Where the filler files are (on the filled filesystem); removed by release(). */
  readonly dir: string
  /** statfs of the filesystem once full: free and available bytes (both 0 when the fill reached the last block). */
  readonly free: number
  readonly available: number
  /** ext4's reserve pool in bytes (0 when emptied, or on another filesystem): what `free` may still count. */
  readonly reserve: number
  /** Gives `bytes` back (the big filler file shrinks by that much). */
  makeRoom(bytes: number): void
  /** Gives the space back: removes the filler files. */
  release(): void
}

function isNoSpace(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOSPC'
}

/**
 * ext4 keeps a pool of clusters (2% or 4096 clusters, whichever is less)
 * that not even root may write data into, for metadata when it is nearly
 * full; statfs counts them as free. Emptied here (sysfs reserved_clusters),
 * so a fill can take the very last block; restored by the returned function.
 */
function ext4ReserveKnob(dir: string): string {
  const source = execFileSync('findmnt', ['-n', '-o', 'SOURCE', '--target', dir], { encoding: 'utf8' }).trim()
  return `/sys/fs/ext4/${path.basename(source)}/reserved_clusters`
}

function emptyExt4Reserve(dir: string): () => void {
  const knob = ext4ReserveKnob(dir)
  if (!existsSync(knob)) return () => undefined
  const before = readFileSync(knob, 'utf8').trim()
  writeFileSync(knob, '0')
  return () => writeFileSync(knob, before)
}

/**
 * Fills the filesystem holding `dir` to its last block, as root: one file
 * written in 1 MiB, then 4 KiB chunks until ENOSPC, then small files until
 * ENOSPC, again after each sync (ext4 gives back blocks it had set aside
 * for delayed allocation once they are written) until statfs says 0
 * available. What statfs still counts as free is then ext4's reserve pool
 * (emptyExt4Reserve), which no data write can take: a disk a root process
 * filled looks exactly so. With emptyReserve the pool is emptied first, until
 * release(), and the fill takes the last block of all.
 */
export function fillToTheLastBlock(dir: string, options: { emptyReserve?: boolean } = {}): Fill {
  const restoreReserve = options.emptyReserve ? emptyExt4Reserve(dir) : () => undefined
  const filler = mkdtempSync(path.join(dir, 'cac-filler-'))
  const big = openSync(path.join(filler, 'big'), 'w')
  try {
    for (const chunk of [Buffer.alloc(1024 * 1024, 0x5a), Buffer.alloc(4096, 0x5a)]) {
      try {
        for (;;) writeSync(big, chunk)
      } catch (error) {
        if (!isNoSpace(error)) throw error
      }
    }
  } finally {
    closeSync(big)
  }
  const knob = ext4ReserveKnob(dir)
  const reserveBlocks = (): number => (existsSync(knob) ? Number(readFileSync(knob, 'utf8').trim()) : 0)
  let small = 0
  for (let round = 0; round < 10; round++) {
    try {
      for (;;) writeFileSync(path.join(filler, `small-${small++}`), 'z')
    } catch (error) {
      if (!isNoSpace(error)) throw error
    }
    execFileSync('sync', ['-f', dir])
    // Not bavail alone: it is 0 while blocks only root may take (mkfs's 5%) are still free,
    // as after a sync gives back delayed-allocation blocks. Full: nothing free beyond the pool.
    const after = statfsSync(dir)
    if (after.bavail === 0 && after.bfree <= reserveBlocks()) break
  }
  const stats = statfsSync(dir)
  return {
    dir: filler,
    reserve: reserveBlocks() * stats.bsize,
    free: stats.bfree * stats.bsize,
    available: stats.bavail * stats.bsize,
    makeRoom: (bytes) => {
      const big = path.join(filler, 'big')
      truncateSync(big, Math.max(0, statSync(big).size - bytes))
      execFileSync('sync', ['-f', dir])
    },
    release: () => {
      rmSync(filler, { recursive: true, force: true })
      restoreReserve()
    }
  }
}
