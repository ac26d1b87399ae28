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
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { checkLicenses, parseLicensesTxt, runtimePackages } from './check-licenses.mjs'

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
  if (/^\d+\.index\.js$/.test(name)) writeFileSync(path.join(out, name), source)
}
writeFileSync(path.join(out, 'licenses.txt'), withMissedNotices(String(assets['licenses.txt'].source)))
// The package around dist/ is "type": "module": this makes its .js files CommonJS.
writeFileSync(path.join(out, 'package.json'), '{ "type": "commonjs" }\n')

/**
 * ncc's license plugin skips a bundled package whose nearest package.json has
 * no name (ssh-config 5's dist/package.json), so its notice would ship
 * without its text: add each runtime package licenses.txt does not name, in
 * the plugin's own format (name, SPDX id, license text), from its LICENSE file.
 */
function withMissedNotices(licensesTxt) {
  const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8'))
  const { warnings } = checkLicenses({ licensesTxt, lock, root })
  const missed = new Set(warnings.map((warning) => warning.replace(/@[^@]*$/, '')))
  let text = licensesTxt
  for (const pkg of runtimePackages(lock, root).filter((p) => missed.has(p.name))) {
    const file = ['LICENSE', 'LICENSE.md', 'LICENSE.txt', 'license']
      .map((name) => path.join(root, 'node_modules', pkg.name, name))
      .find((candidate) => existsSync(candidate))
    if (!file) continue
    const notice = `${pkg.name}\n${pkg.license}\n${readFileSync(file, 'utf8').trim()}\n\n\n`
    // The plugin writes entries in name order, each after two blank lines; keep that order.
    const next = parseLicensesTxt(text).find((entry) => entry.name > pkg.name)
    const at = next ? text.search(new RegExp(`(?<=\\n\\n)${next.name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\n`)) : -1
    text = at >= 0 ? text.slice(0, at) + notice + text.slice(at) : `${text}\n\n${notice.trimEnd()}\n`
  }
  return text
}
