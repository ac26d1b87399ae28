// Deterministic generator of a realistic Next.js + Django app tree.
//
// The generator is a sync generator of operations ([kind, relPath, arg, cache]),
// consumed as it goes, so memory stays bounded by the tree depth, not its size
// (the 1M-entry tree streams the same way). Every entry carries the target whose
// cache it belongs to ('frontend', 'backend' or null for survivors), so the
// manifest knows exactly how many entries each target must remove.
import fs from 'node:fs'
import path from 'node:path'
import { prng } from './util.mjs'

/** Bump when the tree's shape changes: cached masters are keyed by it. */
export const GEN_VERSION = 4

const D = 'd'
const F = 'f'
const L = 'l'

// ---------------------------------------------------------------- helpers

function makeCtx(seed) {
  const r = prng(seed)
  const ctx = {
    r,
    count: 0,
    int: (lo, hi) => lo + Math.floor(r() * (hi - lo + 1)),
    pick: (xs) => xs[Math.floor(r() * xs.length)],
    chance: (p) => r() < p,
    /** log-uniform in [lo, hi]: many small, a long tail. */
    logInt: (lo, hi) => Math.floor(Math.exp(Math.log(lo) + r() * (Math.log(hi + 1) - Math.log(lo)))),
    hex: (n) => {
      let s = ''
      for (let i = 0; i < n; i++) s += '0123456789abcdef'[Math.floor(r() * 16)]
      return s
    },
    /** File size: 0..20 KB, skewed small like real source trees. */
    size: (lo = 64, hi = 20480) => (r() < 0.04 ? 0 : Math.min(20480, ctx.logInt(lo, hi))),
    used: new Map()
  }
  const syl = [
    'ka',
    'lo',
    'mi',
    'zen',
    'tra',
    'ver',
    'po',
    'lux',
    'qui',
    'nor',
    'bel',
    'dex',
    'fi',
    'gro',
    'hap',
    'jet',
    'kin',
    'mar',
    'nex',
    'ori',
    'pix',
    'rho',
    'sim',
    'tor',
    'ul',
    'vo',
    'wex',
    'yam',
    'zo',
    'arc',
    'byt',
    'cel'
  ]
  ctx.word = (min = 1, max = 3) => {
    let w = ''
    const n = ctx.int(min, max)
    for (let i = 0; i < n; i++) w += ctx.pick(syl)
    return w
  }
  /** A name not yet used in dir (the generator never writes twice to a path). */
  ctx.unique = (dir, make) => {
    let set = ctx.used.get(dir)
    if (!set) ctx.used.set(dir, (set = new Set()))
    let name = make()
    for (let i = 2; set.has(name); i++) name = `${make()}${i}`
    set.add(name)
    return name
  }
  ctx.forget = (dir) => ctx.used.delete(dir)
  return ctx
}

const j = (...parts) => parts.join('/')

function* flat(ctx, dir, n, nameFn, sizeFn, cache) {
  for (let i = 0; i < n; i++) yield [F, j(dir, ctx.unique(dir, nameFn)), sizeFn(), cache]
  ctx.forget(dir)
}

/** A random source-like tree of about n entries under dir (dir itself exists). */
function* fillTree(ctx, dir, n, exts, cache, depth = 0) {
  const end = ctx.count + n
  while (ctx.count < end) {
    if (depth < 5 && ctx.chance(0.12) && end - ctx.count > 4) {
      const sub = j(
        dir,
        ctx.unique(dir, () => ctx.word(1, 2))
      )
      yield [D, sub, 0, cache]
      yield* fillTree(ctx, sub, Math.ceil((end - ctx.count) * ctx.r() * 0.6), exts, cache, depth + 1)
    } else {
      yield [
        F,
        j(
          dir,
          ctx.unique(dir, () => ctx.word(1, 3) + ctx.pick(exts))
        ),
        ctx.size(),
        cache
      ]
    }
  }
  ctx.forget(dir)
}

