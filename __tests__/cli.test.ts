// The CLI (dist/cli.cjs, loading the one bundle dist/index.js) on real trees: same engine, same results as the action.
import { describe, expect, it } from '@jest/globals'
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import path from 'node:path'
import { exists, listTree, type AppTree } from '../__fixtures__/app-tree.js'
import { makeImmutable, tempAppTree, tempDir } from '../__fixtures__/temp.js'
import { runnerEnv } from '../scripts/runner-env.mjs'
import { MIN_NODE_MAJOR, nodeTooOld } from '../src/cli.js'
import { MIN_NODE_MAJOR as REMOTE_MIN_NODE_MAJOR } from '../src/remote/protocol.js'
import { BUNDLE, REPO_ROOT, runAction } from './helpers/run-action.js'

const CLI = path.join(REPO_ROOT, 'dist', 'cli.cjs')

const app = (): AppTree => tempAppTree('cac-cli-')

function cli(args: string[], cwd = tmpdir()): { status: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8' })
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr }
}

describe('dist/cli.cjs', () => {
  it('clears a real tree with the same results as the action', async () => {
    const forCli = app()
    const forAction = app()
    const result = cli(['frontend', 'backend', '--root', forCli.root, '--json'])
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
    const { outputs } = JSON.parse(result.stdout) as { outputs: Record<string, string> }
    const action = await runAction(forAction.root, { target: 'frontend,backend' })
    expect(outputs).toEqual(action.outputs)
    expect(listTree(forCli.root)).toEqual(listTree(forAction.root))
  })

  it('prints the summary table as text, and a dry run deletes nothing', () => {
    const tree = app()
    const before = listTree(tree.root)
    const result = cli(['all', '--root', tree.root, '--dry-run'], tree.root)
    expect(listTree(tree.root)).toEqual(before)
    expect(result.stdout).toMatch(/^DRY RUN/)
    expect(result.stdout).toMatch(/PATH\s+TARGET\s+ENTRIES\s+SIZE/)
    expect(result.stdout).toMatch(/frontend\/\.next\s+frontend\s+\d+\s+[\d.]+ kB/)
    expect(result.stdout).toMatch(/Would reclaim:\s+[\d.]+ kB/)
  })

  it('defaults to the current directory as the root', () => {
    const tree = app()
    const result = cli(['backend'], tree.root)
    expect(result.status).toBe(0)
    expect(exists(path.join(tree.root, 'backend/app/__pycache__'))).toBe(false)
  })

  it('--help prints usage and exits 0', () => {
    const result = cli(['--help'])
    expect(result.status).toBe(0)
    expect(result.stdout).toMatch(/^Usage: node dist\/cli\.cjs \[TARGET\.\.\.\]/)
    expect(result.stdout).toMatch(/Exit codes: 0 cleared, 1 something could not be cleared, 2 bad usage/)
  })

  it.each([
    [['nonsense'], /error: 'TARGET' has an unknown value 'nonsense'\. Valid values: frontend, backend, docker, all/],
    [['--bogus'], /error: Unknown option '--bogus'/],
    [['frontend', '--frontend-path', '../x'], /error: '--frontend-path' must stay under working-directory/],
    [['frontend', '--root', '/nonexistent/app'], /error: '--root': '\/nonexistent\/app' is not a directory/]
  ])('bad usage %j exits 2 and changes nothing', (args, message) => {
    const tree = app()
    const before = listTree(tree.root)
    const result = cli(args, tree.root)
    expect(result.status).toBe(2)
    expect(result.stderr).toMatch(message)
    expect(listTree(tree.root)).toEqual(before)
  })

  it('clears names that are not UTF-8 and shows them readably (the cases of issue 10)', () => {
    const tree = app()
    const at = (latin1: string): Buffer => Buffer.concat([Buffer.from(`${tree.root}/`), Buffer.from(latin1, 'latin1')])
    mkdirSync(at('backend/\xe9t\xe9/__pycache__'), { recursive: true })
    for (const file of [
      'frontend/.next/cache/\xff\xfe-bytes.js',
      'backend/\xe9t\xe9/__pycache__/m.pyc',
      'backend/\xe9t\xe9/x.pyc'
    ])
      writeFileSync(at(file), 'x')
    const result = cli(['frontend', 'backend', '--root', tree.root, '--json'])
    expect(result.status).toBe(0)
    const { outputs } = JSON.parse(result.stdout) as { outputs: Record<string, string> }
    expect(JSON.parse(outputs['cleared-paths'])).toEqual(
      expect.arrayContaining(['backend/\\xe9t\\xe9/__pycache__', 'backend/\\xe9t\\xe9/x.pyc'])
    )
    for (const file of ['frontend/.next', 'backend/\xe9t\xe9/__pycache__', 'backend/\xe9t\xe9/x.pyc'])
      expect([file, existsSync(at(file))]).toEqual([file, false])
  })

  it('exits 1 when something could not be cleared, naming it', () => {
    const tree = app()
    const stuck = path.join(tree.root, 'frontend/.next/static/chunks/main.js')
    if (!makeImmutable(stuck)) return
    const result = cli(['frontend', '--root', tree.root])
    expect(result.status).toBe(1)
    expect(result.stderr).toMatch(/error: frontend\/\.next\/static\/chunks\/main\.js: EPERM/)
  })
})

