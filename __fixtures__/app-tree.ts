// A generated app with caches, links pointing out of the app, hardlinks and
// odd names. Tests create it in a temp dir and check exactly what goes.
import { execFileSync } from 'node:child_process'
import { chmodSync, linkSync, mkdirSync, readdirSync, lstatSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'

export interface AppTree {
  /** The app root (working-directory). */
  readonly root: string
  /** A directory outside the app that links point into; must never change. */
  readonly outside: string
  /** Cache paths each target must remove, relative to root. */
  readonly caches: { readonly frontend: readonly string[]; readonly backend: readonly string[] }
  /** Paths that must survive every target, relative to root. */
  readonly survivors: readonly string[]
}

const ODD_NAMES = [
  'with space',
  'new\nline',
  '-rf',
  '*',
  'quote\'"',
  'back\\slash',
  'naïve ☃ ünïcödé',
  'x'.repeat(255),
  '\u0001ctrl'
]

function file(root: string, rel: string, bytes = 100): void {
  const full = path.join(root, rel)
  mkdirSync(path.dirname(full), { recursive: true })
  writeFileSync(full, Buffer.alloc(bytes, 0x61))
}

export function makeAppTree(base: string): AppTree {
  const root = path.join(base, 'app')
  const outside = path.join(base, 'outside')
  file(outside, 'secret.txt', 5000)
  file(outside, 'cache-target/keep.bin', 5000)
  file(outside, 'pycache-target/keep.pyc', 5000)

  // Frontend caches.
  file(root, 'frontend/.next/cache/webpack/client.pack', 70_000)
  file(root, 'frontend/.next/server/app/page.js', 3000)
  file(root, 'frontend/.next/static/chunks/main.js', 9000)
  for (const name of ODD_NAMES) file(root, `frontend/.next/cache/odd/${name}`, 10)
  symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'frontend/.next/link-to-secret'))
  symlinkSync(outside, path.join(root, 'frontend/.next/link-to-outside-dir'))
  file(root, 'frontend/.turbo/turbo-build.log', 500)
  file(root, 'frontend/out/index.html', 1200)
  file(root, 'frontend/node_modules/.cache/babel-loader/a.json', 20_000)
  file(root, 'frontend/node_modules/some-pkg/.cache/b.bin', 8000)
  file(root, 'frontend/src/.cache/c.tmp', 300)
  // A `.cache` that is a link out of the app: the link goes, the target stays.
  mkdirSync(path.join(root, 'frontend/lib'), { recursive: true })
  symlinkSync(path.join(outside, 'cache-target'), path.join(root, 'frontend/lib/.cache'))
  // Hardlinks: a twin that survives frees nothing; a pair removed together frees once.
  file(root, 'frontend/src/hard-twin.bin', 40_000)
  linkSync(path.join(root, 'frontend/src/hard-twin.bin'), path.join(root, 'frontend/.next/cache/hard-inside.bin'))
  file(root, 'frontend/.next/cache/pair-a.bin', 30_000)
  linkSync(path.join(root, 'frontend/.next/cache/pair-a.bin'), path.join(root, 'frontend/.next/cache/pair-b.bin'))
  // Read-only directories are still removable by their owner's parent rights.
  file(root, 'frontend/.next/cache/readonly/f.txt', 10)
  chmodSync(path.join(root, 'frontend/.next/cache/readonly'), 0o555)

  // Frontend survivors.
  file(root, 'frontend/src/app/page.tsx', 400)
  file(root, 'frontend/node_modules/some-pkg/index.js', 400)
  file(root, 'frontend/node_modules/react/index.js', 400)
  file(root, 'frontend/public/logo.svg', 400)
  file(root, 'frontend/next.config.js', 100)
  file(root, 'frontend/cache/not-a-dot-cache.txt', 100)
  file(root, 'frontend/output/not-out.txt', 100)

  // Backend caches.
  file(root, 'backend/app/__pycache__/views.cpython-311.pyc', 6000)
  file(root, 'backend/app/stray.pyc', 700)
  file(root, 'backend/app/legacy.pyo', 700)
  file(root, 'backend/.pytest_cache/v/cache/lastfailed', 50)
  file(root, 'backend/.mypy_cache/3.11/app/views.data.json', 9000)
  file(root, 'backend/staticfiles/css/site.css', 12_000)
  file(root, 'backend/.venv/lib/python3.11/site-packages/django/__pycache__/__init__.cpython-311.pyc', 4000)
  file(root, 'backend/.venv/lib/python3.11/site-packages/django/__init__.py', 400)
  mkdirSync(path.join(root, 'backend/linked'), { recursive: true })
  symlinkSync(path.join(outside, 'pycache-target'), path.join(root, 'backend/linked/__pycache__'))

  // Backend survivors.
  file(root, 'backend/app/views.py', 800)
  file(root, 'backend/app/native.cpython-311-x86_64-linux-gnu.pyd', 800)
  file(root, 'backend/app/notes.pyc.txt', 100)
  file(root, 'backend/manage.py', 200)
  file(root, 'backend/static/css/source.css', 300)
  // A directory whose name ends in .pyc is not a compiled file.
  file(root, 'backend/app/dir.pyc/inside.py', 100)

  // Outside the targets altogether.
  file(root, 'README.md', 100)
  file(root, '.cache/root-level.txt', 100)
  file(root, 'docs/__pycache__/not-backend.pyc', 100)

  return {
    root,
    outside,
    caches: {
      frontend: [
        'frontend/.next',
        'frontend/.turbo',
        'frontend/out',
        'frontend/node_modules/.cache',
        'frontend/node_modules/some-pkg/.cache',
        'frontend/src/.cache',
        'frontend/lib/.cache'
      ],
      backend: [
        'backend/app/__pycache__',
        'backend/app/stray.pyc',
        'backend/app/legacy.pyo',
        'backend/.pytest_cache',
        'backend/.mypy_cache',
        'backend/staticfiles',
        'backend/.venv/lib/python3.11/site-packages/django/__pycache__',
        'backend/linked/__pycache__'
      ]
    },
    survivors: [
      'frontend/src/app/page.tsx',
      'frontend/src/hard-twin.bin',
      'frontend/node_modules/some-pkg/index.js',
      'frontend/node_modules/react/index.js',
      'frontend/public/logo.svg',
      'frontend/next.config.js',
      'frontend/cache/not-a-dot-cache.txt',
      'frontend/output/not-out.txt',
      'frontend/lib',
      'backend/app/views.py',
      'backend/app/native.cpython-311-x86_64-linux-gnu.pyd',
      'backend/app/notes.pyc.txt',
      'backend/manage.py',
      'backend/static/css/source.css',
      'backend/app/dir.pyc/inside.py',
      'backend/.venv/lib/python3.11/site-packages/django/__init__.py',
      'README.md',
      '.cache/root-level.txt',
      'docs/__pycache__/not-backend.pyc'
    ]
  }
}

/** Every path under `dir` (relative, sorted), links not followed: a snapshot to compare. */
export function listTree(dir: string): string[] {
  const found: string[] = []
  const walk = (rel: string): void => {
    for (const name of readdirSync(path.join(dir, rel))) {
      const child = rel === '' ? name : `${rel}/${name}`
      found.push(child)
      if (lstatSync(path.join(dir, child)).isDirectory()) walk(child)
    }
  }
  walk('')
  return found.sort()
}

export function exists(p: string): boolean {
  try {
    lstatSync(p)
    return true
  } catch {
    return false
  }
}

/** Makes a directory chain `depth` levels deep below `dir` (longer than PATH_MAX), with a file at the bottom. */
export function makeDeepTree(dir: string, depth: number): void {
  mkdirSync(dir, { recursive: true })
  // Relative mkdir/chdir in a child process: no single path exceeds PATH_MAX.
  const script = `const fs = require('fs'); process.chdir(process.argv[1]);
    for (let i = 0; i < ${depth}; i++) { fs.mkdirSync('d'); process.chdir('d') }
    fs.writeFileSync('f', 'bottom')`
  execFileSync(process.execPath, ['-e', script, dir])
}