/** Runs unit generators until `budget` more entries exist. */
function* area(ctx, budget, unit) {
  const end = ctx.count + budget
  while (ctx.count < end) yield* unit(end - ctx.count)
}

// ---------------------------------------------------------------- frontend

const JS_EXTS = ['.js', '.js', '.js', '.js', '.d.ts', '.d.ts', '.js.map', '.js.map', '.mjs', '.cjs', '.json', '.md']
const SCOPES = [
  '@babel',
  '@types',
  '@next',
  '@swc',
  '@img',
  '@radix-ui',
  '@emotion',
  '@typescript-eslint',
  '@esbuild',
  '@jest',
  '@tanstack',
  '@floating-ui',
  '@eslint',
  '@humanwhocodes',
  '@nodelib'
]

function* npmPackage(ctx, nm, name, size, depth, fe) {
  const dir = j(nm, name)
  yield [D, dir, 0, null]
  yield [F, j(dir, 'package.json'), ctx.size(300, 4000), null]
  if (ctx.chance(0.8)) yield [F, j(dir, 'README.md'), ctx.size(500, 20480), null]
  if (ctx.chance(0.7)) yield [F, j(dir, 'LICENSE'), ctx.int(1000, 1200), null]
  if (ctx.chance(0.6)) yield [F, j(dir, 'index.js'), ctx.size(50, 3000), null]
  const end = ctx.count + size
  const roots = ctx.chance(0.5) ? ['dist'] : ctx.chance(0.5) ? ['lib'] : ['lib', 'src', 'types']
  for (const root of roots) {
    if (ctx.count >= end) break
    yield [D, j(dir, root), 0, null]
    yield* fillTree(ctx, j(dir, root), Math.max(1, Math.ceil((end - ctx.count) / roots.length)), JS_EXTS, null, 1)
  }
  if (ctx.chance(0.06)) {
    // bin script, linked from node_modules/.bin
    yield [D, j(dir, 'bin'), 0, null]
    yield [F, j(dir, 'bin', 'cli.js'), ctx.size(200, 4000), null]
    if (depth === 0 && !name.startsWith('@')) yield [L, j(nm, '.bin', name), `../${name}/bin/cli.js`, null]
  }
  if (ctx.chance(0.035)) {
    // a package-local .cache (babel/eslint/terser plugins leave these), sometimes deep
    const host = ctx.chance(0.5) ? dir : j(dir, roots[0])
    const cdir = j(host, '.cache')
    yield [D, cdir, 0, 'frontend']
    const sub = j(cdir, ctx.pick(['babel', 'eslint', 'terser', 'tsbuild', 'v8-compile']))
    yield [D, sub, 0, 'frontend']
    yield* flat(
      ctx,
      sub,
      ctx.int(3, 40),
      () => ctx.hex(16) + '.json',
      () => ctx.size(),
      'frontend'
    )
    ctx.stats.pkgCaches++
  }
  if (depth === 0 && ctx.chance(0.1)) {
    // nested node_modules with a few (smaller) packages
    const inner = j(dir, 'node_modules')
    yield [D, inner, 0, null]
    const k = ctx.int(1, 4)
    for (let i = 0; i < k; i++) {
      const pname = ctx.unique(inner, () => ctx.word(1, 3))
      yield* npmPackage(ctx, inner, pname, ctx.logInt(3, 120), depth + 1, fe)
    }
    ctx.forget(inner)
  }
}

function* nodeModules(ctx, fe, budget) {
  const nm = j(fe, 'node_modules')
  yield [D, nm, 0, null]
  yield [D, j(nm, '.bin'), 0, null]
  yield [F, j(nm, '.package-lock.json'), 20480, null]
  const scopes = new Set()
  yield* area(ctx, budget, function* (left) {
    const size = Math.min(left + 3, ctx.logInt(3, 300))
    if (ctx.chance(0.15)) {
      const scope = ctx.pick(SCOPES)
      if (!scopes.has(scope)) {
        scopes.add(scope)
        yield [D, j(nm, scope), 0, null]
      }
      const name = ctx.unique(j(nm, scope), () => ctx.word(1, 3))
      yield* npmPackage(ctx, nm, `${scope}/${name}`, size, 0, fe)
    } else {
      yield* npmPackage(
        ctx,
        nm,
        ctx.unique(nm, () => ctx.word(1, 3)),
        size,
        0,
        fe
      )
    }
  })
}

