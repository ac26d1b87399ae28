// The CLI's own SSH configuration: `--ssh-host prod` means what `ssh prod`
// means. The user's ~/.ssh/config (or -F FILE) is parsed with the
// `ssh-config` package and applied as OpenSSH applies it: Host patterns (`*`,
// `?`, `!`), the first value of a keyword wins, HostName, User, Port,
// IdentityFile and ProxyJump, whose hops are looked up in the file too. The
// result is the strings the action's inputs would hold (`ssh-host`,
// `ssh-proxy-jump`) and the key files to try, so inputs.ts validates both
// front doors alike. Only the CLI imports this: the action reads no file of
// the user's.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import SSHConfig, { LineType, type Line } from 'ssh-config'
import { SshConfigError } from './ssh-config-error.js'

export { SshConfigError }

export interface SshConfigContext {
  /** The user's home: `~`, `%d`, and where a relative Include is read from (~/.ssh). */
  readonly home: string
  /** `%u`, and the login name when neither the destination nor the config gives one (as ssh does). */
  readonly localUser: string
}

/** The CLI's SSH destination in the action's terms. */
export interface ResolvedSshDestination {
  /** For `ssh-host`: user@host:port, IPv6 in brackets. */
  readonly sshHost: string
  /** For `ssh-proxy-jump`: the jump hosts, comma-separated, the first dialled first; '' for none. */
  readonly proxyJump: string
  /**
   * Key files to try at every hop, in order: each host's IdentityFile lines,
   * or ssh's default keys for a host that names none; the target's first.
   */
  readonly identityFiles: readonly string[]
}

/** OpenSSH's default identities, in the order the CLI has always tried them. */
const DEFAULT_IDENTITIES = ['id_ed25519', 'id_ecdsa', 'id_rsa']
/** How deep ProxyJump may nest through the hops' own ProxyJump lines before we call it a loop. */
const MAX_HOPS = 16

/** Reads a config file, with its Include lines followed (relative paths from ~/.ssh, globs expanded). */
export function loadSshConfig(file: string, context: SshConfigContext): SSHConfig {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw new SshConfigError(
      `cannot read the SSH config ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`
    )
  }
  const config = SSHConfig.parse(text)
  includeFiles(config, file, context, 0)
  return config
}

function directiveValues(line: Line): string[] {
  if (line.type !== LineType.DIRECTIVE) return []
  return typeof line.value === 'string' ? line.value.split(/\s+/).filter(Boolean) : line.value.map(({ val }) => val)
}

/** Replaces each Include line by the lines of the files it names, in place (as ssh reads them). */
function includeFiles(lines: Line[], file: string, context: SshConfigContext, depth: number): void {
  if (depth > 16) throw new SshConfigError(`${file}: Include nests more than 16 deep`)
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]
    if (line.type !== LineType.DIRECTIVE) continue
    if ('config' in line) {
      includeFiles(line.config, file, context, depth)
      continue
    }
    if (!/^include$/i.test(line.param)) continue
    const included: Line[] = []
    for (const pattern of directiveValues(line)) {
      const expanded = expandTilde(pattern, context.home)
      const absolute = path.isAbsolute(expanded) ? expanded : path.join(context.home, '.ssh', expanded)
      for (const match of globFiles(absolute)) {
        const inner = loadIncluded(match)
        includeFiles(inner, match, context, depth + 1)
        included.push(...inner)
      }
    }
    lines.splice(index, 1, ...included)
    index += included.length - 1
  }
}

function loadIncluded(file: string): Line[] {
  try {
    return [...SSHConfig.parse(readFileSync(file, 'utf8'))]
  } catch (error) {
    throw new SshConfigError(`cannot read ${file} (an Include of the SSH config): ${(error as Error).message}`)
  }
}

