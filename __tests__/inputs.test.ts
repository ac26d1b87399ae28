import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import {
  InputError,
  confinePath,
  parseBoolean,
  parseDockerFilters,
  parseDockerSize,
  parseImageReference,
  parseList,
  parseProxyJump,
  parseSshHost,
  parseTargets,
  parseUnusedFor,
  readSettings
} from '../src/inputs.js'

describe('parseTargets', () => {
  it.each([
    ['', ['frontend', 'backend', 'docker'], false],
    ['   ', ['frontend', 'backend', 'docker'], false],
    ['all', ['frontend', 'backend', 'docker'], false],
    ['frontend', ['frontend'], false],
    ['backend', ['backend'], false],
    ['docker', ['docker'], true],
    ['frontend,docker', ['frontend', 'docker'], true],
    ['docker frontend', ['frontend', 'docker'], true],
    ['Frontend, BACKEND', ['frontend', 'backend'], false],
    ['frontend,,frontend', ['frontend'], false],
    ['all,docker', ['frontend', 'backend', 'docker'], true],
    ['backend\nfrontend', ['frontend', 'backend'], false]
  ])('%j → %j (docker required: %s)', (raw, targets, dockerRequired) => {
    expect(parseTargets(raw)).toEqual({ targets, dockerRequired })
  })

  it.each(['nonsense', 'front', 'frontend;rm -rf /', 'all,cache'])(
    'refuses %j, naming the input and valid values',
    (raw) => {
      expect(() => parseTargets(raw)).toThrow(InputError)
      expect(() => parseTargets(raw)).toThrow(/Input 'target'.*Valid values: frontend, backend, docker, all/)
    }
  )
})

describe('parseBoolean', () => {
  it.each([
    ['true', true],
    ['True', true],
    ['TRUE', true],
    ['false', false],
    ['False', false],
    ['FALSE', false],
    ['', true]
  ])('%j → %s (default true)', (raw, expected) => {
    expect(parseBoolean('dry-run', raw, true)).toBe(expected)
  })

  it.each(['yes', '1', 'on', 'maybe'])('refuses %j', (raw) => {
    expect(() => parseBoolean('dry-run', raw, false)).toThrow(/Input 'dry-run' must be a boolean: true or false/)
  })
})

describe('parseList', () => {
  it.each([
    ['', []],
    ['a', ['a']],
    ['a,b', ['a', 'b']],
    ['a\nb\n\n c ', ['a', 'b', 'c']],
    ['a, b\nc', ['a', 'b', 'c']]
  ])('%j → %j', (raw, expected) => {
    expect(parseList(raw)).toEqual(expected)
  })
})

describe('confinePath', () => {
  const root = '/srv/app'
  it.each([
    ['frontend', 'frontend'],
    ['./frontend/', 'frontend'],
    ['web/../frontend', 'frontend'],
    ['/srv/app/frontend', 'frontend'],
    ['apps/web', 'apps/web'],
    ['.', '.']
  ])('%j → %j', (raw, expected) => {
    expect(confinePath('frontend-path', root, raw, true)).toBe(expected)
  })

  it.each(['../x', '..', 'a/../../x', '/etc', '/srv/app-other', '/srv'])('refuses %j', (raw) => {
    expect(() => confinePath('frontend-path', root, raw, true)).toThrow(
      /Input 'frontend-path' must stay under working-directory/
    )
  })

  it('refuses the root itself for extra-paths', () => {
    expect(() => confinePath('extra-paths', root, '.', false)).toThrow(/not the directory itself/)
    expect(() => confinePath('extra-paths', root, 'x/..', false)).toThrow(/not the directory itself/)
  })
})