function* nodeModulesCache(ctx, fe, budget) {
  const c = j(fe, 'node_modules', '.cache')
  yield [D, c, 0, 'frontend']
  // A symlink out of the cache: removing the cache must not follow it.
  yield [L, j(c, 'src-link'), '../../src', 'frontend']
  const tools = [
    ['babel-loader', () => ctx.hex(32) + '.json'],
    ['terser-webpack-plugin', () => ctx.hex(40)],
    ['eslint-loader', () => ctx.hex(20) + '.json'],
    ['next-swc', () => ctx.hex(24) + '.bin'],
    ['webpack', () => `${ctx.int(0, 999)}.pack`],
    ['.prettier', () => ctx.hex(12)]
  ]
  const end = ctx.count + budget
  for (let i = 0; ctx.count < end; i++) {
    const [tool, name] = tools[i % tools.length]
    const dir = j(c, i < tools.length ? tool : `${tool}-${i}`)
    yield [D, dir, 0, 'frontend']
    // babel-loader keeps thousands of files in one flat dir
    const n = Math.min(end - ctx.count, tool === 'babel-loader' ? ctx.int(500, 3000) : ctx.int(50, 800))
    if (tool === 'webpack') {
      for (const mode of ['client-production', 'server-production']) {
        yield [D, j(dir, mode), 0, 'frontend']
        yield* flat(ctx, j(dir, mode), Math.ceil(n / 2), name, () => ctx.size(1000, 20480), 'frontend')
      }
    } else {
      yield* flat(ctx, dir, n, name, () => ctx.size(), 'frontend')
    }
  }
}

function* nextDir(ctx, fe, budget) {
  const n = j(fe, '.next')
  const C = 'frontend'
  yield [D, n, 0, C]
  for (const f of [
    'BUILD_ID',
    'build-manifest.json',
    'app-build-manifest.json',
    'prerender-manifest.json',
    'routes-manifest.json',
    'required-server-files.json',
    'trace',
    'package.json'
  ])
    yield [F, j(n, f), ctx.size(), C]
  const end = ctx.count + budget
  const part = () => Math.max(1, Math.floor((end - ctx.count) / 4))
  // cache/: webpack packs, optimised images (one dir per image), fetch cache
  yield [D, j(n, 'cache'), 0, C]
  yield [D, j(n, 'cache', 'webpack'), 0, C]
  for (const mode of ['client-production', 'server-production', 'edge-server-production']) {
    const d = j(n, 'cache', 'webpack', mode)
    yield [D, d, 0, C]
    yield* flat(
      ctx,
      d,
      ctx.int(5, 40),
      () => `${ctx.int(0, 200)}.pack`,
      () => ctx.size(4000, 20480),
      C
    )
    yield [F, j(d, 'index.pack'), 20480, C]
    yield [F, j(d, 'index.pack.old'), 20480, C]
  }
  yield [D, j(n, 'cache', 'images'), 0, C]
  const imgEnd = ctx.count + part()
  while (ctx.count < imgEnd) {
    const d = j(
      n,
      'cache',
      'images',
      ctx.unique(j(n, 'cache', 'images'), () => ctx.hex(43))
    )
    yield [D, d, 0, C]
    yield* flat(
      ctx,
      d,
      ctx.int(1, 3),
      () => `${ctx.int(100000, 999999)}.${ctx.hex(8)}.webp`,
      () => ctx.size(2000, 20480),
      C
    )
  }
  yield [D, j(n, 'cache', 'fetch-cache'), 0, C]
  yield* flat(
    ctx,
    j(n, 'cache', 'fetch-cache'),
    part(),
    () => ctx.hex(64),
    () => ctx.size(),
    C
  )
  // server/: app routes and chunks
  yield [D, j(n, 'server'), 0, C]
  yield [D, j(n, 'server', 'app'), 0, C]
  yield* fillTree(ctx, j(n, 'server', 'app'), part(), ['.js', '.js', '.rsc', '.html', '.meta', '.js.nft.json'], C, 1)
  yield [D, j(n, 'server', 'chunks'), 0, C]
  yield* flat(
    ctx,
    j(n, 'server', 'chunks'),
    ctx.int(50, 300),
    () => `${ctx.int(1, 9999)}.js`,
    () => ctx.size(),
    C
  )
  // static/: hashed chunks, css, media
  const s = j(n, 'static')
  yield [D, s, 0, C]
  for (const sub of ['chunks', 'css', 'media', ctx.hex(21)]) {
    yield [D, j(s, sub), 0, C]
    if (sub === 'chunks') {
      yield [D, j(s, sub, 'app'), 0, C]
      yield* fillTree(ctx, j(s, sub, 'app'), Math.max(1, end - ctx.count - 200), ['.js'], C, 1)
    }
    yield* flat(
      ctx,
      j(s, sub),
      ctx.int(10, 60),
      () => `${ctx.hex(16)}${sub === 'css' ? '.css' : sub === 'media' ? '.woff2' : '.js'}`,
      () => ctx.size(),
      C
    )
  }
  while (ctx.count < end) yield [F, j(s, 'chunks', `${ctx.hex(16)}-${ctx.count}.js`), ctx.size(), C]
}

