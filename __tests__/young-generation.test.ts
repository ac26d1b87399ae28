// The young generation's cap (src/remove/young-generation.ts): when it acts,
// and that V8 does what the cap relies on, on the Node running the tests.
import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { ENTRIES_PER_CHECK, YOUNG_GENERATION_MAX_BYTES, YoungGenerationCap } from '../src/remove/young-generation.js'

const MiB = 1024 * 1024

describe('YoungGenerationCap', () => {
  const spaces = (youngBytes: number) => () => [
    { space_name: 'old_space', space_size: 200 * MiB },
    { space_name: 'new_space', space_size: youngBytes }
  ]

  it('stops growth once, when the young generation reaches Node 20 size, and not before', () => {
    const flags: string[] = []
    let young = 16 * MiB
    const cap = new YoungGenerationCap(
      () => spaces(young)(),
      (flag) => flags.push(flag)
    )
    cap.check()
    expect(flags).toEqual([])
    young = YOUNG_GENERATION_MAX_BYTES
    cap.check()
    cap.check()
    expect(flags).toEqual(['--semi-space-growth-factor=1'])
  })

  it('reads the heap spaces once in ENTRIES_PER_CHECK entries, not on every entry', () => {
    let reads = 0
    const cap = new YoungGenerationCap(() => {
      reads++
      return spaces(16 * MiB)()
    })
    for (let entry = 0; entry < 10 * ENTRIES_PER_CHECK + 1; entry++) cap.onEntry()
    expect(reads).toBe(10)
  })

  it('does nothing where V8 names no new space', () => {
    const flags: string[] = []
    new YoungGenerationCap(
      () => [{ space_name: 'old_space', space_size: 500 * MiB }],
      (flag) => flags.push(flag)
    ).check()
    expect(flags).toEqual([])
  })
})

// A program that keeps 50,000 objects alive across scavenges, as a long removal keeps its deletes in flight, with
// a young generation allowed 2 × 64 MB; with an argument, it sets the growth factor to 1 once it is that large.
const PROGRAM = `
const v8 = require('node:v8')
const cap = Number(process.argv[1] || 0)
const young = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size
const keep = new Array(50000)
let max = 0
for (let i = 0; i < 4e6; i++) {
  keep[i % keep.length] = { i, s: 'x' + i }
  if (i % 1000 === 0) {
    const size = young()
    if (size > max) max = size
    if (cap && size >= cap) v8.setFlagsFromString('--semi-space-growth-factor=1')
  }
}
process.stdout.write(String(max))
`
const largestYoung = (cap: number): number =>
  Number(execFileSync(process.execPath, ['--max-semi-space-size=64', '-e', PROGRAM, String(cap)], { encoding: 'utf8' }))

describe(`V8 on Node ${process.version}`, () => {
  it('reads the growth factor each time it grows the young generation: set at run time, it stops the growth', () => {
    // Node 24 may overshoot by a step smaller than doubling (10.5 MB for a cap of 8 MB), hence 1.5×.
    expect(largestYoung(0)).toBeGreaterThan(4 * 16 * MiB - 1)
    expect(largestYoung(16 * MiB)).toBeLessThanOrEqual(1.5 * 16 * MiB)
  })
})
