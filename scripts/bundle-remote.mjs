// Bundles the remote file engine (src/remote-entry.ts) as one CommonJS file,
// which the bootstrap in src/remote/protocol.ts evaluates from a string on a
// host with nothing installed but node. The ncc CLI makes ESM in this package
// ("type": "module"), and ESM cannot be evaluated from a string with require;
// its API makes CommonJS on request. Usage: node scripts/bundle-remote.mjs OUT_FILE
import { writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ncc = createRequire(import.meta.url)('@vercel/ncc')
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..')
// Type errors are the type check's to report (npm test), not this bundle's: ncc would check every file of the project.
const { code, assets } = await ncc(path.join(root, 'src/remote-entry.ts'), {
  esm: false,
  quiet: true,
  transpileOnly: true
})
// Anything beside the code (a native module, a data file) could not travel with it.
if (Object.keys(assets).length > 0) throw new Error(`the remote bundle needs assets: ${Object.keys(assets).join(', ')}`)
writeFileSync(process.argv[2], code)
