// Every input is read and validated here, once, into a typed Settings object
// (as actions/checkout's input-helper does). The action passes core.getInput;
// the CLI passes its parsed argv. Nothing else reads inputs.
import path from 'node:path'
import type { ParsedKey } from 'ssh2'
import { parseSize } from './bytes.js'
import { ALL_TARGETS, isFileTarget, TARGETS, TARGET_CHOICES, type Target } from './rules.js'

export interface DockerSettings {
  readonly pruneAll: boolean
  readonly filters: readonly string[]
  /** `docker-reserved-space` (or its old name `docker-keep-storage`): cache always kept; undefined keeps none. */
  readonly reservedBytes?: number
  /** `docker-max-used-space`: most cache left (Engine API 1.48+). */
  readonly maxUsedBytes?: number
  /** `docker-min-free-space`: free disk wanted after the prune (Engine API 1.48+). */
  readonly minFreeBytes?: number
}

/** The remote host (`ssh-host` and friends). The key and known hosts are secrets: never log them. */
export interface SshSettings {
  readonly user: string
  readonly host: string
  readonly port: number
  /** `ssh-proxy-jump`: the jump hosts, in OpenSSH ProxyJump order (the first is dialled); empty for a direct connection. */
  readonly jumps?: readonly SshAddress[]
  /** OpenSSH private keys, tried in order (the action has one: `ssh-key`). */
  readonly privateKeys: readonly string[]
  readonly passphrase?: string
  /** An ssh-agent socket, tried before the keys (the CLI's SSH_AUTH_SOCK). */
  readonly agentSocket?: string
  /** known_hosts text; it lists at least one key for host:port. */
  readonly knownHosts: string
  /** `remote-node-image`: the image that runs the file engine on a host without node. */
  readonly nodeImage: string
}

/** One SSH host: who logs in where. */
export interface SshAddress {
  readonly user: string
  readonly host: string
  readonly port: number
}

/** What the CLI brings for SSH when the inputs say nothing: the user's agent, ~/.ssh keys and known_hosts. */
export interface SshDefaults {
  readonly privateKeys: readonly string[]
  readonly agentSocket?: string
  readonly knownHosts?: string
}

export const DEFAULT_REMOTE_NODE_IMAGE = 'node:22-slim'

/** What `actions-cache` deletes, and how it reaches the REST API. */
export interface ActionsCacheSettings {
  /** owner/name */
  readonly repository: string
  /** GITHUB_API_URL: https://api.github.com, or a GitHub Enterprise Server's /api/v3. */
  readonly apiUrl: string
  /** Never logged. */
  readonly token: string
  /** Entries whose key starts with one of these; never empty. */
  readonly keyPrefixes: readonly string[]
  /** Full refs; empty means every ref. */
  readonly refs: readonly string[]
  /** Only entries not used for this long; undefined means any age. */
  readonly unusedFor?: { readonly text: string; readonly ms: number }
  /** Multiplies every wait between API requests (pacing, retry-after); 1 except in tests. */
  readonly waitScale: number
}

export interface Settings {
  /** Targets to clear, in table order, without duplicates. */
  readonly targets: readonly Target[]
  /** true when `docker` was named explicitly: an unreachable engine is then an error, not a warning. */
  readonly dockerRequired: boolean
  /**
   * Absolute app root; every file path is confined to it. With `ssh` it is a
   * path on that host ('' when only docker was chosen and no
   * working-directory was given).
   */
  readonly root: string
  /** Relative to root, normalized, '/'-separated. */
  readonly frontendPath: string
  readonly backendPath: string
  /** Relative to root: paths or globs. */
  readonly extraPaths: readonly string[]
  readonly dryRun: boolean
  readonly summary: boolean
  readonly docker: DockerSettings
  /** Set when `ssh-host` is: everything is cleared on that host. */
  readonly ssh?: SshSettings
  /** Set only when the target `actions-cache` was named. */
  readonly actionsCache?: ActionsCacheSettings
  /** Inputs given that have no effect, said as warnings. */
  readonly inputWarnings?: readonly string[]
}

