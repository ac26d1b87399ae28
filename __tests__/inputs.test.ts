import { describe, expect, it } from '@jest/globals'
import {
  InputError,
  confinePath,
  parseBoolean,
  parseDockerFilters,
  parseKeepStorage,
  parseImageReference,
  parseList,
  parseTargets,
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

  it.each([
    ['', undefined],
    ['5GB', 5 * 1024 ** 3],
    ['512MB', 512 * 1024 ** 2],
    ['1.5g', 1.5 * 1024 ** 3],
    ['1000', 1000]
  ])('keep-storage %j → %s', (raw, expected) => {
    expect(parseKeepStorage(raw)).toBe(expected)
  })

  it.each(['lots', '5 parsecs', '-1GB'])('refuses keep-storage %j', (raw) => {
    expect(() => parseKeepStorage(raw)).toThrow(/Input 'docker-keep-storage' must be a size/)
  })
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
    'docker-keep-storage': ''
  }
  const reader = (overrides: Record<string, string>) => (name: string) => ({ ...defaults, ...overrides })[name] ?? ''

  it('turns action.yml defaults into settings', () => {
    expect(readSettings(reader({}), '/cwd')).toEqual({
      targets: ['frontend', 'backend', 'docker'],
      dockerRequired: false,
      root: '/work/space',
      frontendPath: 'frontend',
      backendPath: 'backend',
      extraPaths: [],
      dryRun: false,
      summary: true,
      docker: { pruneAll: true, filters: [], keepStorageBytes: undefined }
    })
  })

  it('takes remote-node-image as an image reference, the default when empty', () => {
    expect(parseImageReference('remote-node-image', ' ')).toBe('node:22-slim')
    for (const image of ['cac-node:test', 'registry.example.com:5000/team/node:22@sha256:' + 'a'.repeat(64)])
      expect(parseImageReference('remote-node-image', image)).toBe(image)
    for (const bad of ['node 22', '--privileged', "node'22"])
      expect(() => parseImageReference('remote-node-image', bad)).toThrow(
        /^Input 'remote-node-image' must be an image reference such as node:22-slim/
      )
  })

  it('resolves an empty working-directory to the workspace and a relative one against cwd', () => {
    expect(readSettings(reader({ 'working-directory': '' }), '/cwd', '/ws').root).toBe('/ws')
    expect(readSettings(reader({ 'working-directory': 'apps/site' }), '/cwd').root).toBe('/cwd/apps/site')
  })

  it('takes every input when all are unset (a push event passes empty values)', () => {
    const settings = readSettings(() => '', '/cwd')
    expect(settings.targets).toEqual(['frontend', 'backend', 'docker'])
    expect(settings.frontendPath).toBe('frontend')
    expect(settings.backendPath).toBe('backend')
    expect(settings.dryRun).toBe(false)
  })

  it('confines extra-paths', () => {
    expect(readSettings(reader({ 'extra-paths': 'tmp/cache\n**/*.log, build' }), '/cwd').extraPaths).toEqual([
      'tmp/cache',
      '**/*.log',
      'build'
    ])
    expect(() => readSettings(reader({ 'extra-paths': 'ok\n../../etc' }), '/cwd')).toThrow(/Input 'extra-paths'/)
  })
})
