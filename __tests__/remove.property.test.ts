// Property-based tests of the remover's promise (issue 10, point 6): on
// generated app trees (random byte names, links in and out of caches and of
// the app, hardlinks across the cache boundary, caches in caches, deep and
// wide directories, every target combination, extra-paths), a clear removes
// exactly the cache set an independent oracle predicts (helpers/cache-oracle.ts),
// leaves every other byte as it was, and reports exactly the free-space change
// of a quiet scratch filesystem; a dry run reports the same and touches nothing.
//
// Bounded: a fixed seed and a modest number of runs by default. More with
//   PROPERTY_RUNS=500 PROPERTY_SEED=123 npm run test:unit -- __tests__/remove.property.test.ts
// A failure prints fast-check's seed, path and shrunk counterexample.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { mkdirSync, rmSync } from 'node:fs'
import path from 'node:path'
import { testSettings } from '../__fixtures__/temp.js'
import { planCacheRemoval } from '../src/plan.js'
import { removeCaches, type RemovalResult } from '../src/remove.js'
import {
  compareTrees,
  pathKey,
  predictFreedBytes,
  predictRemoval,
  showBytes,
  snapshotTree
} from './helpers/cache-oracle.js'
import { randomAppArbitrary, writeRandomApp, type RandomApp } from './helpers/random-app.js'
import { mountScratch, type ScratchFs, type ScratchKind } from './helpers/scratch-fs.js'

const SEED = Number(process.env.PROPERTY_SEED ?? 20261125)
const RUNS = Number(process.env.PROPERTY_RUNS ?? 40)

/** What a result says, in the terms the oracle predicts. */
function summarize(result: RemovalResult): {
  failures: string[]
  entries: number
  bytes: number
  incomplete: string[]
} {
  return {
    failures: result.failures.map((failure) => `${failure.path}: ${failure.reason}`),
    entries: result.entries,
    bytes: result.bytes,
    incomplete: result.removed.filter((removed) => !removed.complete).map((removed) => removed.path)
  }
}

const exact = { wronglyRemoved: [], notRemoved: [], changed: [] }

async function clear(appRoot: string, app: RandomApp, dryRun: boolean): Promise<RemovalResult> {
  const settings = testSettings(appRoot, [...app.targets], { extraPaths: app.extraPaths, dryRun })
  return removeCaches(await planCacheRemoval(settings), { dryRun })
}

// Each filesystem gets its own seed (so its own trees); tmpfs, the faster to fail the same way, fewer of them.
describe.each([
  ['ext4', SEED, RUNS],
  ['tmpfs', SEED + 1, Math.ceil(RUNS * 0.4)]
] as [ScratchKind, number, number][])('generated app trees on %s (seed %d, %d trees)', (kind, seed, numRuns) => {
  let scratch: ScratchFs | undefined
  beforeAll(() => {
    scratch = mountScratch(kind, 512)
  })
  afterAll(() => scratch?.unmount())

  it("a clear removes exactly the oracle's cache set, keeps every other entry byte-identical and reports the free-space change; a dry run reports the same and changes nothing", async () => {
    if (!scratch) return
    const fs = scratch
    let run = 0
    await fc.assert(
      fc.asyncProperty(randomAppArbitrary(false), async (app) => {
        const base = path.join(fs.dir, `run-${run++}`)
        mkdirSync(base)
        try {
          const layout = writeRandomApp(base, app)
          fs.free() // settles delayed allocation, so the blocks read below are final
          const gone = predictRemoval(layout.appRoot, app.targets, app.extraPaths)
          const expected = { failures: [], entries: gone.size, bytes: predictFreedBytes(gone), incomplete: [] }
          const before = snapshotTree(Buffer.from(base))

          const dry = await clear(path.join(base, 'app'), app, true)
          const afterDry = compareTrees(before, snapshotTree(Buffer.from(base)), new Map(), base)
          const freeBefore = fs.free()
          const real = await clear(path.join(base, 'app'), app, false)
          const freed = fs.free() - freeBefore
          // One comparison, so a failure shows every way the run differed from the oracle.
          expect({
            dryRun: summarize(dry),
            treeAfterDryRun: afterDry,
            realRun: summarize(real),
            treeAfterRealRun: compareTrees(before, snapshotTree(Buffer.from(base)), gone, base),
            freeSpaceChange: freed
          }).toEqual({
            dryRun: expected,
            treeAfterDryRun: exact,
            realRun: expected,
            treeAfterRealRun: exact,
            freeSpaceChange: expected.bytes
          })
        } finally {
          rmSync(base, { recursive: true, force: true })
        }
      }),
      {
        seed,
        numRuns,
        // Print the counterexample's paths readably beside fast-check's own report.
        reporter: (details) => {
          if (!details.failed) return
          const example = details.counterexample?.[0]
          throw new Error(
            `${fc.defaultReportMessage(details)}\n\nCounterexample names, readable:\n${example ? describeApp(example) : '(none)'}\n\nFailure: ${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)}`
          )
        }
      }
    )
  }, 600_000)
})

/** The counterexample's tree as indented lines, names shown with \xNN for bytes that are not printable ASCII. */
function describeApp(app: RandomApp): string {
  const lines = [`targets: ${JSON.stringify(app.targets)}  extra-paths: ${JSON.stringify(app.extraPaths)}`]
  lines.push(`hardlink groups with a link outside the app: ${JSON.stringify(app.groupsOutside)}`)
  const walk = (entries: RandomApp['frontend'], indent: string): void => {
    for (const entry of entries) {
      const name = showBytes(pathKey(Buffer.from(entry.name)))
      const detail =
        entry.kind === 'file'
          ? `${entry.size} bytes, mode ${entry.mode.toString(8)}`
          : entry.kind === 'dir'
            ? `mode ${entry.mode.toString(8)}`
            : entry.kind === 'wide'
              ? `${entry.count} files`
              : entry.kind === 'chain'
                ? `${entry.depth} levels, then ${showBytes(pathKey(Buffer.from(entry.leaf)))}/deep.pyc`
                : entry.kind === 'symlink'
                  ? `-> ${entry.target}`
                  : `hardlink group ${entry.group}`
      lines.push(`${indent}${name}  (${entry.kind}: ${detail})`)
      if (entry.kind === 'dir') walk(entry.children, `${indent}  `)
    }
  }
  lines.push('frontend/')
  walk(app.frontend, '  ')
  lines.push('backend/')
  walk(app.backend, '  ')
  lines.push('(app root)/')
  walk(app.rootEntries, '  ')
  return lines.join('\n')
}