/** What the file half of a clear reads: all a remote host is sent (no secrets, nothing else). */
export type FileSettings = Pick<Settings, 'targets' | 'root' | 'frontendPath' | 'backendPath' | 'extraPaths' | 'dryRun'>

export function fileSettings(settings: FileSettings): FileSettings {
  const { targets, root, frontendPath, backendPath, extraPaths, dryRun } = settings
  return { targets, root, frontendPath, backendPath, extraPaths, dryRun }
}

/** Bad input: the message names the input and what it accepts. */
export class InputError extends Error {
  override name = 'InputError'
}

/** Reads one input by its action.yml name; '' when unset. */
export type InputReader = (name: string) => string

/** The environment variables readSettings may read (GITHUB_REPOSITORY, GITHUB_API_URL, GITHUB_TOKEN, ...). */
export type Environment = Readonly<Record<string, string | undefined>>

const BOOLEAN_TRUE = ['true', 'True', 'TRUE']
const BOOLEAN_FALSE = ['false', 'False', 'FALSE']

export function parseTargets(raw: string): { targets: Target[]; dockerRequired: boolean } {
  const words = raw.split(/[\s,]+/).filter((word) => word !== '')
  if (words.length === 0) words.push('all')
  const chosen = new Set<Target>()
  for (const word of words) {
    const choice = word.toLowerCase()
    if (!(TARGET_CHOICES as readonly string[]).includes(choice)) {
      throw new InputError(
        `Input 'target' has an unknown value '${word}'. Valid values: ${TARGET_CHOICES.join(', ')}, ` +
          `or a comma- or space-separated combination such as 'frontend,docker'.`
      )
    }
    for (const target of choice === 'all' ? ALL_TARGETS : [choice as Target]) chosen.add(target)
  }
  return {
    targets: TARGETS.filter((target) => chosen.has(target)),
    dockerRequired: words.some((word) => word.toLowerCase() === 'docker')
  }
}

export function parseBoolean(name: string, raw: string, fallback: boolean): boolean {
  const value = raw.trim()
  if (value === '') return fallback
  if (BOOLEAN_TRUE.includes(value)) return true
  if (BOOLEAN_FALSE.includes(value)) return false
  throw new InputError(`Input '${name}' must be a boolean: true or false (got '${raw}').`)
}

/** Splits a list input: one item per line or comma-separated; blanks dropped. */
export function parseList(raw: string): string[] {
  return raw
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter((item) => item !== '')
}

/**
 * A path relative to the root, normalized, or an InputError when it leads
 * outside the root. Lexical, like the shell would read it: '..' climbs.
 * An absolute path is accepted only when it lies under the root.
 */
export function confinePath(name: string, root: string, raw: string, allowRoot: boolean): string {
  const trimmed = raw.trim()
  const absolute = path.resolve(root, trimmed === '' ? '.' : trimmed)
  const relative = path.relative(root, absolute)
  if (relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) {
    throw new InputError(`Input '${name}' must stay under working-directory '${root}': '${raw}' leads outside it.`)
  }
  if (relative === '' && !allowRoot) {
    throw new InputError(
      `Input '${name}' must name something under working-directory '${root}', not the directory itself: '${raw}'.`
    )
  }
  return relative === '' ? '.' : relative.split(path.sep).join('/')
}

export function parseDockerFilters(raw: string): string[] {
  const filters = raw
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
  for (const filter of filters) {
    if (!/^[\w.-]+=.+$/.test(filter)) {
      throw new InputError(
        `Input 'docker-filter' has '${filter}': each line must be key=value, e.g. until=24h or type=exec.cachemount.`
      )
    }
  }
  return filters
}

/** A size input, read as the docker CLI reads its prune sizes; undefined when empty. */
export function parseDockerSize(name: string, raw: string): number | undefined {
  if (raw.trim() === '') return undefined
  const bytes = parseSize(raw.trim())
  if (bytes === undefined) {
    throw new InputError(
      `Input '${name}' must be a size as the docker CLI reads it, such as 512MB, 5GB or 1.5g ` +
        `(binary units b, k, m, g, t, p, optionally followed by b or ib), got '${raw}'.`
    )
  }
  return bytes
}