describe('the launchers', () => {
  // Reports the process's thread count on exit; a CommonJS preload, so it does
  // not start libuv's pool itself the way an ES module would.
  const probe = (): string => {
    const file = path.join(tempDir('cac-probe-'), 'threads.cjs')
    writeFileSync(
      file,
      "process.on('exit', () => process.stderr.write(require('fs').readFileSync('/proc/self/status', 'utf8').match(/Threads:\\s+(\\d+)/)[0] + '\\n'))\n"
    )
    return file
  }
  const threads = (launcher: string, env: Record<string, string | undefined>): number => {
    const tree = app()
    // The CLI takes its arguments; the action its INPUT_* variables (and ignores the arguments).
    const result = spawnSync(process.execPath, ['--require', probe(), launcher, 'backend', '--root', tree.root], {
      cwd: tree.root,
      encoding: 'utf8',
      env: { ...process.env, 'INPUT_WORKING-DIRECTORY': tree.root, INPUT_SUMMARY: 'false', ...env }
    })
    expect(result.status).toBe(0)
    return Number(/Threads:\s+(\d+)/.exec(result.stderr)?.[1])
  }

  it.each([['index.cjs'], ['cli.cjs']])(
    'dist/%s sizes the thread pool at 4 per core before the bundle loads',
    (name) => {
      if (process.platform !== 'linux') return
      const launcher = path.join(REPO_ROOT, 'dist', name)
      const withEnv = { UV_THREADPOOL_SIZE: undefined, INPUT_TARGET: 'backend' }
      const expected = Math.min(64, 4 * availableParallelism())
      // The same process with libuv's default pool of 4: the difference is the launcher's doing.
      expect(threads(launcher, withEnv) - threads(launcher, { ...withEnv, UV_THREADPOOL_SIZE: '4' })).toBe(expected - 4)
    }
  )
})