describe('docker inputs', () => {
  it.each([
    ['', []],
    ['until=24h', ['until=24h']],
    ['until=24h\n type=exec.cachemount \n', ['until=24h', 'type=exec.cachemount']]
  ])('filters %j → %j', (raw, expected) => {
    expect(parseDockerFilters(raw)).toEqual(expected)
  })

  it.each(['until', '=24h', 'until 24h'])('refuses filter %j', (raw) => {
    expect(() => parseDockerFilters(raw)).toThrow(/Input 'docker-filter'/)
  })

  // The docker CLI's reading (opts.MemBytes -> go-units RAMInBytes): binary units, b/ib optional, one space allowed.
  it.each([
    ['', undefined],
    ['5GB', 5 * 1024 ** 3],
    ['5gb', 5 * 1024 ** 3],
    ['5G', 5 * 1024 ** 3],
    ['5GiB', 5 * 1024 ** 3],
    ['5 GB', 5 * 1024 ** 3],
    ['512MB', 512 * 1024 ** 2],
    ['512m', 512 * 1024 ** 2],
    ['1.5g', 1.5 * 1024 ** 3],
    ['0.5k', 512],
    ['1000', 1000],
    ['1000b', 1000],
    ['1000B', 1000],
    ['2.7', 2],
    ['1p', 1024 ** 5],
    ['0', 0]
  ])('size %j → %s', (raw, expected) => {
    expect(parseDockerSize('docker-reserved-space', raw)).toBe(expected)
  })

  it.each(['lots', '5 parsecs', '-1GB', '5 G B', '5GBB', '5bb', '5kib2', '5xb', 'GB', '5  GB', '1,5g'])(
    'refuses size %j, naming the input',
    (raw) => {
      expect(() => parseDockerSize('docker-max-used-space', raw)).toThrow(
        /Input 'docker-max-used-space' must be a size as the docker CLI reads it/
      )
    }
  )
})

describe('readSettings', () => {
  const defaults: Record<string, string> = {
    target: 'all',
    'working-directory': '/work/space',
    'frontend-path': 'frontend',
    'backend-path': 'backend',
    'extra-paths': '',
    'dry-run': 'false',
    summary: 'true',
    'docker-prune-all': 'true',
    'docker-filter': '',
    'docker-reserved-space': '',
    'docker-max-used-space': '',
    'docker-min-free-space': '',
    'docker-keep-storage': ''
  }
  const reader = (overrides: Record<string, string>) => (name: string) => ({ ...defaults, ...overrides })[name] ?? ''

  it('turns action.yml defaults into settings', async () => {
    expect(await readSettings(reader({}), '/cwd')).toEqual({
      targets: ['frontend', 'backend', 'docker'],
      dockerRequired: false,
      root: '/work/space',
      frontendPath: 'frontend',
      backendPath: 'backend',
      extraPaths: [],
      dryRun: false,
      summary: true,
      docker: {
        pruneAll: true,
        filters: [],
        reservedBytes: undefined,
        maxUsedBytes: undefined,
        minFreeBytes: undefined
      },
      inputWarnings: []
    })
  })

  it('reads the prune sizes under Docker CLI 28 names', async () => {
    const settings = await readSettings(
      reader({ 'docker-reserved-space': '1GB', 'docker-max-used-space': '10g', 'docker-min-free-space': '20 GiB' }),
      '/cwd'
    )
    expect(settings.docker).toEqual({
      pruneAll: true,
      filters: [],
      reservedBytes: 1024 ** 3,
      maxUsedBytes: 10 * 1024 ** 3,
      minFreeBytes: 20 * 1024 ** 3
    })
    expect(settings.inputWarnings).toEqual([])
  })

  it('docker-keep-storage is the deprecated name of docker-reserved-space: same value, a warning', async () => {
    const settings = await readSettings(reader({ 'docker-keep-storage': '5GB' }), '/cwd')
    expect(settings.docker.reservedBytes).toBe(5 * 1024 ** 3)
    expect(settings.inputWarnings).toEqual([
      expect.stringMatching(/'docker-keep-storage' is deprecated: use 'docker-reserved-space'/)
    ])
  })

  it('refuses docker-keep-storage together with docker-reserved-space', async () => {
    await expect(
      readSettings(reader({ 'docker-keep-storage': '5GB', 'docker-reserved-space': '1GB' }), '/cwd')
    ).rejects.toThrow(/Inputs 'docker-reserved-space' and 'docker-keep-storage' are the same setting/)
  })

  it.each(['docker-reserved-space', 'docker-max-used-space', 'docker-min-free-space', 'docker-keep-storage'])(
    'a bad %s is an InputError naming it',
    async (name) => {
      await expect(readSettings(reader({ [name]: 'lots' }), '/cwd')).rejects.toThrow(
        new RegExp(`Input '${name}' must be a size`)
      )
    }
  )

  it('takes remote-node-image as an image reference, the default when empty', () => {
    expect(parseImageReference('remote-node-image', ' ')).toBe('node:22-slim')
    for (const image of ['cac-node:test', 'registry.example.com:5000/team/node:22@sha256:' + 'a'.repeat(64)])
      expect(parseImageReference('remote-node-image', image)).toBe(image)
    for (const bad of ['node 22', '--privileged', "node'22"])
      expect(() => parseImageReference('remote-node-image', bad)).toThrow(
        /^Input 'remote-node-image' must be an image reference such as node:22-slim/
      )
  })

  it('resolves an empty working-directory to the workspace and a relative one against cwd', async () => {
    expect((await readSettings(reader({ 'working-directory': '' }), '/cwd', '/ws')).root).toBe('/ws')
    expect((await readSettings(reader({ 'working-directory': 'apps/site' }), '/cwd')).root).toBe('/cwd/apps/site')
  })

  it('takes every input when all are unset (a push event passes empty values)', async () => {
    const settings = await readSettings(() => '', '/cwd')
    expect(settings.targets).toEqual(['frontend', 'backend', 'docker'])
    expect(settings.frontendPath).toBe('frontend')
    expect(settings.backendPath).toBe('backend')
    expect(settings.dryRun).toBe(false)
  })

  it('confines extra-paths', async () => {
    expect((await readSettings(reader({ 'extra-paths': 'tmp/cache\n**/*.log, build' }), '/cwd')).extraPaths).toEqual([
      'tmp/cache',
      '**/*.log',
      'build'
    ])
    await expect(readSettings(reader({ 'extra-paths': 'ok\n../../etc' }), '/cwd')).rejects.toThrow(
      /Input 'extra-paths'/
    )
  })
})