/** glob(3) as Include uses it: `*`, `?` and `[…]` in any path component, matches sorted; only files. */
function globFiles(pattern: string): string[] {
  let paths = ['/']
  for (const part of pattern.split('/').filter((segment) => segment !== '')) {
    if (!/[*?[]/.test(part)) {
      paths = paths.map((dir) => path.join(dir, part))
      continue
    }
    const regex = new RegExp(
      `^${part
        .replace(/[.+^${}()|\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.')}$`
    )
    paths = paths.flatMap((dir) => {
      let names: string[]
      try {
        names = readdirSync(dir)
      } catch {
        return []
      }
      return names
        .filter((name) => !name.startsWith('.') && regex.test(name))
        .sort()
        .map((name) => path.join(dir, name))
    })
  }
  return paths.filter((file) => existsSync(file) && statSync(file).isFile())
}

function expandTilde(text: string, home: string): string {
  return text === '~' ? home : text.startsWith('~/') ? path.join(home, text.slice(2)) : text
}

interface HostSpec {
  /** The name as written: looked up in the config's Host lines. */
  readonly alias: string
  readonly user?: string
  readonly port?: number
}

/** `[user@]host[:port]` or `ssh://[user@]host[:port]`, IPv6 in brackets, as ssh and ProxyJump take a host. */
function parseHostSpec(raw: string, what: string): HostSpec {
  const text = raw.trim()
  const match =
    /^(?:ssh:\/\/)?(?:([A-Za-z0-9._][A-Za-z0-9._-]*)@)?(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+)(?::(\d{1,5}))?\/?$/.exec(
      text
    )
  const port = match?.[3] === undefined ? undefined : Number(match[3])
  if (!match || (port !== undefined && (port < 1 || port > 65535))) {
    throw new SshConfigError(
      `${what} must be [user@]host[:port] or ssh://[user@]host[:port] (an IPv6 address in brackets), got '${raw}'`
    )
  }
  const alias = match[2].startsWith('[') ? match[2].slice(1, -1) : match[2]
  return { alias, user: match[1], port }
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

interface ResolvedHost {
  readonly alias: string
  readonly user: string
  readonly host: string
  readonly port: number
  readonly proxyJump?: string
  readonly proxyCommand?: string
  readonly identityFiles: readonly string[]
}

const HOST_NAME = /^(?:[A-Za-z0-9._-]+|[0-9A-Fa-f:.]+)$/

/** One host as ssh would see it: the config's first values for it, the spec's user and port winning. */
function lookUp(config: SSHConfig | undefined, spec: HostSpec, where: string, context: SshConfigContext): ResolvedHost {
  // ssh lowercases the host it was given before matching Host patterns.
  const alias = spec.alias.toLowerCase()
  // Match exec is never run: clearing caches starts no command a config file names.
  const computed = config?.compute(alias, { ignoreCase: true, matchExec: false }) ?? {}
  const hostNameRaw = first(computed.hostname)
  const host =
    hostNameRaw === undefined
      ? alias
      : hostNameRaw.replace(/%(.)/g, (all, token: string) => (token === 'h' ? alias : token === '%' ? '%' : all))
  if (!HOST_NAME.test(host)) {
    throw new SshConfigError(`${where} gives ${spec.alias} the HostName '${host}', which is not a host name or address`)
  }
  const user = spec.user ?? first(computed.user) ?? context.localUser
  const portText = first(computed.port)
  const port = spec.port ?? (portText === undefined ? 22 : Number(portText))
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new SshConfigError(`${where} gives ${spec.alias} the Port '${portText ?? ''}', which is not a port number`)
  }
  const tokens: Record<string, string> = {
    '%': '%',
    d: context.home,
    u: context.localUser,
    h: host,
    r: user,
    p: String(port),
    n: spec.alias
  }
  const expand = (file: string): string =>
    expandTilde(
      file.replace(/%(.)/g, (all, token: string) => tokens[token] ?? all),
      context.home
    )
  const listed = ([] as string[]).concat(computed.identityfile ?? []).filter((file) => file.toLowerCase() !== 'none')
  const identityFiles =
    listed.length > 0 ? listed.map(expand) : DEFAULT_IDENTITIES.map((name) => path.join(context.home, '.ssh', name))
  return {
    alias: spec.alias,
    user,
    host,
    port,
    proxyJump: first(computed.proxyjump),
    proxyCommand: first(computed.proxycommand),
    identityFiles
  }
}

/**
 * The destination `--ssh-host` names (and `--ssh-proxy-jump`, which wins over
 * the config's ProxyJump as ssh's -J does) → the action's inputs. `config` is
 * the parsed file, or undefined when there is none.
 */
export function resolveSshDestination(
  config: SSHConfig | undefined,
  destination: string,
  proxyJump: string | undefined,
  context: SshConfigContext & { readonly file: string }
): ResolvedSshDestination {
  const where = context.file
  const target = lookUp(config, parseHostSpec(destination, `'--ssh-host'`), where, context)
  const jumpText = proxyJump?.trim() || undefined
  const jumps = routeOf(config, target, jumpText, [target.alias.toLowerCase()], context)
  const identityFiles = [...new Set([target, ...jumps].flatMap((hop) => hop.identityFiles))]
  return {
    sshHost: address(target),
    proxyJump: jumps.map(address).join(','),
    identityFiles
  }
}

function address({ user, host, port }: { user: string; host: string; port: number }): string {
  return `${user}@${host.includes(':') ? `[${host}]` : host}:${port}`
}

/**
 * The jump hosts before `host`, in the order they are crossed. As OpenSSH
 * builds ProxyJump `a,b`: `b` is reached with `-J a` (its own ProxyJump is
 * overridden), and `a`, reached with none given, follows its own ProxyJump.
 */
function routeOf(
  config: SSHConfig | undefined,
  host: ResolvedHost,
  given: string | undefined,
  chain: readonly string[],
  context: SshConfigContext & { readonly file: string }
): ResolvedHost[] {
  const text = given ?? host.proxyJump
  if (text === undefined || text.toLowerCase() === 'none') {
    if (host.proxyCommand !== undefined && host.proxyCommand.toLowerCase() !== 'none') {
      throw new SshConfigError(
        `${context.file} gives ${host.alias} a ProxyCommand, which is not run here: ` +
          `reach it with ProxyJump (or --ssh-proxy-jump) instead`
      )
    }
    return []
  }
  const what = given === undefined ? `the ProxyJump of ${host.alias} in ${context.file}` : `'--ssh-proxy-jump'`
  const specs = text.split(',').map((item) => parseHostSpec(item, what))
  const hops = specs.map((spec) => lookUp(config, spec, context.file, context))
  const [head, ...rest] = hops
  if (chain.includes(head.alias.toLowerCase()) || chain.length + hops.length > MAX_HOPS) {
    throw new SshConfigError(
      `${context.file}: the ProxyJump lines loop (${[...chain, head.alias].join(' → ')}); end one with ProxyJump none`
    )
  }
  return [...routeOf(config, head, undefined, [...chain, head.alias.toLowerCase()], context), head, ...rest]
}
