// Bundles both front doors, the action and the CLI, as ONE CommonJS bundle:
// OUT_DIR/index.js (src/index.ts, which picks the front door) and the chunks
// it loads on demand (N.index.js: the CLI, the action, the SSH client, the
// Docker engine client, Octokit...), shared by the two. CommonJS because
// Node's ES module loader alone costs a run with nothing to clear about a
// tenth of its time and 2 MB. ncc's API makes CommonJS on request (its CLI
// makes ESM in this "type": "module" package); the type check must stay on,
// since ts-loader's transpile-only mode turns this ESM source into require()
// calls, which the ESM-only dependencies refuse.
// Usage: node scripts/bundle-dist.mjs OUT_DIR
import { mkdirSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ncc = createRequire(import.meta.url)('@vercel/ncc')
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..')
const out = process.argv[2]
const { code, assets } = await ncc(path.join(root, 'src/index.ts'), {
  esm: false,
  quiet: true,
  license: 'licenses.txt'
})
mkdirSync(out, { recursive: true })
writeFileSync(path.join(out, 'index.js'), code)
// Only the chunks and the licenses are kept: ncc also emits ssh2's and
// cpu-features' optional native .node builds (and pagent.exe, for Windows);
// ssh2 falls back to pure JavaScript without them.
for (const [name, { source }] of Object.entries(assets)) {
  if (name === 'licenses.txt' || /^\d+\.index\.js$/.test(name)) writeFileSync(path.join(out, name), source)
}
// The package around dist/ is "type": "module": this makes its .js files CommonJS.
writeFileSync(path.join(out, 'package.json'), '{ "type": "commonjs" }\n')