function* turbo(ctx, fe, budget) {
  const t = j(fe, '.turbo')
  yield [D, t, 0, 'frontend']
  yield [F, j(t, 'turbo-build.log'), ctx.size(), 'frontend']
  yield [D, j(t, 'cache'), 0, 'frontend']
  const end = ctx.count + budget
  while (ctx.count < end) {
    const h = ctx.hex(16)
    yield [F, j(t, 'cache', `${h}.tar.zst`), ctx.size(2000, 20480), 'frontend']
    yield [F, j(t, 'cache', `${h}-meta.json`), ctx.size(64, 400), 'frontend']
  }
}

function* outDir(ctx, fe, budget) {
  const o = j(fe, 'out')
  yield [D, o, 0, 'frontend']
  yield [F, j(o, 'index.html'), ctx.size(), 'frontend']
  yield [F, j(o, '404.html'), ctx.size(), 'frontend']
  yield [D, j(o, '_next'), 0, 'frontend']
  yield [D, j(o, '_next', 'static'), 0, 'frontend']
  yield* fillTree(ctx, j(o, '_next', 'static'), Math.ceil(budget / 2), ['.js', '.css', '.woff2'], 'frontend', 1)
  yield* fillTree(ctx, o, Math.ceil(budget / 2), ['.html', '.txt', '.html', '.png'], 'frontend', 1)
}

function* frontendSources(ctx, fe, budget) {
  for (const f of [
    'package.json',
    'package-lock.json',
    'next.config.mjs',
    'tsconfig.json',
    '.eslintrc.json',
    'next-env.d.ts'
  ])
    yield [F, j(fe, f), ctx.size(), null]
  yield [D, j(fe, 'public'), 0, null]
  yield* flat(
    ctx,
    j(fe, 'public'),
    ctx.int(5, 20),
    () => ctx.word() + ctx.pick(['.svg', '.png', '.ico']),
    () => ctx.size(),
    null
  )
  const src = j(fe, 'src')
  yield [D, src, 0, null]
  const before = ctx.count
  for (const sub of ['app', 'components', 'lib', 'styles']) {
    yield [D, j(src, sub), 0, null]
    yield* fillTree(
      ctx,
      j(src, sub),
      Math.max(3, Math.floor(budget / 5)),
      ['.tsx', '.tsx', '.ts', '.css', '.module.css'],
      null,
      1
    )
  }
  ctx.stats.srcEntries += ctx.count - before + 1 // + src itself
}