describe('parseSshHost', () => {
  it.each([
    ['deploy@example.com', 'deploy', 'example.com', 22],
    ['deploy@example.com:2222', 'deploy', 'example.com', 2222],
    ['ssh://deploy@example.com', 'deploy', 'example.com', 22],
    ['ssh://deploy@example.com:2222', 'deploy', 'example.com', 2222],
    ['ssh://deploy@example.com/', 'deploy', 'example.com', 22],
    ['  deploy@10.0.0.5  ', 'deploy', '10.0.0.5', 22],
    ['deploy@[2001:db8::1]', 'deploy', '2001:db8::1', 22],
    ['deploy@[2001:db8::1]:2222', 'deploy', '2001:db8::1', 2222],
    ['ssh://de.ploy_1@[::1]:22', 'de.ploy_1', '::1', 22]
  ])('%j → %s @ %s port %d', (raw, user, host, port) => {
    expect(parseSshHost(raw)).toEqual({ user, host, port })
  })

  it.each([
    'example.com',
    '@example.com',
    'deploy@',
    'deploy@example.com:0',
    'deploy@example.com:65536',
    'deploy@example.com:port',
    'deploy@2001:db8::1',
    'deploy@exa mple.com',
    'deploy@example.com;id',
    'deploy@$(id)',
    '-oProxyCommand=id@example.com',
    'http://deploy@example.com',
    'deploy@example.com/srv'
  ])('refuses %j, naming the input and the forms', (raw) => {
    expect(() => parseSshHost(raw)).toThrow(InputError)
    expect(() => parseSshHost(raw)).toThrow(/^Input 'ssh-host' must be user@host, user@host:port or ssh:\/\/user@host/)
  })
})

describe('parseProxyJump', () => {
  const hop = (user: string, host: string, port = 22): { user: string; host: string; port: number } => ({
    user,
    host,
    port
  })
  it.each([
    ['', []],
    ['  \n ', []],
    ['jump@bastion.example.com', [hop('jump', 'bastion.example.com')]],
    ['jump@bastion.example.com:2222', [hop('jump', 'bastion.example.com', 2222)]],
    ['ssh://jump@bastion.example.com:2222', [hop('jump', 'bastion.example.com', 2222)]],
    ['jump@[2001:db8::1]:22', [hop('jump', '2001:db8::1')]],
    ['a@one.example.com,b@two.example.com:2200', [hop('a', 'one.example.com'), hop('b', 'two.example.com', 2200)]],
    ['a@one.example.com\nssh://b@[::1]\n', [hop('a', 'one.example.com'), hop('b', '::1')]],
    [' a@10.0.0.1 , b@10.0.0.2 ', [hop('a', '10.0.0.1'), hop('b', '10.0.0.2')]]
  ])('%j → %j, in the order given (the first is dialled)', (raw, hops) => {
    expect(parseProxyJump(raw)).toEqual(hops)
  })

  it.each([
    ['bastion.example.com', 'bastion.example.com'],
    ['jump@bastion:0', 'jump@bastion:0'],
    ['jump@bastion:99999', 'jump@bastion:99999'],
    ['a@one.example.com,two.example.com', 'two.example.com'],
    ['jump@2001:db8::1', 'jump@2001:db8::1'],
    ['jump@bastion;id', 'jump@bastion;id'],
    ['-oProxyCommand=id@bastion', '-oProxyCommand=id@bastion'],
    ['jump@bastion jump@other', 'jump@bastion jump@other'],
    ['http://jump@bastion', 'http://jump@bastion']
  ])('refuses %j, naming the input, the item and the forms', (raw, item) => {
    expect(() => parseProxyJump(raw)).toThrow(InputError)
    expect(() => parseProxyJump(raw)).toThrow(
      `Input 'ssh-proxy-jump' has '${item}': each jump host must be user@host, user@host:port or ssh://user@host[:port]`
    )
  })
})

