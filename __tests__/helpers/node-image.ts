// A Node.js image without a registry: this machine's node binary and the
// shared libraries `ldd` lists, imported into an engine with `docker import`,
// as the remote-node-image of the container tests.
import { execFileSync, spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { docker } from './engine.js'

/** The files node needs to start: itself, its libraries and the dynamic loader, as absolute paths. */
function nodeFiles(): string[] {
  const node = realpathSync(process.execPath)
  const ldd = execFileSync('ldd', [node], { encoding: 'utf8' })
  // "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x...)" or "/lib64/ld-linux-x86-64.so.2 (0x...)"
  const libraries = [...ldd.matchAll(/(?:=>\s*)?(\/\S+)\s+\(0x/g)].map((match) => match[1])
  return [node, ...libraries]
}

/**
 * Imports the image as `tag` into the engine at `host` (DOCKER_HOST); node is
 * /usr/local/bin/node, on PATH. `files` (absolute path → text) and `changes`
 * (Dockerfile lines such as ENV) are added.
 */
export async function makeNodeImage(
  host: string,
  tag: string,
  files: Record<string, string> = {},
  changes: string[] = []
): Promise<string> {
  const root = mkdtempSync('/tmp/cac-node-image-')
  try {
    for (const file of nodeFiles()) {
      const target = path.join(root, file === realpathSync(process.execPath) ? '/usr/local/bin/node' : file)
      mkdirSync(path.dirname(target), { recursive: true })
      // The loader and libraries are often links: copy what they point to, under the name ldd gave.
      copyFileSync(realpathSync(file), target)
    }
    mkdirSync(path.join(root, 'etc'))
    writeFileSync(path.join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\n')
    writeFileSync(path.join(root, 'etc/group'), 'root:x:0:\n')
    mkdirSync(path.join(root, 'tmp'), { mode: 0o1777 })
    mkdirSync(path.join(root, 'root'))
    for (const [file, text] of Object.entries(files)) writeFileSync(path.join(root, file), text)
    const tar = spawnSync('tar', ['-C', root, '-c', '.'], { maxBuffer: 512 * 1024 * 1024 })
    if (tar.status !== 0) throw new Error(`tar failed: ${tar.stderr.toString()}`)
    const allChanges = ['ENV PATH=/usr/local/bin:/usr/bin:/bin', ...changes].flatMap((change) => ['--change', change])
    await docker(host, ['import', ...allChanges, '-', tag], { input: tar.stdout })
    return tag
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
}