// ---------------------------------------------------------------- backend

const PY_DATA = ['.txt', '.json', '.pyi', '.html', '.csv', '.cfg']

/** A Python package directory: .py modules, __pycache__ with one .pyc each, subpackages. */
function* pyPackage(ctx, dir, size, cacheForSources, depth, strayPyc) {
  yield [D, dir, 0, cacheForSources]
  const end = ctx.count + size
  const mods = ['__init__']
  const nMods = Math.max(1, Math.min(Math.ceil(size / 2.4), ctx.int(2, 25)))
  for (let i = 1; i < nMods; i++) mods.push(ctx.unique(dir, () => ctx.word(1, 3)))
  for (const m of mods) {
    yield [F, j(dir, `${m}.py`), m === '__init__' && ctx.chance(0.5) ? 0 : ctx.size(), null]
    ctx.stats.py++
    if (strayPyc && ctx.chance(0.2)) yield [F, j(dir, `${m}.pyc`), ctx.size(), 'backend'] // Python 2 style, beside the .py
    if (strayPyc && ctx.chance(0.02)) yield [F, j(dir, `${m}.pyo`), ctx.size(), 'backend']
  }
  if (ctx.chance(0.08)) {
    yield [F, j(dir, `_speedups.cpython-311-x86_64-linux-gnu.so`), ctx.size(4000, 20480), null]
  }
  if (ctx.chance(0.04)) {
    yield [F, j(dir, `_native.cp311-win_amd64.pyd`), ctx.size(4000, 20480), null]
    ctx.stats.pyd++
  }
  if (ctx.chance(0.1)) yield [F, j(dir, 'py.typed'), 0, null]
  const pc = j(dir, '__pycache__')
  yield [D, pc, 0, 'backend']
  for (const m of mods) {
    yield [F, j(pc, `${m}.cpython-311.pyc`), ctx.size(200, 20480), 'backend']
    if (ctx.chance(0.05)) yield [F, j(pc, `${m}.cpython-311.opt-1.pyc`), ctx.size(200, 20480), 'backend']
  }
  if (ctx.chance(0.15)) {
    // (not templates/ or static/: Django apps add those themselves)
    const data = j(dir, ctx.pick(['data', 'locale', 'fixtures', 'assets']))
    yield [D, data, 0, null]
    yield* fillTree(ctx, data, ctx.int(2, 20), PY_DATA, null, depth + 1)
  }
  while (ctx.count < end - 4 && depth < 4) {
    const sub = j(
      dir,
      ctx.unique(dir, () => ctx.word(1, 2))
    )
    yield* pyPackage(ctx, sub, Math.ceil((end - ctx.count) * (0.3 + ctx.r() * 0.5)), null, depth + 1, strayPyc)
  }
  ctx.forget(dir)
}

