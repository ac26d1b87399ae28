// src/docker/prune-model.ts, pure: the engine's prune rules by tables, and
// the simulation against /system/df shapes and prune answers recorded from
// the real engines (__tests__/fixtures/build-prune/, written by
// docker.test.ts with CAC_RECORD_PRUNES=dir). docker.test.ts runs the same
// model against the live engines.
import { describe, expect, test } from '@jest/globals'
import fc from 'fast-check'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  buildCacheRecords,
  ENGINE_RULES,
  keepBytesFor,
  lastUsedNanos,
  MAX_PRUNE_STATES,
  parseGoDuration,
  parsePruneFilters,
  rankForDeletion,
  rulesFor,
  simulatePrune,
  type BuildCacheRecord,
  type EngineRules,
  type PruneRequest
} from '../src/docker/prune-model.js'

const OLD = ENGINE_RULES[0]
const NEW = ENGINE_RULES[1]

describe('rulesFor: one entry per API range', () => {
  test.each([
    ['1.38', undefined],
    ['1.39', '1.39'],
    ['1.41', '1.39'],
    ['1.47', '1.39'],
    ['1.48', '1.48'],
    ['1.51', '1.48'],
    ['1.52', '1.48']
  ])('API %s -> rules from %s', (api, from) => {
    expect(rulesFor(api)?.fromApi).toBe(from)
  })
})

describe('buildCacheRecords: every shape of /system/df', () => {
  const base = { ID: 'a', Type: 'regular', InUse: false, Shared: true, Size: 5 }
  test.each([
    ['20.10 (Parent)', { BuildCache: [{ ...base, Parent: 'p' }] }, ['p']],
    ['28.5 at 1.51 (" Parents", an upstream typo)', { BuildCache: [{ ...base, ' Parents': ['p', 'q'] }] }, ['p', 'q']],
    ['API 1.42+ (Parents)', { BuildCache: [{ ...base, Parents: ['p'] }] }, ['p']],
    ['API 1.52 (BuildCacheUsage.Items)', { BuildCacheUsage: { Items: [{ ...base, Parents: ['p'] }] } }, ['p']],
    ['28.5 at 1.41 (no parent field)', { BuildCache: [base] }, []],
    ['an empty Parent', { BuildCache: [{ ...base, Parent: '' }] }, []]
  ])('%s', (_name, df, parents) => {
    expect(buildCacheRecords(df)).toEqual([{ ...base, Parents: parents, LastUsedAt: null, UsageCount: 0 }])
  })

  test.each([[{ BuildCache: null }], [{}], [null], [{ BuildCache: 'x' }]])('no records in %j', (df) => {
    expect(buildCacheRecords(df)).toEqual([])
  })

  test('28.5 answering at API 1.41 sends no parents at all (recorded)', () => {
    const recorded = JSON.parse(readFileSync(path.join(FIXTURES, '28.5-overlay2-at-api-1.41.json'), 'utf8'))
    const records = buildCacheRecords(recorded.systemDf)
    expect(records.length).toBeGreaterThan(5)
    expect(records.every((r) => r.Parents.length === 0)).toBe(true)
  })
})

describe('keepBytesFor: keep-storage before 1.48, calculateKeepBytes from 1.48', () => {
  const MB = 1_000_000
  const req = (over: Partial<PruneRequest>): PruneRequest => ({ pruneAll: true, filters: [], ...over })
  const table: [EngineRules, Partial<PruneRequest>, number, number, number][] = [
    // [rules, request, totalSize, free, keepBytes]
    [OLD, {}, 100 * MB, 0, 0],
    [OLD, { reservedBytes: 40 * MB }, 100 * MB, 0, 40 * MB],
    [NEW, {}, 100 * MB, 0, 0],
    [NEW, { reservedBytes: 40 * MB }, 100 * MB, 0, 40 * MB],
    [NEW, { maxUsedBytes: 40 * MB }, 100 * MB, 0, 40 * MB],
    // Free space lacking: 30 MB short, so keep 100 - 30.
    [NEW, { minFreeBytes: 50 * MB }, 100 * MB, 20 * MB, 70 * MB],
    // ... and the lower of that and max-used.
    [NEW, { minFreeBytes: 50 * MB, maxUsedBytes: 60 * MB }, 100 * MB, 20 * MB, 60 * MB],
    [NEW, { minFreeBytes: 50 * MB, maxUsedBytes: 90 * MB }, 100 * MB, 20 * MB, 70 * MB],
    // Met: keep it all (and the stop test `total < keep` still lets one record go).
    [NEW, { minFreeBytes: 10 * MB }, 100 * MB, 20 * MB, 100 * MB],
    [NEW, { minFreeBytes: 10 * MB, maxUsedBytes: 60 * MB }, 100 * MB, 20 * MB, 60 * MB],
    // Never below reserved space.
    [NEW, { minFreeBytes: 500 * MB, reservedBytes: 30 * MB }, 100 * MB, 20 * MB, 30 * MB],
    [NEW, { maxUsedBytes: 10 * MB, reservedBytes: 30 * MB }, 100 * MB, 0, 30 * MB],
    // More lacking than the cache holds: max(-380 MB, reserved 0) = 0, which BuildKit reads as "no limit": all goes.
    [NEW, { minFreeBytes: 500 * MB }, 100 * MB, 20 * MB, 0]
  ]
  test.each(table)('case %#', (rules, request, total, free, keep) => {
    expect(keepBytesFor(rules, req(request), total, free)).toBe(keep)
  })
})