/**
 * The Docker inputs → DockerSettings, and the warnings they deserve:
 * `docker-keep-storage` is the old name of `docker-reserved-space` (Docker
 * CLI 28 deprecated `--keep-storage` for `--reserved-space`); both at once is
 * an error.
 */
export function readDockerSettings(read: InputReader): { docker: DockerSettings; warnings: string[] } {
  const warnings: string[] = []
  const reserved = parseDockerSize('docker-reserved-space', read('docker-reserved-space'))
  const keepStorage = parseDockerSize('docker-keep-storage', read('docker-keep-storage'))
  if (reserved !== undefined && keepStorage !== undefined) {
    throw new InputError(
      `Inputs 'docker-reserved-space' and 'docker-keep-storage' are the same setting (the second is its deprecated name): give only 'docker-reserved-space'.`
    )
  }
  if (keepStorage !== undefined) {
    warnings.push(
      `Input 'docker-keep-storage' is deprecated: use 'docker-reserved-space' (the same value, as Docker CLI 28 renamed --keep-storage to --reserved-space).`
    )
  }
  return {
    docker: {
      pruneAll: parseBoolean('docker-prune-all', read('docker-prune-all'), true),
      filters: parseDockerFilters(read('docker-filter')),
      reservedBytes: reserved ?? keepStorage,
      maxUsedBytes: parseDockerSize('docker-max-used-space', read('docker-max-used-space')),
      minFreeBytes: parseDockerSize('docker-min-free-space', read('docker-min-free-space'))
    },
    warnings
  }
}

export const ACTIONS_CACHE_KEY_EXAMPLES =
  "'index-buildkit-' (the BuildKit gha cache index of the default scope buildkit; 'index-<scope>-' for another " +
  "scope), 'buildkit-blob-' (its layer blobs, shared by every scope: the space, not the freshness), " +
  "'Linux-nextjs-' (the Next.js docs' key)"

export function parseActionsCacheKeys(raw: string): string[] {
  const prefixes = parseList(raw)
  if (prefixes.length === 0) {
    throw new InputError(
      `Input 'actions-cache-key' is required with target actions-cache: the key prefixes of the entries to delete, ` +
        `one per line or comma-separated, e.g. ${ACTIONS_CACHE_KEY_EXAMPLES}.`
    )
  }
  return [...new Set(prefixes)]
}

export function parseActionsCacheRefs(raw: string): string[] {
  const refs = raw
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
  for (const ref of refs) {
    if (!/^refs\/\S+$/.test(ref)) {
      throw new InputError(
        `Input 'actions-cache-ref' has '${ref}': each line must be a full ref such as refs/heads/main or refs/pull/42/merge.`
      )
    }
  }
  return [...new Set(refs)]
}

const DURATION_UNITS_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 }

export function parseUnusedFor(raw: string): { text: string; ms: number } | undefined {
  const text = raw.trim()
  if (text === '') return undefined
  const match = /^(\d+)\s*([mhd])$/.exec(text)
  if (!match || Number(match[1]) === 0) {
    throw new InputError(
      `Input 'actions-cache-unused-for' must be a duration: a whole number of minutes, hours or days ` +
        `such as 90m, 24h or 7d (got '${raw}').`
    )
  }
  return { text, ms: Number(match[1]) * DURATION_UNITS_MS[match[2]] }
}

export function parseRepository(raw: string, env: Environment): string {
  const repository = raw.trim() || (env.GITHUB_REPOSITORY ?? '').trim()
  if (!/^[\w.-]+\/[\w.-]+$/.test(repository)) {
    throw new InputError(
      repository === ''
        ? `Input 'repository' is empty and GITHUB_REPOSITORY is not set: name the repository as owner/name.`
        : `Input 'repository' must be owner/name, e.g. octo-org/web (got '${repository}').`
    )
  }
  return repository
}