function* venv(ctx, be, budget) {
  const v = j(be, '.venv')
  yield [D, v, 0, null]
  yield [F, j(v, 'pyvenv.cfg'), 120, null]
  yield [F, j(v, '.gitignore'), 2, null]
  yield [D, j(v, 'bin'), 0, null]
  for (const f of ['activate', 'activate.fish', 'activate.csh', 'pip', 'pip3', 'django-admin', 'pytest', 'mypy'])
    yield [F, j(v, 'bin', f), ctx.size(200, 3000), null]
  yield [L, j(v, 'bin', 'python3.11'), '/usr/bin/python3.11', null] // absolute, may dangle: fine
  yield [L, j(v, 'bin', 'python3'), 'python3.11', null]
  yield [L, j(v, 'bin', 'python'), 'python3.11', null]
  yield [D, j(v, 'include'), 0, null]
  yield [D, j(v, 'lib'), 0, null]
  yield [L, j(v, 'lib64'), 'lib', null] // a link to a dir full of caches: must not be followed twice
  yield [D, j(v, 'lib', 'python3.11'), 0, null]
  const sp = j(v, 'lib', 'python3.11', 'site-packages')
  yield [D, sp, 0, null]
  yield [F, j(sp, 'distutils-precedence.pth'), 151, null]
  let topPyc = false
  yield* area(ctx, budget, function* (left) {
    const name = ctx.unique(sp, () => ctx.word(1, 3).replace(/-/g, '_'))
    const ver = `${ctx.int(0, 9)}.${ctx.int(0, 30)}.${ctx.int(0, 9)}`
    const di = j(sp, `${name}-${ver}.dist-info`)
    yield [D, di, 0, null]
    for (const f of ['METADATA', 'RECORD', 'WHEEL', 'INSTALLER', 'top_level.txt']) yield [F, j(di, f), ctx.size(), null]
    if (ctx.chance(0.15)) {
      // single-module distribution: site-packages/name.py + site-packages/__pycache__/name.cpython-311.pyc
      yield [F, j(sp, `${name}.py`), ctx.size(), null]
      ctx.stats.py++
      if (!topPyc) {
        topPyc = true
        yield [D, j(sp, '__pycache__'), 0, 'backend']
      }
      yield [F, j(sp, '__pycache__', `${name}.cpython-311.pyc`), ctx.size(), 'backend']
    } else {
      yield* pyPackage(ctx, j(sp, name), Math.min(left + 3, ctx.logInt(4, 500)), null, 0, false)
    }
  })
}

function* djangoApps(ctx, be, budget) {
  yield [F, j(be, 'manage.py'), 800, null]
  ctx.stats.py++
  for (const f of ['requirements.txt', 'pyproject.toml', 'pytest.ini', 'mypy.ini'])
    yield [F, j(be, f), ctx.size(100, 3000), null]
  yield* pyPackage(ctx, j(be, 'config'), 12, null, 3, true)
  const apps = j(be, 'apps')
  yield [D, apps, 0, null]
  yield [F, j(apps, '__init__.py'), 0, null]
  ctx.stats.py++
  yield* area(ctx, budget, function* (left) {
    const name = ctx.unique(apps, () => ctx.word(1, 2))
    const a = j(apps, name)
    yield* pyPackage(ctx, a, Math.min(left + 3, ctx.int(15, 60)), null, 2, true)
    const mig = j(a, 'migrations')
    yield* pyPackage(ctx, mig, ctx.int(4, 30), null, 4, true)
    yield [D, j(a, 'templates'), 0, null]
    yield* fillTree(ctx, j(a, 'templates'), ctx.int(2, 12), ['.html'], null, 2)
    yield [D, j(a, 'static'), 0, null]
    yield* fillTree(ctx, j(a, 'static'), ctx.int(2, 12), ['.css', '.js', '.svg'], null, 2)
  })
  yield [D, j(be, 'media'), 0, null]
  yield* flat(
    ctx,
    j(be, 'media'),
    10,
    () => ctx.hex(8) + '.jpg',
    () => ctx.size(),
    null
  )
}

function* pytestCache(ctx, be) {
  const p = j(be, '.pytest_cache')
  const C = 'backend'
  yield [D, p, 0, C]
  for (const f of ['CACHEDIR.TAG', 'README.md', '.gitignore']) yield [F, j(p, f), ctx.size(10, 400), C]
  yield [D, j(p, 'v'), 0, C]
  yield [D, j(p, 'v', 'cache'), 0, C]
  for (const f of ['nodeids', 'lastfailed', 'stepwise']) yield [F, j(p, 'v', 'cache', f), ctx.size(), C]
}