const rec = (ID: string, over: Partial<BuildCacheRecord> = {}): BuildCacheRecord => ({
  ID,
  Parents: [],
  Type: 'regular',
  InUse: false,
  Shared: false,
  Size: 100,
  LastUsedAt: '2025-01-01T00:00:00Z',
  UsageCount: 1,
  ...over
})

describe('rankForDeletion (sortDeleteRecords)', () => {
  test('never used first, then by the sum of the normalised ranks of last use and usage count', () => {
    const records = [
      rec('recent-once', { LastUsedAt: '2025-01-03T00:00:00Z', UsageCount: 1 }),
      rec('old-often', { LastUsedAt: '2025-01-01T00:00:00Z', UsageCount: 9 }),
      rec('never', { LastUsedAt: null, UsageCount: 0 }),
      rec('mid-once', { LastUsedAt: '2025-01-02T00:00:00Z', UsageCount: 1 })
    ]
    for (const rules of [OLD, NEW]) {
      expect(rankForDeletion(records, rules.firstRank).ordered.map((r) => r.ID)).toEqual([
        'never',
        'mid-once',
        // old-often: oldest use but most used; recent-once: newest use, least used: the sums decide.
        ...(rules === OLD ? ['old-often', 'recent-once'] : ['old-often', 'recent-once'])
      ])
    }
  })

  test('a tie at the top is reported (BuildKit breaks it by map order, at random)', () => {
    const records = [
      rec('a', { LastUsedAt: '2025-01-01T00:00:00Z', UsageCount: 2 }),
      rec('b', { LastUsedAt: '2025-01-02T00:00:00Z', UsageCount: 1 }),
      rec('c', { LastUsedAt: '2025-01-03T00:00:00Z', UsageCount: 3 })
    ]
    expect(rankForDeletion(records, 1).firsts.map((r) => r.ID)).toEqual(['a', 'b'])
    expect(rankForDeletion([records[0]], 1).firsts.map((r) => r.ID)).toEqual(['a'])
  })

  test('last use to the nanosecond: records used within one millisecond are no tie (seen in CI)', () => {
    const records = [
      rec('later', { LastUsedAt: '2026-12-03T10:00:00.123456789Z' }),
      rec('earlier', { LastUsedAt: '2026-12-03T10:00:00.1234567Z' })
    ]
    expect(rankForDeletion(records, 1).ordered.map((r) => r.ID)).toEqual(['earlier', 'later'])
    expect(rankForDeletion(records, 1).firsts.map((r) => r.ID)).toEqual(['earlier'])
  })

  test.each([
    ['2026-12-03T10:00:00Z', 1796292000000000000n],
    ['2026-12-03T10:00:00.5Z', 1796292000500000000n],
    ['2026-12-03T10:00:00.000000001Z', 1796292000000000001n],
    ['2026-12-03T11:00:00.000000001+01:00', 1796292000000000001n],
    ['2026-12-03T10:00:00.1234567891Z', 1796292000123456789n],
    ['', undefined],
    [null, undefined],
    ['yesterday', undefined]
  ])('lastUsedNanos(%j)', (text, nanos) => {
    expect(lastUsedNanos(text)).toBe(nanos)
  })
})

