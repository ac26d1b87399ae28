// The CLI's SSH config: --ssh-host NAME means what `ssh NAME` means (Host
// patterns, first value wins, HostName/User/Port/IdentityFile/ProxyJump, the
// hops looked up too), turned into the action's ssh-host and ssh-proxy-jump.
import { describe, expect, it } from '@jest/globals'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { tempDir } from '../__fixtures__/temp.js'
import { loadSshConfig, resolveSshDestination, SshConfigError } from '../src/ssh-config.js'

/** A home with ~/.ssh/config holding `text` (and more files under ~/.ssh); resolves like the CLI. */
function withConfig(text: string | undefined, files: Record<string, string> = {}) {
  const home = tempDir('cac-home-')
  mkdirSync(path.join(home, '.ssh'))
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(home, '.ssh', name)), { recursive: true })
    writeFileSync(path.join(home, '.ssh', name), content)
  }
  const file = path.join(home, '.ssh', 'config')
  if (text !== undefined) writeFileSync(file, text)
  const context = { home, localUser: 'me', file: '~/.ssh/config' }
  const config = text === undefined ? undefined : loadSshConfig(file, context)
  return {
    home,
    resolve: (destination: string, proxyJump?: string) => resolveSshDestination(config, destination, proxyJump, context)
  }
}

const defaults = (home: string): string[] =>
  ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((name) => path.join(home, '.ssh', name))