describe('readSettings with ssh-host', () => {
  // Keys made by ssh-keygen, not by ssh2's generator: ssh2 could not open 7 of 2,516 encrypted and
  // 74 of 20,000 plain ed25519 keys from ssh2.utils.generateKeyPairSync, nor ssh-keygen -y the ones
  // tried (CI met one). ssh2 opened all 1,000 keys ssh-keygen made.
  const fixture = (name: string): string => readFileSync(new URL(`fixtures/ssh/${name}`, import.meta.url), 'utf8')
  const key = fixture('ed25519')
  const encrypted = fixture('encrypted-ed25519') // passphrase 'open sesame'
  // A public key line, as ssh-keyscan prints it after the host name.
  const hostKey = fixture('ed25519.pub').split(' ').slice(0, 2).join(' ')
  const base: Record<string, string> = {
    target: 'all',
    'working-directory': '/srv/app',
    'ssh-host': 'deploy@example.com:2222',
    'ssh-key': key,
    'ssh-known-hosts': `[example.com]:2222 ${hostKey}`
  }
  const read =
    (inputs: Record<string, string>) =>
    (name: string): string =>
      inputs[name] ?? ''

  it('gives a typed ssh section; working-directory is a path on the host, untouched by the local cwd', async () => {
    const settings = await readSettings(read(base), '/home/runner/work', '/home/runner/work')
    expect(settings.root).toBe('/srv/app')
    expect(settings.ssh).toEqual({
      user: 'deploy',
      host: 'example.com',
      port: 2222,
      privateKeys: [`${key.trim()}\n`],
      passphrase: undefined,
      agentSocket: undefined,
      jumps: [],
      knownHosts: `[example.com]:2222 ${hostKey}`,
      nodeImage: 'node:22-slim'
    })
    expect((await readSettings(read({ ...base, 'remote-node-image': 'node:20' }), '/w')).ssh?.nodeImage).toBe('node:20')
    expect((await readSettings(read({ ...base, 'working-directory': '/srv/app/' }), '/w')).root).toBe('/srv/app')
  })

  it('no ssh-host: no ssh section, and the other ssh inputs are ignored', async () => {
    expect((await readSettings(read({ ...base, 'ssh-host': '' }), '/w')).ssh).toBeUndefined()
  })

  it('docker alone needs no working-directory', async () => {
    const settings = await readSettings(read({ ...base, target: 'docker', 'working-directory': '' }), '/w')
    expect(settings.root).toBe('')
    expect(settings.ssh?.host).toBe('example.com')
  })

  it('an encrypted key opens with its passphrase', async () => {
    const settings = await readSettings(
      read({ ...base, 'ssh-key': encrypted, 'ssh-key-passphrase': 'open sesame' }),
      '/w'
    )
    expect(settings.ssh?.passphrase).toBe('open sesame')
  })

  it.each([
    [{ 'working-directory': '' }, /^Input 'working-directory' is required with 'ssh-host' for the file targets/],
    [{ target: 'frontend', 'working-directory': '' }, /^Input 'working-directory' is required/],
    [{ 'working-directory': 'srv/app' }, /^Input 'working-directory' must be an absolute path on example\.com/],
    [{ target: 'docker', 'working-directory': 'app' }, /^Input 'working-directory' must be an absolute path/],
    [{ 'ssh-host': 'example.com' }, /^Input 'ssh-host' must be/],
    [{ 'ssh-key': '' }, /^Input 'ssh-key' is required with 'ssh-host'/],
    [{ 'ssh-key': 'not a key' }, /^Input 'ssh-key' must be a private key in OpenSSH format/],
    [{ 'ssh-key': hostKey }, /^Input 'ssh-key' must be a private key/],
    [{ 'ssh-key': encrypted }, /^Input 'ssh-key' is encrypted: give its passphrase in 'ssh-key-passphrase'/],
    [{ 'ssh-key': encrypted, 'ssh-key-passphrase': 'wrong' }, /^Input 'ssh-key' is encrypted/],
    [
      { 'ssh-known-hosts': '' },
      /^Input 'ssh-known-hosts' is required with 'ssh-host'.*ssh-keyscan -p 2222 -t ed25519 example\.com/
    ],
    [
      { 'ssh-known-hosts': `example.com ${hostKey}` },
      /^Input 'ssh-known-hosts' lists no key for \[example\.com\]:2222/
    ],
    [{ 'ssh-known-hosts': 'garbage' }, /^Input 'ssh-known-hosts' lists no key/],
    [
      { 'ssh-proxy-jump': 'bastion.example.com' },
      /^Input 'ssh-proxy-jump' has 'bastion\.example\.com': each jump host/
    ],
    [
      { 'ssh-proxy-jump': 'jump@bastion.example.com' },
      /^Input 'ssh-known-hosts' lists no key for the jump host bastion\.example\.com \(ssh-proxy-jump\).*ssh-keyscan -t ed25519 bastion\.example\.com/
    ],
    [{ 'ssh-host': '', 'ssh-proxy-jump': 'jump@bastion.example.com' }, /^Input 'ssh-proxy-jump' needs 'ssh-host'/]
  ])('%j is refused before anything runs', async (inputs, message) => {
    await expect(readSettings(read({ ...base, ...inputs }), '/w')).rejects.toThrow(InputError)
    await expect(readSettings(read({ ...base, ...inputs }), '/w')).rejects.toThrow(message)
  })

  it('ssh-proxy-jump: the jump hosts, each with a key listed in ssh-known-hosts', async () => {
    const knownHosts = `[example.com]:2222 ${hostKey}\nbastion.example.com ${hostKey}\n[10.0.0.9]:2200 ${hostKey}\n`
    const settings = await readSettings(
      read({
        ...base,
        'ssh-known-hosts': knownHosts,
        'ssh-proxy-jump': 'jump@bastion.example.com\nssh://inner@10.0.0.9:2200'
      }),
      '/w'
    )
    expect(settings.ssh?.jumps).toEqual([
      { user: 'jump', host: 'bastion.example.com', port: 22 },
      { user: 'inner', host: '10.0.0.9', port: 2200 }
    ])
    expect(settings.ssh?.host).toBe('example.com')
  })

  it('the key never appears in an error', async () => {
    try {
      await readSettings(read({ ...base, 'ssh-key': key.replace('OPENSSH', 'OPENSSX') }), '/w')
    } catch (error) {
      expect((error as Error).message).not.toContain(key.split('\n')[1])
    }
    expect.assertions(1)
  })

  it('the CLI defaults: agent and ~/.ssh keys, ~/.ssh/known_hosts', async () => {
    const settings = await readSettings(
      read({ ...base, 'ssh-key': '', 'ssh-known-hosts': '' }),
      '/w',
      '/w',
      {},
      {
        privateKeys: [key],
        agentSocket: '/tmp/agent.sock',
        knownHosts: `[example.com]:2222 ${hostKey}\n`
      }
    )
    expect(settings.ssh?.privateKeys).toEqual([key])
    expect(settings.ssh?.agentSocket).toBe('/tmp/agent.sock')
    await expect(
      readSettings(read({ ...base, 'ssh-key': '', 'ssh-known-hosts': '' }), '/w', '/w', {}, { privateKeys: [key] })
    ).rejects.toThrow(/^Input 'ssh-known-hosts' is required/)
  })
})

