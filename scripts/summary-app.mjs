// The app the summary pictures show (docs/summary.png, docs/summary-full.png):
// a small but realistic Next.js + Django tree, about 12 MB of caches next to
// sources that must stay, with fixed sizes and contents so the pictures stay
// the same run to run. Used by scripts/render-summary.mjs and by
// __tests__/summary-full.test.ts (which builds it on an SSH host).
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'

/** Writes `bytes` bytes of a fixed pattern (sizes, and so the picture, stay the same run to run). */
function file(root, rel, bytes) {
  const full = path.join(root, rel)
  mkdirSync(path.dirname(full), { recursive: true })
  writeFileSync(full, Buffer.alloc(bytes, rel.length % 251))
}

const KB = 1024
const MB = 1024 * KB

/** Builds the app under `base`/app; returns that directory. */
export function makeApp(base) {
  const app = path.join(base, 'app')
  // Next.js build output and its webpack cache.
  file(app, 'frontend/.next/cache/webpack/client-production/0.pack', 3 * MB + 412 * KB)
  file(app, 'frontend/.next/cache/webpack/client-production/index.pack', 96 * KB)
  file(app, 'frontend/.next/cache/webpack/server-production/0.pack', 2 * MB + 188 * KB)
  file(app, 'frontend/.next/cache/webpack/server-production/index.pack', 71 * KB)
  file(app, 'frontend/.next/cache/images/hero.webp', 184 * KB)
  for (const [i, name] of ['main', 'framework', 'webpack', 'pages/_app', 'app/layout', 'app/page'].entries())
    file(app, `frontend/.next/static/chunks/${name}-${(0x3f2a9c + i * 7919).toString(16)}.js`, (40 + i * 23) * KB)
  file(app, 'frontend/.next/static/css/app.css', 38 * KB)
  file(app, 'frontend/.next/server/app/page.js', 212 * KB)
  file(app, 'frontend/.next/server/app/layout.js', 64 * KB)
  file(app, 'frontend/.next/build-manifest.json', 2 * KB)
  file(app, 'frontend/.next/trace', 310 * KB)
  file(app, 'frontend/.turbo/turbo-build.log', 6 * KB)
  file(app, 'frontend/out/index.html', 18 * KB)
  file(app, 'frontend/out/_next/static/chunks/main.js', 120 * KB)
  file(app, 'frontend/node_modules/.cache/babel-loader/4f1c2e.json', 420 * KB)
  file(app, 'frontend/node_modules/.cache/eslint/.eslintcache', 88 * KB)
  // Frontend sources and dependencies (stay).
  file(app, 'frontend/package.json', 1 * KB)
  file(app, 'frontend/next.config.js', 1 * KB)
  file(app, 'frontend/src/app/page.tsx', 3 * KB)
  file(app, 'frontend/node_modules/react/index.js', 2 * KB)

  // Django: bytecode, test and type-check caches, collected static files.
  for (const pkg of ['config', 'shop', 'accounts', 'api'])
    for (const mod of ['__init__', 'models', 'views', 'urls', 'admin'])
      file(app, `backend/${pkg}/__pycache__/${mod}.cpython-312.pyc`, (3 + mod.length * 2) * KB)
  file(app, 'backend/.pytest_cache/v/cache/lastfailed', 1 * KB)
  file(app, 'backend/.pytest_cache/v/cache/nodeids', 14 * KB)
  file(app, 'backend/.mypy_cache/3.12/shop/models.data.json', 610 * KB)
  file(app, 'backend/.mypy_cache/3.12/builtins.data.json', 1 * MB + 240 * KB)
  file(app, 'backend/staticfiles/admin/css/base.css', 22 * KB)
  file(app, 'backend/staticfiles/admin/js/core.js', 9 * KB)
  file(app, 'backend/staticfiles/shop/app.js', 340 * KB)
  // Django sources (stay).
  file(app, 'backend/manage.py', 1 * KB)
  file(app, 'backend/shop/models.py', 6 * KB)
  return app
}