describe('resolveSshDestination', () => {
  it('without a config: the name as given, the local user, port 22, the default keys', () => {
    const { home, resolve } = withConfig(undefined)
    expect(resolve('prod.example.com')).toEqual({
      sshHost: 'me@prod.example.com:22',
      proxyJump: '',
      identityFiles: defaults(home)
    })
    expect(resolve('ssh://deploy@[2001:db8::1]:2222').sshHost).toBe('deploy@[2001:db8::1]:2222')
  })

  it('applies HostName, User, Port and IdentityFile of the matching Host blocks, the first value winning', () => {
    const { home, resolve } = withConfig(
      [
        'Host prod',
        '  HostName 10.1.2.3',
        '  User deploy',
        '  Port 2222',
        '  IdentityFile ~/.ssh/prod_key',
        'Host web*',
        '  HostName %h.internal.example.com',
        'Host *',
        '  User nobody',
        '  Port 22',
        '  IdentityFile %d/.ssh/all_%r'
      ].join('\n')
    )
    expect(resolve('prod')).toEqual({
      sshHost: 'deploy@10.1.2.3:2222',
      proxyJump: '',
      // Every IdentityFile line adds a key, in order, as ssh tries them.
      identityFiles: [path.join(home, '.ssh/prod_key'), path.join(home, '.ssh/all_deploy')]
    })
    expect(resolve('web1').sshHost).toBe('nobody@web1.internal.example.com:22')
    // The destination's own user and port win over the file, as on ssh's command line.
    expect(resolve('root@PROD:2200').sshHost).toBe('root@10.1.2.3:2200')
  })

  it('reads keywords in any case, `=` separators and quoted values', () => {
    const { resolve } = withConfig('host "db"\n  hostname=10.9.9.9\n  USER   "ops"\n  port=2022\n')
    expect(resolve('db').sshHost).toBe('ops@10.9.9.9:2022')
  })

  it('ProxyJump: each hop resolved through the file; `Host * !bastion` keeps the bastion direct', () => {
    const { resolve } = withConfig(
      [
        'Host bastion',
        '  HostName bastion.example.com',
        '  User jump',
        'Host app',
        '  HostName 10.0.0.5',
        '  ProxyJump bastion',
        'Host * !bastion',
        '  User deploy',
        '  ProxyJump bastion'
      ].join('\n')
    )
    expect(resolve('app')).toMatchObject({ sshHost: 'deploy@10.0.0.5:22', proxyJump: 'jump@bastion.example.com:22' })
    expect(resolve('other.example.com').proxyJump).toBe('jump@bastion.example.com:22')
    expect(resolve('bastion')).toMatchObject({ sshHost: 'jump@bastion.example.com:22', proxyJump: '' })
    // --ssh-proxy-jump wins over the file, as ssh -J does; its hops are looked up too.
    expect(resolve('app', 'ops@bastion:2200,ssh://inner.example.com').proxyJump).toBe(
      'ops@bastion.example.com:2200,deploy@inner.example.com:22'
    )
  })

  it("a,b as OpenSSH builds it: b's own ProxyJump is overridden, a's is followed; ProxyJump none ends it", () => {
    const { resolve } = withConfig(
      [
        'Host target',
        '  ProxyJump a,b',
        'Host a',
        '  HostName a.example.com',
        '  ProxyJump outer',
        'Host b',
        '  HostName b.example.com',
        '  ProxyJump elsewhere',
        'Host outer',
        '  HostName outer.example.com',
        '  ProxyJump none',
        'Host *',
        '  ProxyJump never-used'
      ].join('\n')
    )
    expect(resolve('target').proxyJump).toBe('me@outer.example.com:22,me@a.example.com:22,me@b.example.com:22')
    expect(resolve('outer').proxyJump).toBe('')
  })

  it('every hop brings its own keys, or the default keys when it names none', () => {
    const { home, resolve } = withConfig(
      'Host app\n  ProxyJump bastion\n  IdentityFile ~/.ssh/app_key\nHost bastion\n  IdentityFile ~/.ssh/app_key\n'
    )
    expect(resolve('app').identityFiles).toEqual([path.join(home, '.ssh/app_key')])
    const other = withConfig('Host app\n  ProxyJump bastion\n  IdentityFile ~/.ssh/app_key\n')
    expect(other.resolve('app').identityFiles).toEqual([path.join(other.home, '.ssh/app_key'), ...defaults(other.home)])
  })

  it('follows Include lines: relative to ~/.ssh, globs sorted', () => {
    const { resolve } = withConfig('Include config.d/*.conf\nHost *\n  User fallback\n', {
      'config.d/10-app.conf': 'Host app\n  HostName 10.0.0.7\n  User first\n',
      'config.d/20-app.conf': 'Host app\n  User second\n  Port 2200\n',
      'config.d/ignored.txt': 'Host app\n  Port 1\n'
    })
    expect(resolve('app').sshHost).toBe('first@10.0.0.7:2200')
  })

  it('never runs Match exec', () => {
    const marker = path.join(tempDir(), 'ran')
    const { resolve } = withConfig(`Match exec "touch ${marker}"\n  User wrong\nHost *\n  User right\n`)
    expect(resolve('app').sshHost).toBe('right@app:22')
    expect(existsSync(marker)).toBe(false)
  })

  it.each([
    [
      'Host * \n  ProxyJump bastion\n',
      'app',
      /the ProxyJump lines loop \(app → bastion → bastion\); end one with ProxyJump none/
    ],
    ['Host app\n  ProxyCommand nc %h %p\n', 'app', /gives app a ProxyCommand, which is not run here/],
    ['Host app\n  HostName "bad name"\n', 'app', /gives app the HostName 'bad name', which is not a host name/],
    ['Host app\n  Port ssh\n', 'app', /gives app the Port 'ssh', which is not a port number/],
    ['Host app\n  ProxyJump a b\n', 'app', /the ProxyJump of app in ~\/\.ssh\/config must be \[user@\]host\[:port\]/],
    ['', 'bad host', /'--ssh-host' must be \[user@\]host\[:port\]/],
    ['', 'app:99999', /'--ssh-host' must be/]
  ])('%j for %s is refused in one line', (text, destination, message) => {
    const { resolve } = withConfig(text)
    expect(() => resolve(destination)).toThrow(SshConfigError)
    expect(() => resolve(destination)).toThrow(message)
  })

  it('a config that cannot be read is an SshConfigError naming it', () => {
    const context = { home: '/nonexistent', localUser: 'me', file: '/nonexistent/config' }
    expect(() => loadSshConfig('/nonexistent/config', context)).toThrow(
      /^cannot read the SSH config \/nonexistent\/config: ENOENT$/
    )
  })
})
