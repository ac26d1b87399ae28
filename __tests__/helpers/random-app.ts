// Random app trees for the property tests (fast-check arbitraries), and the
// code that writes one to disk. Names are bytes: any byte but NUL and '/',
// valid and invalid UTF-8, leading dashes, newlines, 255-byte names, and the
// cache names themselves used by files, directories and links.
import fc from 'fast-check'
import { chmodSync, linkSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs'

export type LinkTarget =
  'outside-dir' | 'outside-file' | 'outside-cache' | 'app-root' | 'parent' | 'self' | 'dangling' | 'long'

export type Entry =
  | { readonly kind: 'file'; readonly name: Uint8Array; readonly size: number; readonly mode: number }
  | { readonly kind: 'dir'; readonly name: Uint8Array; readonly mode: number; readonly children: readonly Entry[] }
  /** A wide directory: `count` small files. */
  | { readonly kind: 'wide'; readonly name: Uint8Array; readonly count: number }
  /** A deep chain of one-entry directories ending in a directory named `leaf` holding a file. */
  | { readonly kind: 'chain'; readonly name: Uint8Array; readonly depth: number; readonly leaf: Uint8Array }
  | { readonly kind: 'symlink'; readonly name: Uint8Array; readonly target: LinkTarget }
  /** A hardlink to inode `group` (shared with other entries of the group, and perhaps a file outside the app). */
  | { readonly kind: 'hardlink'; readonly name: Uint8Array; readonly group: number }

export interface RandomApp {
  readonly frontend: readonly Entry[]
  readonly backend: readonly Entry[]
  /** Beside frontend/ and backend/ in the app root. */
  readonly rootEntries: readonly Entry[]
  /** Per hardlink group: whether a link of it also lives outside the app. */
  readonly groupsOutside: readonly boolean[]
  readonly targets: readonly ('frontend' | 'backend')[]
  readonly extraPaths: readonly string[]
}

const bytes = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'latin1'))

/** Names the rules care about, and near misses. */
const RULE_NAMES = [
  '.next',
  '.turbo',
  'out',
  'node_modules',
  '.cache',
  '__pycache__',
  '.pytest_cache',
  '.mypy_cache',
  'staticfiles',
  'node_modules',
  'x.pyc',
  '.pyc',
  'y.pyo',
  'z.pyd',
  '__pycache__.bak',
  'cache'
].map(bytes)

/** Names found in the wild that break naive code: Latin-1, invalid UTF-8, dashes, newlines, spaces, globs. */
const ODD_NAMES = [
  ...[
    '\xe9t\xe9',
    '\xe9t\xe9.pyc',
    '\xff\xfe-bytes.js',
    '-rf',
    '--help',
    'a\nb',
    '\n.pyc',
    ' ',
    'a*b',
    '[x]',
    '\\',
    '..pyc'
  ].map(bytes),
  // The same word as UTF-8.
  new Uint8Array(Buffer.from('été', 'utf8'))
]

/** Any bytes but NUL and '/', not '.' or '..'. */
const randomBytesName = (maxLength: number): fc.Arbitrary<Uint8Array> =>
  fc
    .uint8Array({ minLength: 1, maxLength })
    .map((raw) => raw.map((byte) => (byte === 0 || byte === 0x2f ? 0x5f : byte)))
    .filter((name) => !isDotName(name))

const isDotName = (name: Uint8Array): boolean =>
  (name.length === 1 && name[0] === 0x2e) || (name.length === 2 && name[0] === 0x2e && name[1] === 0x2e)

/** 255 bytes, the most a name may hold: random, or random ending in a cache suffix. */
const longName: fc.Arbitrary<Uint8Array> = fc
  .tuple(fc.constantFrom('', '.pyc', '.pyo'), fc.integer({ min: 0x21, max: 0xff }))
  .map(([suffix, byte]) => {
    const body = Buffer.alloc(255 - suffix.length, byte === 0x2f ? 0x5f : byte)
    return new Uint8Array(Buffer.concat([body, Buffer.from(suffix)]))
  })

const plainName = fc.stringMatching(/^[a-z][a-z0-9_.-]{0,8}$/).map(bytes)