describe('simulatePrune (the dry run)', () => {
  const NOW = Date.parse('2025-01-02T00:00:00Z')
  const records = [
    rec('base', { Shared: true, Size: 1000 }),
    rec('layer', { Parents: ['base'], Shared: true, Size: 500, LastUsedAt: '2025-01-01T12:00:00Z' }),
    rec('mount', { Type: 'exec.cachemount', Size: 300, LastUsedAt: '2025-01-01T23:30:00Z' }),
    rec('ctx', { Type: 'source.local', Size: 200, LastUsedAt: '2025-01-01T01:00:00Z' }),
    rec('busy', { InUse: true, Size: 50 }),
    rec('front', { Type: 'frontend', Size: 7, LastUsedAt: '2025-01-01T06:00:00Z' }),
    rec('child', { Parents: ['ctx'], Size: 10, LastUsedAt: null, UsageCount: 0 })
  ]
  const cases: [string, PruneRequest, string[], number, number][] = [
    // [name, request, removed (in order), reported, unshared]
    ['all', { pruneAll: true, filters: [] }, ['layer', 'mount', 'front', 'child', 'base', 'ctx'], 2017, 517],
    ['dangling only', { pruneAll: false, filters: [] }, ['mount', 'child', 'ctx'], 510, 510],
    ['type filter', { pruneAll: true, filters: ['type=exec.cachemount'] }, ['mount'], 300, 300],
    // ctx is older than 1h; child, never used, goes too (and first, as a leaf).
    ['until=1h', { pruneAll: true, filters: ['until=1h'] }, ['layer', 'front', 'child', 'base', 'ctx'], 1717, 217],
    // A parent stays while a child stays: ctx's child is not of this type.
    ['parent kept by child', { pruneAll: true, filters: ['type=source.local'] }, [], 0, 0],
    // moby sends shared/private/inuse as `key==value` against "": nothing matches.
    ['private=true matches nothing', { pruneAll: true, filters: ['private=true'] }, [], 0, 0],
    ['id is a regular expression', { pruneAll: true, filters: ['id=^mo'] }, ['mount'], 300, 300],
    // Unshared total 517; stop once below 360: one record per pass, lowest rank first, each size subtracted.
    ['reserved space, one at a time', { pruneAll: true, filters: [], reservedBytes: 360 }, ['child', 'ctx'], 210, 210],
    // Shared sizes count against the total too: layer (500) brings 517 below 400 at once.
    [
      'shared sizes count',
      { pruneAll: true, filters: ['type=regular'], reservedBytes: 400 },
      ['child', 'layer'],
      510,
      10
    ]
  ]
  test.each(cases)('%s', (_name, request, removed, reported, unshared) => {
    const simulation = simulatePrune(records, request, NEW, 0, NOW)
    expect(simulation.removed).toEqual(removed)
    expect(simulation.reportedBytes).toBe(reported)
    expect(simulation.unsharedRemovedBytes).toBe(unshared)
  })

  test('min-free-space already met still removes one record', () => {
    const simulation = simulatePrune(records, { pruneAll: true, filters: [], minFreeBytes: 10 }, NEW, 1000, NOW)
    expect(simulation.removed).toEqual(['child'])
  })

  test("a tie under a space limit: every pick is followed, the model's own first", () => {
    // a and b tie for the first place; either one brings the total under the limit.
    const tied = [
      rec('a', { LastUsedAt: '2025-01-01T00:00:00Z', UsageCount: 2, Size: 100 }),
      rec('b', { LastUsedAt: '2025-01-02T00:00:00Z', UsageCount: 1, Size: 300 }),
      rec('c', { LastUsedAt: '2025-01-03T00:00:00Z', UsageCount: 3, Size: 50 })
    ]
    const simulation = simulatePrune(tied, { pruneAll: true, filters: [], reservedBytes: 400 }, NEW, 0, NOW)
    expect(simulation.removed).toEqual(['a'])
    expect(simulation.outcomes.map((o) => [o.removed, o.reportedBytes])).toEqual([
      [['a'], 100],
      [['b'], 300]
    ])
    expect(simulation.outcomesComplete).toBe(true)
    // Without a limit every leaf goes at once: one way.
    expect(simulatePrune(tied, { pruneAll: true, filters: [] }, NEW, 0, NOW).outcomes).toHaveLength(1)
  })

  test('picks that meet again are followed once; too many ways stop at MAX_PRUNE_STATES, the first kept', () => {
    const same = (n: number): BuildCacheRecord[] => Array.from({ length: n }, (_, i) => rec(`r${i}`, { Size: 10 }))
    // Two of four identical records: 6 sets, whatever the order of removal.
    const few = simulatePrune(same(4), { pruneAll: true, filters: [], reservedBytes: 25 }, NEW, 0, NOW)
    expect(few.outcomes).toHaveLength(6)
    expect(few.outcomesComplete).toBe(true)
    // Ten of twenty: 184,756 sets, more than are followed.
    const many = simulatePrune(same(20), { pruneAll: true, filters: [], reservedBytes: 105 }, NEW, 0, NOW)
    expect(many.outcomesComplete).toBe(false)
    expect(many.outcomes.length).toBeGreaterThan(1)
    expect(many.outcomes.length).toBeLessThan(MAX_PRUNE_STATES)
    expect(many.removed).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9'])
  })

  test('property: a prune that breaks ties at random, as BuildKit does, removes one of the outcomes', () => {
    const records = fc.uniqueArray(
      fc.record({
        ID: fc.constantFrom(...'abcdefgh'),
        day: fc.integer({ min: 1, max: 3 }),
        UsageCount: fc.integer({ min: 0, max: 3 }),
        Size: fc.integer({ min: 1, max: 50 }),
        Shared: fc.boolean(),
        parent: fc.option(fc.constantFrom(...'abcdefgh'), { nil: undefined })
      }),
      { selector: (r) => r.ID, minLength: 1, maxLength: 8 }
    )
    fc.assert(
      fc.property(records, fc.integer({ min: 1, max: 300 }), fc.integer(), (raw, reservedBytes, seed) => {
        // Parents only among earlier records: no cycles.
        const list = raw.map((r, i) =>
          rec(r.ID, {
            Parents: r.parent && raw.slice(0, i).some((p) => p.ID === r.parent) ? [r.parent] : [],
            LastUsedAt: r.UsageCount === 0 ? null : `2025-01-0${r.day}T00:00:00Z`,
            UsageCount: r.UsageCount,
            Size: r.Size,
            Shared: r.Shared
          })
        )
        const simulation = simulatePrune(list, { pruneAll: true, filters: [], reservedBytes }, NEW, 0, NOW)
        const ways = new Set(simulation.outcomes.map((o) => [...o.removed].sort().join()))
        expect(simulation.outcomesComplete).toBe(true)
        expect(ways.has([...simulation.removed].sort().join())).toBe(true)
        // The engine, one record per pass, each pass's candidates in a shuffled order (Go's map order).
        let random = seed
        const shuffle = <T>(items: T[]): T[] =>
          items
            .map((item) => ({ item, key: (random = (random * 1103515245 + 12345) | 0) }))
            .sort((a, b) => a.key - b.key)
            .map((x) => x.item)
        const left = new Map(list.map((r) => [r.ID, r]))
        let total = list.reduce((sum, r) => sum + (r.Shared ? 0 : r.Size), 0)
        const engineRemoved: string[] = []
        while (total >= reservedBytes) {
          const parents = new Set([...left.values()].flatMap((r) => r.Parents))
          const leaves = [...left.values()].filter((r) => !parents.has(r.ID))
          if (leaves.length === 0) break
          const pick = rankForDeletion(shuffle(leaves), NEW.firstRank).ordered[0]
          left.delete(pick.ID)
          engineRemoved.push(pick.ID)
          total -= pick.Size
        }
        expect(ways.has(engineRemoved.sort().join())).toBe(true)
      }),
      { numRuns: 300 }
    )
  })

  test('filters it cannot evaluate are reported', () => {
    expect(simulatePrune(records, { pruneAll: true, filters: ['label=a=b'] }, NEW, 0, NOW).ignoredFilters).toEqual([
      'label=a=b'
    ])
  })

  test.each([
    ['24h', 86_400_000],
    ['1h30m', 5_400_000],
    ['1.5h', 5_400_000],
    ['90s', 90_000],
    ['0', 0],
    ['10', undefined],
    ['1d', undefined]
  ])('Go duration %s', (text, ms) => {
    expect(parseGoDuration(text)).toBe(ms)
  })

  test.each([
    [[], {}],
    [['', '  '], {}],
    [['until=24h'], { until: { '24h': true } }],
    [['until=24h', 'until=48h'], { until: { '24h': true, '48h': true } }],
    [['label=a=b'], { label: { 'a=b': true } }],
    [['UNTIL = 10m '], { until: { '10m': true } }]
  ])('filters %j', (lines, expected) => {
    expect(parsePruneFilters(lines)).toEqual(expected)
  })

  test.each([
    ['until', /not key=value/],
    ['=24h', /no valid key/],
    ['un til=24h', /no valid key/],
    ['until=', /no value/]
  ])('filter %j is refused', (line, message) => {
    expect(() => parsePruneFilters([line])).toThrow(message)
  })
})

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'build-prune')

describe('recorded from the real engines: the model removes what the engine removed', () => {
  const recorded = readdirSync(FIXTURES)
    .filter((file) => file.endsWith('.json') && !file.includes('at-api'))
    .map((file) => ({ file, ...JSON.parse(readFileSync(path.join(FIXTURES, file), 'utf8')) }))
  test.each(recorded.map((r) => [r.file, r] as const))('%s', (_file, r) => {
    const rules = rulesFor(r.apiVersion)
    if (!rules) throw new Error(`no rules for ${r.apiVersion}`)
    const records = buildCacheRecords(r.systemDf)
    const simulation = simulatePrune(
      records,
      { pruneAll: true, filters: [], ...r.request },
      rules,
      r.freeBytes,
      Date.parse(r.now ?? new Date().toISOString())
    )
    expect([...simulation.removed].sort()).toEqual([...r.cachesDeleted].sort())
    expect(simulation.reportedBytes).toBe(r.spaceReclaimed)
  })
})