describe('the actions-cache target', () => {
  const inputs = (overrides: Record<string, string>) => (name: string) =>
    ({ target: 'actions-cache', 'actions-cache-key': 'index-buildkit-', 'github-token': 'tok', ...overrides })[name] ??
    ''
  const env = { GITHUB_REPOSITORY: 'octo-org/web' }

  it.each([
    ['actions-cache', ['actions-cache']],
    ['docker,actions-cache', ['docker', 'actions-cache']],
    ['actions-cache all', ['frontend', 'backend', 'docker', 'actions-cache']],
    ['ACTIONS-CACHE', ['actions-cache']]
  ])('is named explicitly: %j → %j', (raw, targets) => {
    expect(parseTargets(raw).targets).toEqual(targets)
  })

  it('is not part of all, and its inputs are not read without it', async () => {
    const settings = await readSettings(inputs({ target: 'all', 'actions-cache-key': '' }), '/cwd', '/cwd', {})
    expect(settings.targets).not.toContain('actions-cache')
    expect(settings.actionsCache).toBeUndefined()
    expect(settings.inputWarnings).toEqual([])
  })

  it('warns when its inputs are given without it', async () => {
    const read = inputs({ target: 'all', 'actions-cache-unused-for': '7d' })
    expect((await readSettings(read, '/cwd', '/cwd', {})).inputWarnings).toEqual([
      'actions-cache-key, actions-cache-unused-for are set, but the target actions-cache was not named ' +
        '(it is never part of all): the Actions cache was left alone.'
    ])
  })

  it('reads its inputs and the runner environment into settings', async () => {
    const settings = await readSettings(
      inputs({
        'actions-cache-key': 'index-buildkit-\nbuildkit-blob-, Linux-nextjs-',
        'actions-cache-ref': 'refs/heads/main\n refs/pull/42/merge \n',
        'actions-cache-unused-for': '7d'
      }),
      '/cwd',
      '/cwd',
      { ...env, GITHUB_API_URL: 'https://ghes.example/api/v3/' }
    )
    expect(settings.actionsCache).toEqual({
      repository: 'octo-org/web',
      apiUrl: 'https://ghes.example/api/v3',
      token: 'tok',
      keyPrefixes: ['index-buildkit-', 'buildkit-blob-', 'Linux-nextjs-'],
      refs: ['refs/heads/main', 'refs/pull/42/merge'],
      unusedFor: { text: '7d', ms: 7 * 86_400_000 },
      waitScale: 1
    })
  })

  it('defaults the API to api.github.com; the repository input wins over GITHUB_REPOSITORY', async () => {
    const settings = await readSettings(inputs({ repository: 'other/repo' }), '/cwd', '/cwd', env)
    expect(settings.actionsCache?.apiUrl).toBe('https://api.github.com')
    expect(settings.actionsCache?.repository).toBe('other/repo')
  })

  it('takes the CLI token from GITHUB_TOKEN, then GH_TOKEN', async () => {
    const read = inputs({ 'github-token': '' })
    expect(
      (await readSettings(read, '/c', '/c', { ...env, GITHUB_TOKEN: 'a', GH_TOKEN: 'b' })).actionsCache?.token
    ).toBe('a')
    expect((await readSettings(read, '/c', '/c', { ...env, GH_TOKEN: 'b' })).actionsCache?.token).toBe('b')
  })

  it.each([
    ['90m', 90 * 60_000],
    ['24h', 86_400_000],
    [' 7d ', 7 * 86_400_000]
  ])('actions-cache-unused-for %j → %d ms', (raw, ms) => {
    expect(parseUnusedFor(raw)?.ms).toBe(ms)
  })

  it.each<[Record<string, string>, Record<string, string>, RegExp]>([
    [{ 'actions-cache-key': '' }, env, /Input 'actions-cache-key' is required.*'index-buildkit-'.*'buildkit-blob-'/],
    [{ 'actions-cache-key': ' , \n' }, env, /Input 'actions-cache-key' is required/],
    [{ 'actions-cache-ref': 'main' }, env, /Input 'actions-cache-ref' has 'main'.*refs\/heads\/main/],
    [{ 'actions-cache-unused-for': '7' }, env, /Input 'actions-cache-unused-for' must be a duration.*24h or 7d/],
    [{ 'actions-cache-unused-for': '0d' }, env, /Input 'actions-cache-unused-for'/],
    [{ 'actions-cache-unused-for': '2w' }, env, /Input 'actions-cache-unused-for'/],
    [{}, {}, /Input 'repository' is empty and GITHUB_REPOSITORY is not set/],
    [{ repository: 'octo-org' }, env, /Input 'repository' must be owner\/name/],
    [{ 'github-token': ' ' }, env, /Input 'github-token' is empty.*GITHUB_TOKEN or GH_TOKEN/],
    [{}, { ...env, GITHUB_API_URL: 'ftp://x' }, /GITHUB_API_URL must be an http\(s\) URL/],
    [{}, { ...env, CLEAR_APP_CACHES_API_WAIT_SCALE: '2' }, /CLEAR_APP_CACHES_API_WAIT_SCALE must be a number/]
  ])('refuses %j (env %j)', async (overrides, environment, message) => {
    await expect(readSettings(inputs(overrides), '/cwd', '/cwd', environment)).rejects.toThrow(InputError)
    await expect(readSettings(inputs(overrides), '/cwd', '/cwd', environment)).rejects.toThrow(message)
  })
})