export function nameArbitrary(validUtf8Only: boolean): fc.Arbitrary<Uint8Array> {
  const name = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...RULE_NAMES) },
    { weight: 3, arbitrary: plainName },
    { weight: 2, arbitrary: fc.constantFrom(...ODD_NAMES) },
    { weight: 2, arbitrary: randomBytesName(16) },
    { weight: 1, arbitrary: longName }
  )
  return validUtf8Only ? name.filter(isValidUtf8) : name
}

export function isValidUtf8(name: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(name)
    return true
  } catch {
    return false
  }
}

const HARDLINK_GROUPS = 3

const LINK_TARGETS: readonly LinkTarget[] = [
  'outside-dir',
  'outside-file',
  'outside-cache',
  'app-root',
  'parent',
  'self',
  'dangling',
  'long'
]

function entriesArbitrary(
  name: fc.Arbitrary<Uint8Array>,
  maxDepth: number,
  minLength = 0,
  linkTargets: readonly LinkTarget[] = LINK_TARGETS
): fc.Arbitrary<Entry[]> {
  const { entry } = fc.letrec<{ entry: Entry; entries: Entry[] }>((tie) => ({
    entry: fc.oneof(
      { depthSize: 'small', maxDepth, withCrossShrink: true },
      {
        weight: 5,
        arbitrary: fc.record({
          kind: fc.constant('file' as const),
          name,
          size: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 70_000 })),
          mode: fc.constantFrom(0o644, 0o600, 0o755, 0o444)
        })
      },
      {
        weight: 4,
        arbitrary: fc.record({
          kind: fc.constant('dir' as const),
          name,
          mode: fc.constantFrom(0o755, 0o700, 0o555),
          children: tie('entries')
        })
      },
      {
        weight: 2,
        arbitrary: fc.record({ kind: fc.constant('symlink' as const), name, target: fc.constantFrom(...linkTargets) })
      },
      {
        weight: 2,
        arbitrary: fc.record({
          kind: fc.constant('hardlink' as const),
          name,
          group: fc.integer({ min: 0, max: HARDLINK_GROUPS - 1 })
        })
      },
      {
        weight: 1,
        arbitrary: fc.record({ kind: fc.constant('wide' as const), name, count: fc.integer({ min: 1, max: 1500 }) })
      },
      {
        weight: 1,
        arbitrary: fc.record({
          kind: fc.constant('chain' as const),
          name,
          depth: fc.integer({ min: 1, max: 60 }),
          leaf: fc.constantFrom(...RULE_NAMES)
        })
      }
    ),
    entries: fc.uniqueArray(tie('entry'), {
      maxLength: 6,
      size: 'medium',
      selector: (entry) => Buffer.from(entry.name).toString('latin1')
    })
  }))
  return fc.uniqueArray(entry, {
    minLength,
    maxLength: 8,
    selector: (item) => Buffer.from(item.name).toString('latin1')
  })
}

const ROOT_LINK_TARGETS = LINK_TARGETS.filter((target) => !['app-root', 'parent', 'self'].includes(target))

/** extra-paths the root entries below can match: literal, through a link, globs, globstar. */
const EXTRA_PATHS = [
  'logs',
  'tmp/*',
  '*.log',
  'frontend/.next',
  'frontend/node_modules',
  'backend/**/__pycache__',
  'backend/**/x.pyc',
  'link-out/secret',
  'frontend/*.pyc'
]
const ROOT_NAMES = ['logs', 'tmp', 'a.log', '.hidden.log', 'link-out', 'keep'].map(bytes)

export function randomAppArbitrary(validUtf8Only: boolean, maxDepth = 4): fc.Arbitrary<RandomApp> {
  const name = nameArbitrary(validUtf8Only)
  const rootName = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...ROOT_NAMES) }, { weight: 1, arbitrary: name })
  return fc.record({
    // The top level of a target root is never empty: that is where the exact paths are.
    frontend: entriesArbitrary(name, maxDepth, 1),
    backend: entriesArbitrary(name, maxDepth, 1),
    // Not a link back into the app from its root: an extra path such as tmp/* would then name
    // the link itself and what lies behind it, and removing the link first loses the rest (see the report).
    rootEntries: entriesArbitrary(rootName, 2, 0, ROOT_LINK_TARGETS).map((entries) =>
      entries.filter((entry) => !['frontend', 'backend'].includes(Buffer.from(entry.name).toString('latin1')))
    ),
    groupsOutside: fc.array(fc.boolean(), { minLength: HARDLINK_GROUPS, maxLength: HARDLINK_GROUPS }),
    // Mostly a file target; none now and then (then nothing may go, extra-paths included).
    targets: fc.oneof(
      { weight: 1, arbitrary: fc.constant([]) },
      { weight: 10, arbitrary: fc.subarray(['frontend', 'backend'] as const, { minLength: 1 }) }
    ),
    extraPaths: fc.subarray(EXTRA_PATHS, { maxLength: 3 })
  })
}