function* mypyCache(ctx, be, budget) {
  const m = j(be, '.mypy_cache')
  const C = 'backend'
  yield [D, m, 0, C]
  for (const f of ['CACHEDIR.TAG', '.gitignore', 'missing_stubs']) yield [F, j(m, f), ctx.size(10, 400), C]
  const v = j(m, '3.11')
  yield [D, v, 0, C]
  const end = ctx.count + budget
  function* mod(dir, depth) {
    const k = ctx.int(2, 20)
    for (let i = 0; i < k && ctx.count < end; i++) {
      const name = ctx.unique(dir, () => ctx.word(1, 3))
      yield [F, j(dir, `${name}.data.json`), ctx.size(), C]
      yield [F, j(dir, `${name}.meta.json`), ctx.size(200, 2000), C]
      if (depth < 4 && ctx.chance(0.25)) {
        yield [D, j(dir, name), 0, C]
        yield* mod(j(dir, name), depth + 1)
        ctx.forget(j(dir, name))
      }
    }
  }
  while (ctx.count < end) yield* mod(v, 0)
}

function* staticfiles(ctx, be, budget) {
  const s = j(be, 'staticfiles')
  const C = 'backend'
  yield [D, s, 0, C]
  yield [F, j(s, 'staticfiles.json'), 20480, C]
  const end = ctx.count + budget
  while (ctx.count < end) {
    const app = j(
      s,
      ctx.unique(
        s,
        () => ctx.pick(['admin', 'rest_framework', 'debug_toolbar', 'django_extensions']) + '_' + ctx.word(1, 1)
      )
    )
    yield [D, app, 0, C]
    for (const kind of ['css', 'js', 'img', 'fonts']) {
      if (ctx.count >= end) break
      const d = j(app, kind)
      yield [D, d, 0, C]
      const k = Math.min(end - ctx.count, ctx.int(10, 120))
      for (let i = 0; i < k; i++) {
        const base = ctx.unique(d, () => ctx.word(1, 3))
        const ext = { css: '.css', js: '.js', img: '.svg', fonts: '.woff2' }[kind]
        yield [F, j(d, `${base}${ext}`), ctx.size(), C]
        yield [F, j(d, `${base}.${ctx.hex(12)}${ext}`), ctx.size(), C] // ManifestStaticFilesStorage copy
        if (kind !== 'img' && ctx.chance(0.5)) yield [F, j(d, `${base}.${ctx.hex(12)}${ext}.gz`), ctx.size(), C]
      }
      ctx.forget(d)
    }
  }
}

// ---------------------------------------------------------------- the app

/** The whole app: shares of the entry budget per area. */
function* app(ctx, entries) {
  const share = (f) => Math.max(1, Math.floor(entries * f))
  const start = ctx.count
  yield [D, 'frontend', 0, null]
  yield* frontendSources(ctx, 'frontend', share(0.015))
  yield* nodeModules(ctx, 'frontend', share(0.5))
  yield* nodeModulesCache(ctx, 'frontend', share(0.05))
  yield* nextDir(ctx, 'frontend', share(0.09))
  yield* turbo(ctx, 'frontend', share(0.01))
  yield* outDir(ctx, 'frontend', share(0.025))
  yield [D, 'backend', 0, null]
  yield* djangoApps(ctx, 'backend', share(0.035))
  yield* pytestCache(ctx, 'backend')
  yield* mypyCache(ctx, 'backend', share(0.025))
  yield* staticfiles(ctx, 'backend', share(0.03))
  // The venv last: it tops the tree up to the requested entry count.
  yield* venv(ctx, 'backend', Math.max(1, entries - (ctx.count - start)))
}

/**
 * The wide shape: one cache directory holding almost every entry (what a busy
 * `.next/cache/fetch-cache` or an image cache becomes), beside a small app.
 * Files are small (up to 2 KB): the shape tests memory per directory, not bytes.
 */