export function parseApiUrl(env: Environment): string {
  const raw = (env.GITHUB_API_URL ?? '').trim() || 'https://api.github.com'
  let url: URL | undefined
  try {
    url = new URL(raw)
  } catch {
    url = undefined
  }
  if (!url || !['http:', 'https:'].includes(url.protocol)) {
    throw new InputError(
      `GITHUB_API_URL must be an http(s) URL such as https://api.github.com or https://HOST/api/v3 (got '${raw}').`
    )
  }
  return raw.replace(/\/+$/, '')
}

/** CLEAR_APP_CACHES_API_WAIT_SCALE: the tests shorten GitHub's waits with it; 1 when unset. */
export function parseWaitScale(env: Environment): number {
  const raw = (env.CLEAR_APP_CACHES_API_WAIT_SCALE ?? '').trim()
  if (raw === '') return 1
  const scale = Number(raw)
  if (!(scale > 0 && scale <= 1)) {
    throw new InputError(`CLEAR_APP_CACHES_API_WAIT_SCALE must be a number above 0 and at most 1 (got '${raw}').`)
  }
  return scale
}

export function readActionsCacheSettings(read: InputReader, env: Environment): ActionsCacheSettings {
  const keyPrefixes = parseActionsCacheKeys(read('actions-cache-key'))
  const refs = parseActionsCacheRefs(read('actions-cache-ref'))
  const unusedFor = parseUnusedFor(read('actions-cache-unused-for'))
  const repository = parseRepository(read('repository'), env)
  const apiUrl = parseApiUrl(env)
  const waitScale = parseWaitScale(env)
  // The action passes github.token; the CLI reads the gh CLI's variables.
  const token = read('github-token').trim() || env.GITHUB_TOKEN?.trim() || env.GH_TOKEN?.trim() || ''
  if (token === '') {
    throw new InputError(
      `Input 'github-token' is empty: Actions cache entries are listed and deleted with a token ` +
        `(the action's default is the job's github.token; the CLI reads GITHUB_TOKEN or GH_TOKEN).`
    )
  }
  return { repository, apiUrl, token, keyPrefixes, refs, unusedFor, waitScale }
}

// Loose on purpose: the engine checks the full grammar; this keeps out blanks,
// quotes and option-like values, and names the input early.
const IMAGE_REFERENCE = /^\w[\w.\-/:@]*$/

export function parseImageReference(name: string, raw: string): string {
  const value = raw.trim()
  if (value === '') return DEFAULT_REMOTE_NODE_IMAGE
  if (!IMAGE_REFERENCE.test(value)) {
    throw new InputError(
      `Input '${name}' must be an image reference such as ${DEFAULT_REMOTE_NODE_IMAGE} or registry.example.com/team/node:22 (got '${raw}').`
    )
  }
  return value
}