describe('the CLI never loads @actions/core', () => {
  // A CommonJS preload that writes down every file the process requires: the
  // bundle's chunks are required by file name when an import() first needs them.
  const recorder = (): { hook: string; list: string } => {
    const dir = tempDir('cac-loads-')
    const hook = path.join(dir, 'record.cjs')
    writeFileSync(
      hook,
      [
        "const Module = require('module')",
        'const files = new Set()',
        'const load = Module._load',
        'Module._load = function (request, parent, isMain) {',
        '  try { files.add(Module._resolveFilename(request, parent, isMain)) } catch {}',
        '  return load.apply(this, arguments)',
        '}',
        "process.on('exit', () => require('fs').writeFileSync(" +
          JSON.stringify(path.join(dir, 'loaded')) +
          ", [...files].join('\\n')))"
      ].join('\n')
    )
    return { hook, list: path.join(dir, 'loaded') }
  }
  const loaded = (entry: string, args: string[], env: Record<string, string>, cwd: string): string[] => {
    const { hook, list } = recorder()
    spawnSync(process.execPath, ['--require', hook, entry, ...args], {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, ...env }
    })
    return readFileSync(list, 'utf8')
      .split('\n')
      .filter((file) => file.startsWith(path.join(REPO_ROOT, 'dist')))
      .map((file) => path.basename(file))
  }
  // The chunk that carries @actions/core: the only one with its file commands' delimiter.
  const coreChunks = (): string[] =>
    readdirSync(path.join(REPO_ROOT, 'dist')).filter(
      (name) =>
        /^\d+\.index\.js$/.test(name) &&
        readFileSync(path.join(REPO_ROOT, 'dist', name), 'utf8').includes('ghadelimiter_')
    )

  it('on every path it can take: files, docker, the Actions cache, SSH, --help; the action does load it', () => {
    const chunks = coreChunks()
    expect(chunks).toHaveLength(1)
    const tree = app()
    const home = tempDir('cac-home-')
    mkdirSync(path.join(home, '.ssh'))
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(home, '.ssh', 'id_ed25519')])
    const publicKey = readFileSync(path.join(home, '.ssh', 'id_ed25519.pub'), 'utf8')
      .split(' ')
      .slice(0, 2)
      .join(' ')
    writeFileSync(path.join(home, '.ssh', 'known_hosts'), `[127.0.0.1]:9 ${publicKey}\n`)
    // Every remote part refused at once, on loopback: the run still loads each room's chunks.
    const env = {
      HOME: home,
      GITHUB_TOKEN: 'not-a-token',
      GITHUB_API_URL: 'http://127.0.0.1:9',
      DOCKER_HOST: `unix://${path.join(home, 'no-docker.sock')}`
    }
    const cli = path.join(REPO_ROOT, 'dist', 'cli.cjs')
    const runs = [
      ['frontend', 'backend', '--root', tree.root],
      ['all', 'actions-cache', '--root', tree.root, '--repo', 'octo/web', '--actions-cache-key', 'x-', '--json'],
      ['docker', '--ssh-host', '127.0.0.1:9', '-F', 'none'],
      ['--help']
    ].map((args) => loaded(cli, args, env, tree.root))
    const all = new Set(runs.flat())
    // Each run really went through the bundle and its rooms.
    expect(all.size).toBeGreaterThan(4)
    expect([...all].filter((name) => chunks.includes(name))).toEqual([])

    const action = loaded(
      BUNDLE,
      [],
      runnerEnv({
        workspace: tree.root,
        inputs: { target: 'backend', summary: 'false' },
        outputFile: '',
        summaryFile: '',
        tempDir: home
      }),
      tree.root
    )
    expect(action).toEqual(expect.arrayContaining(chunks))
  })
})

describe('the Node.js versions promised', () => {
  it("package.json's engines is the floor the CLI checks; the remote engine asks a host for no more", () => {
    const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }
    expect(pkg.engines.node).toBe(`>=${MIN_NODE_MAJOR}`)
    expect(REMOTE_MIN_NODE_MAJOR).toBeLessThanOrEqual(MIN_NODE_MAJOR)
    expect(readFileSync(path.join(REPO_ROOT, 'action.yml'), 'utf8')).toMatch(/^ {2}using: ['"]?node24['"]?$/m)
    expect(nodeTooOld('20.0.0')).toBeUndefined()
    expect(nodeTooOld('24.11.1')).toBeUndefined()
    expect(nodeTooOld('18.19.1')).toBe(
      'clear-app-caches needs Node.js 20 or later (22 or later recommended); this is v18.19.1'
    )
  })

  // A CommonJS preload that makes this node say it is another version.
  const pretend = (version: string): string => {
    const file = path.join(tempDir('cac-node-'), 'version.cjs')
    writeFileSync(
      file,
      `Object.defineProperty(process.versions, 'node', { value: '${version}' })\n` +
        `Object.defineProperty(process, 'version', { value: 'v${version}' })\n`
    )
    return file
  }

  it('dist/cli.cjs on a node older than 20: exit 2 naming the version, nothing touched', () => {
    const tree = app()
    const before = listTree(tree.root)
    const result = spawnSync(
      process.execPath,
      ['--require', pretend('18.19.1'), CLI, 'frontend', '--root', tree.root],
      {
        encoding: 'utf8'
      }
    )
    expect(result.status).toBe(2)
    expect(result.stderr).toBe(
      'error: clear-app-caches needs Node.js 20 or later (22 or later recommended); this is v18.19.1\n'
    )
    expect(result.stdout).toBe('')
    expect(listTree(tree.root)).toEqual(before)
  })

  it('dist/cli.cjs on Node 20.0.0 runs', () => {
    const tree = app()
    const result = spawnSync(
      process.execPath,
      ['--require', pretend('20.0.0'), CLI, 'frontend', '--root', tree.root, '--json'],
      { encoding: 'utf8' }
    )
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
  })
})