function* wideApp(ctx, entries) {
  const start = ctx.count
  yield [D, 'frontend', 0, null]
  yield [D, 'frontend/src', 0, null]
  yield [F, 'frontend/src/index.js', ctx.size(), null]
  ctx.stats.srcEntries = 2
  yield [D, 'frontend/.next', 0, 'frontend']
  yield [F, 'frontend/.next/BUILD_ID', 21, 'frontend']
  yield [D, 'frontend/.next/cache', 0, 'frontend']
  const wide = 'frontend/.next/cache/fetch-cache'
  yield [D, wide, 0, 'frontend']
  yield [D, 'backend', 0, null]
  yield [F, 'backend/manage.py', ctx.size(), null]
  ctx.stats.py++
  const left = Math.max(1, entries - (ctx.count - start))
  for (let i = 0; i < left; i++)
    yield [F, `${wide}/${i.toString(16).padStart(8, '0')}${ctx.hex(24)}`, ctx.size(16, 2048), 'frontend']
}

/** Tree shapes: `app` (the realistic app) and `wide` (one directory holding nearly every entry). */
export const SHAPES = { app, wide: wideApp }

// ---------------------------------------------------------------- writing

/** The operations alone, for checks: [kind, relPath, sizeOrTarget, cacheOwner]. */
export function* treeOps(entries, seed = 1, shape = 'app') {
  const ctx = makeCtx(seed)
  ctx.stats = { py: 0, pyd: 0, srcEntries: 0, pkgCaches: 0 }
  for (const op of SHAPES[shape](ctx, entries)) {
    ctx.count++
    yield op
  }
}

/**
 * Generates the tree under root (which must not exist). Directories and links are
 * created synchronously as they come (children always come after their parent);
 * file writes run with bounded concurrency (0 = all sync).
 */
export async function generateTree(root, { entries, seed = 1, concurrency = 0, shape = 'app' } = {}) {
  const ctx = makeCtx(seed)
  ctx.stats = { py: 0, pyd: 0, srcEntries: 0, pkgCaches: 0 }
  const counts = { dirs: 0, files: 0, links: 0, bytes: 0 }
  const cache = { frontend: 0, backend: 0 }
  // One buffer of printable noise; every file is a prefix of it.
  const r = prng(seed ^ 0x5eed)
  const blob = Buffer.alloc(20480)
  for (let i = 0; i < blob.length; i++) blob[i] = 32 + Math.floor(r() * 95)

  fs.mkdirSync(root, { recursive: false })
  const t0 = process.hrtime.bigint()
  let inflight = 0
  let wake = null
  let failure = null
  const done = (err) => {
    inflight--
    if (err && !failure) failure = err
    if (wake) {
      const w = wake
      wake = null
      w()
    }
  }
  for (const [kind, rel, arg, owner] of SHAPES[shape](ctx, entries)) {
    ctx.count++
    if (owner) cache[owner]++
    const p = path.join(root, rel)
    if (kind === D) {
      fs.mkdirSync(p)
      counts.dirs++
    } else if (kind === L) {
      fs.symlinkSync(arg, p)
      counts.links++
    } else {
      counts.files++
      counts.bytes += arg
      if (concurrency <= 0) fs.writeFileSync(p, blob.subarray(0, arg))
      else {
        while (inflight >= concurrency) await new Promise((res) => (wake = res))
        if (failure) throw failure
        inflight++
        fs.writeFile(p, blob.subarray(0, arg), done)
      }
    }
  }
  while (inflight > 0) await new Promise((res) => (wake = res))
  if (failure) throw failure
  const genMs = Number(process.hrtime.bigint() - t0) / 1e6
  return {
    version: GEN_VERSION,
    shape,
    requestedEntries: entries,
    seed,
    entries: ctx.count,
    ...counts,
    cacheEntries: cache,
    py: ctx.stats.py,
    pyd: ctx.stats.pyd,
    srcEntries: ctx.stats.srcEntries,
    packageCacheDirs: ctx.stats.pkgCaches,
    genMs: Math.round(genMs),
    genConcurrency: concurrency
  }
}