const SSH_ADDRESS =
  /^(?:ssh:\/\/)?([A-Za-z0-9._][A-Za-z0-9._-]*)@(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?\/?$/

/** `user@host`, `user@host:port` or `ssh://user@host[:port]` (IPv6 in brackets) → its parts; undefined when not one. */
function matchSshAddress(raw: string): SshAddress | undefined {
  const text = raw.trim()
  const match = SSH_ADDRESS.exec(text)
  const port = match?.[3] === undefined ? 22 : Number(match[3])
  if (!match || port < 1 || port > 65535 || (text.endsWith('/') && !text.startsWith('ssh://'))) return undefined
  const host = match[2].startsWith('[') ? match[2].slice(1, -1) : match[2]
  return { user: match[1], host, port }
}

/**
 * `ssh-host` → user, host, port: `user@host`, `user@host:port`,
 * `ssh://user@host[:port]`; an IPv6 address goes in brackets.
 */
export function parseSshHost(raw: string): SshAddress {
  const address = matchSshAddress(raw)
  if (!address) {
    throw new InputError(
      `Input 'ssh-host' must be user@host, user@host:port or ssh://user@host[:port] ` +
        `(an IPv6 address in brackets: user@[2001:db8::1]:22), got '${raw}'.`
    )
  }
  return address
}

/**
 * `ssh-proxy-jump` → the jump hosts, in OpenSSH's ProxyJump order: each
 * `user@host[:port]` or `ssh://user@host[:port]`, separated by commas or
 * newlines. Empty: none.
 */
export function parseProxyJump(raw: string): SshAddress[] {
  return parseList(raw).map((item) => {
    const address = matchSshAddress(item)
    if (!address) {
      throw new InputError(
        `Input 'ssh-proxy-jump' has '${item}': each jump host must be user@host, user@host:port or ` +
          `ssh://user@host[:port] (an IPv6 address in brackets: user@[2001:db8::1]:22), separated by commas or ` +
          `newlines, the first being the one the runner connects to.`
      )
    }
    return address
  })
}

/** A private key ssh2 can use, or an InputError naming the input (never the key). */
async function checkPrivateKey(key: string, passphrase: string | undefined): Promise<void> {
  // Imported only when a key is given: ssh2 compiles WebAssembly when it loads.
  // It is CommonJS: its `utils` is reached through the default export under ESM.
  const { default: ssh2 } = await import(/* webpackChunkName: "ssh" */ 'ssh2')
  const parsed = ssh2.utils.parseKey(key, passphrase)
  const error = parsed instanceof Error ? parsed : undefined
  if (error && /passphrase/i.test(error.message)) {
    throw new InputError(
      `Input 'ssh-key' is encrypted: give its passphrase in 'ssh-key-passphrase' (the one given does not open it).`
    )
  }
  if (error || !(parsed as ParsedKey).isPrivateKey()) {
    throw new InputError(
      `Input 'ssh-key' must be a private key in OpenSSH format (ed25519, ecdsa or RSA), ` +
        `the whole file from -----BEGIN to END-----${error ? ` (${error.message})` : ''}.`
    )
  }
}

function keyscanCommand({ host, port }: Pick<SshAddress, 'host' | 'port'>): string {
  return `ssh-keyscan${port === 22 ? '' : ` -p ${port}`} -t ed25519 ${host}`
}

export async function readSshSettings(read: InputReader, defaults?: SshDefaults): Promise<SshSettings | undefined> {
  const address = read('ssh-host').trim()
  if (address === '') {
    if (read('ssh-proxy-jump').trim() !== '') {
      throw new InputError(
        `Input 'ssh-proxy-jump' needs 'ssh-host': the jump hosts lead to that host (set ssh-host, or leave ssh-proxy-jump empty).`
      )
    }
    return undefined
  }
  const { user, host, port } = parseSshHost(address)
  const jumps = parseProxyJump(read('ssh-proxy-jump'))
  const key = read('ssh-key').trim()
  const passphrase = read('ssh-key-passphrase') || undefined
  const privateKeys = key === '' ? (defaults?.privateKeys ?? []) : [`${key}\n`]
  if (key !== '') await checkPrivateKey(privateKeys[0], passphrase)
  if (privateKeys.length === 0 && !defaults?.agentSocket) {
    throw new InputError(`Input 'ssh-key' is required with 'ssh-host': the private key that logs in as ${user}.`)
  }
  const knownHosts = read('ssh-known-hosts').trim() || defaults?.knownHosts || ''
  const scan = keyscanCommand({ host, port })
  if (knownHosts.trim() === '') {
    throw new InputError(
      `Input 'ssh-known-hosts' is required with 'ssh-host': the host's key line(s), as \`${scan}\` prints them ` +
        `(run it once from a machine you trust; there is no trust on first use).`
    )
  }
  // Imported with ssh-host only, as the key parser is: it needs node:crypto.
  const { acceptedKeys, knownHostName, parseKnownHosts } = await import(
    /* webpackChunkName: "ssh" */ './host/known-hosts.js'
  )
  const knownLines = parseKnownHosts(knownHosts)
  if (acceptedKeys(knownLines, host, port).length === 0) {
    throw new InputError(
      `Input 'ssh-known-hosts' lists no key for ${knownHostName(host, port)}: give the line(s) \`${scan}\` prints.`
    )
  }
  // Every hop is checked as strictly as the target: its key must be listed too.
  for (const jump of jumps) {
    if (acceptedKeys(knownLines, jump.host, jump.port).length > 0) continue
    throw new InputError(
      `Input 'ssh-known-hosts' lists no key for the jump host ${knownHostName(jump.host, jump.port)} ` +
        `(ssh-proxy-jump): give the line(s) \`${keyscanCommand(jump)}\` prints, from a machine that reaches it.`
    )
  }
  const nodeImage = parseImageReference('remote-node-image', read('remote-node-image'))
  return {
    user,
    host,
    port,
    jumps,
    privateKeys,
    passphrase,
    agentSocket: defaults?.agentSocket,
    knownHosts,
    nodeImage
  }
}

/**
 * All inputs → Settings. Rejects with InputError before anything is touched
 * (asynchronous only to load the SSH key parser when a key is given). `cwd`
 * and `workspace` resolve a relative or empty working-directory (on
 * this machine; on an SSH host it must be absolute). `env` gives the runner's
 * GITHUB_REPOSITORY, GITHUB_API_URL (and the CLI's token). `sshDefaults` is
 * what the CLI found in the user's agent and ~/.ssh.
 */
export async function readSettings(
  read: InputReader,
  cwd: string,
  workspace = cwd,
  env: Environment = {},
  sshDefaults?: SshDefaults
): Promise<Settings> {
  const { targets, dockerRequired } = parseTargets(read('target'))
  const ssh = await readSshSettings(read, sshDefaults)
  const workingDirectory = read('working-directory').trim()
  let root: string
  if (ssh) {
    if (workingDirectory !== '' && !path.posix.isAbsolute(workingDirectory)) {
      throw new InputError(
        `Input 'working-directory' must be an absolute path on ${ssh.host} with 'ssh-host' (e.g. /srv/app), got '${workingDirectory}'.`
      )
    }
    if (workingDirectory === '' && targets.some(isFileTarget)) {
      throw new InputError(
        `Input 'working-directory' is required with 'ssh-host' for the file targets: the app's absolute path on ${ssh.host} (e.g. /srv/app).`
      )
    }
    root = workingDirectory === '' ? '' : path.posix.normalize(workingDirectory).replace(/(.)\/$/, '$1')
  } else {
    root = path.resolve(cwd, workingDirectory === '' ? workspace : workingDirectory)
  }
  const docker = readDockerSettings(read)
  const frontendRaw = read('frontend-path').trim()
  const backendRaw = read('backend-path').trim()
  return {
    targets,
    dockerRequired,
    root,
    frontendPath: confinePath('frontend-path', root, frontendRaw === '' ? 'frontend' : frontendRaw, true),
    backendPath: confinePath('backend-path', root, backendRaw === '' ? 'backend' : backendRaw, true),
    extraPaths: parseList(read('extra-paths')).map((item) => confinePath('extra-paths', root, item, false)),
    dryRun: parseBoolean('dry-run', read('dry-run'), false),
    summary: parseBoolean('summary', read('summary'), true),
    docker: docker.docker,
    ssh,
    actionsCache: targets.includes('actions-cache') ? readActionsCacheSettings(read, env) : undefined,
    inputWarnings: [...docker.warnings, ...(targets.includes('actions-cache') ? [] : unusedActionsCacheInputs(read))]
  }
}

function unusedActionsCacheInputs(read: InputReader): string[] {
  const given = ['actions-cache-key', 'actions-cache-ref', 'actions-cache-unused-for'].filter(
    (name) => read(name).trim() !== ''
  )
  if (given.length === 0) return []
  return [
    `${given.join(', ')} ${given.length === 1 ? 'is' : 'are'} set, but the target actions-cache was not named ` +
      `(it is never part of all): the Actions cache was left alone.`
  ]
}