/** Where a tree is written: the app root, and a directory outside it that links point into. */
export interface Layout {
  readonly appRoot: Buffer
  readonly outside: Buffer
}

const join = (dir: Buffer, name: Uint8Array | string): Buffer =>
  Buffer.concat([dir, Buffer.from('/'), typeof name === 'string' ? Buffer.from(name) : Buffer.from(name)])

/** Writes `app` under `base`: base/app (the app root) and base/outside. */
export function writeRandomApp(base: string, app: RandomApp): Layout {
  const appRoot = Buffer.from(`${base}/app`)
  const outside = Buffer.from(`${base}/outside`)
  // Outside the app: things a link could lead the remover to, caches included.
  mkdirSync(join(outside, '.cache'), { recursive: true })
  mkdirSync(join(outside, '__pycache__'))
  writeFileSync(join(outside, 'secret'), Buffer.alloc(5000, 's'))
  writeFileSync(join(join(outside, '.cache'), 'f'), 'outside cache')
  writeFileSync(join(join(outside, '__pycache__'), 'm.pyc'), 'outside pyc')
  writeFileSync(join(outside, 'x.pyc'), 'outside pyc')
  const groupPaths: (Buffer | undefined)[] = app.groupsOutside.map((isOutside, group) => {
    if (!isOutside) return undefined
    const p = join(outside, `hardlink-${group}`)
    writeFileSync(p, Buffer.alloc(3000 + group * 5000, 0x41 + group))
    return p
  })
  const targets: Record<LinkTarget, Buffer> = {
    'outside-dir': outside,
    'outside-file': join(outside, 'secret'),
    'outside-cache': join(outside, '.cache'),
    'app-root': appRoot,
    parent: Buffer.from('..'),
    self: Buffer.from('.'),
    dangling: Buffer.from('no-such-target'),
    // Past ext4's 60-byte inline limit: this link has a block of its own.
    long: Buffer.from(`${'long-target/'.repeat(10)}end`)
  }

  const write = (dir: Buffer, entries: readonly Entry[]): void => {
    for (const entry of entries) {
      const p = join(dir, entry.name)
      switch (entry.kind) {
        case 'file':
          writeFileSync(p, Buffer.alloc(entry.size, entry.size % 251))
          chmodSync(p, entry.mode)
          break
        case 'dir':
          mkdirSync(p)
          write(p, entry.children)
          // After the children: a read-only directory is filled first.
          chmodSync(p, entry.mode)
          break
        case 'wide':
          mkdirSync(p)
          for (let i = 0; i < entry.count; i++) writeFileSync(join(p, `f${i}`), i % 50 === 0 ? 'w' : '')
          break
        case 'chain': {
          let current = p
          for (let level = 0; level < entry.depth; level++) current = join(current, `d${level % 10}`)
          current = join(current, entry.leaf)
          mkdirSync(current, { recursive: true })
          writeFileSync(join(current, 'deep.pyc'), 'deep')
          break
        }
        case 'symlink':
          symlinkSync(targets[entry.target], p)
          break
        case 'hardlink': {
          const first = groupPaths[entry.group]
          if (first) linkSync(first, p)
          else {
            writeFileSync(p, Buffer.alloc(3000 + entry.group * 5000, 0x41 + entry.group))
            groupPaths[entry.group] = p
          }
          break
        }
      }
    }
  }
  mkdirSync(join(appRoot, 'frontend'), { recursive: true })
  mkdirSync(join(appRoot, 'backend'))
  write(join(appRoot, 'frontend'), app.frontend)
  write(join(appRoot, 'backend'), app.backend)
  write(appRoot, app.rootEntries)
  return { appRoot, outside }
}
