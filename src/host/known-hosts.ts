// known_hosts lines (the `ssh-known-hosts` input, or ~/.ssh/known_hosts for
// the CLI) and the check of the key a host offers against them. Pure: the SSH
// transport asks `acceptedKeys` which key types to negotiate and `isKnownKey`
// whether to go on. There is no "accept anything" path: no line, no trust.
import { createHmac } from 'node:crypto'

export interface KnownHostLine {
  /** Host patterns of the line (comma-separated in the file); empty when hashed. */
  readonly patterns: readonly string[]
  /** `|1|salt|hash` entry, both base64-decoded. */
  readonly hashed?: { readonly salt: Buffer; readonly hash: Buffer }
  /** `@revoked` lines refuse the key; `@cert-authority` lines are not supported and are skipped. */
  readonly revoked: boolean
  /** e.g. ssh-ed25519, ecdsa-sha2-nistp256, ssh-rsa. */
  readonly keyType: string
  /** The public key blob, as the server sends it. */
  readonly key: Buffer
}

/** Parses known_hosts text. Comments, blank lines, cert-authority lines and lines that are not key lines are skipped. */
export function parseKnownHosts(text: string): KnownHostLine[] {
  const lines: KnownHostLine[] = []
  for (const raw of text.split(/\r?\n/)) {
    const fields = raw.trim().split(/\s+/)
    if (fields[0] === '' || fields[0].startsWith('#')) continue
    let revoked = false
    if (fields[0].startsWith('@')) {
      if (fields[0] !== '@revoked') continue
      revoked = true
      fields.shift()
    }
    const [hosts, keyType, base64] = fields
    if (!hosts || !keyType || !base64 || !/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) continue
    const key = Buffer.from(base64, 'base64')
    // The blob starts with its own type: a line whose type field lies is not used.
    if (blobKeyType(key) !== keyType) continue
    const hashedMatch = /^\|1\|([A-Za-z0-9+/=]+)\|([A-Za-z0-9+/=]+)$/.exec(hosts)
    lines.push({
      patterns: hashedMatch ? [] : hosts.split(','),
      hashed: hashedMatch
        ? { salt: Buffer.from(hashedMatch[1], 'base64'), hash: Buffer.from(hashedMatch[2], 'base64') }
        : undefined,
      revoked,
      keyType,
      key
    })
  }
  return lines
}

/** The key type named at the start of an SSH public key blob (string length + name), or '' when not one. */
export function blobKeyType(blob: Buffer): string {
  if (blob.length < 4) return ''
  const length = blob.readUInt32BE(0)
  if (length === 0 || length > 64 || blob.length < 4 + length) return ''
  return blob.subarray(4, 4 + length).toString('latin1')
}

/** How known_hosts names a host: `host` on port 22, `[host]:port` otherwise. */
export function knownHostName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`
}

/** OpenSSH's wildcard match: `*` any run, `?` one character, case-insensitive. */
function wildcardMatch(pattern: string, name: string): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.')
  return new RegExp(`^${regex}$`, 'i').test(name)
}

/** Whether a line names the host: a hashed entry, or patterns where a matching `!pattern` wins. */
export function lineMatchesHost(line: KnownHostLine, host: string, port: number): boolean {
  const name = knownHostName(host, port)
  if (line.hashed) {
    const digest = createHmac('sha1', line.hashed.salt).update(name).digest()
    return digest.equals(line.hashed.hash)
  }
  let matched = false
  for (const pattern of line.patterns) {
    const negated = pattern.startsWith('!')
    if (wildcardMatch(negated ? pattern.slice(1) : pattern, name)) {
      if (negated) return false
      matched = true
    }
  }
  return matched
}

/** The keys listed for host:port that are not revoked, in file order. */
export function acceptedKeys(lines: readonly KnownHostLine[], host: string, port: number): KnownHostLine[] {
  const revoked = lines.filter((line) => line.revoked)
  return lines.filter(
    (line) =>
      !line.revoked &&
      lineMatchesHost(line, host, port) &&
      !revoked.some((bad) => bad.key.equals(line.key) && lineMatchesHost(bad, host, port))
  )
}

/** true when `offered` (the server's key blob) is listed for host:port and not revoked. */
export function isKnownKey(lines: readonly KnownHostLine[], host: string, port: number, offered: Buffer): boolean {
  return acceptedKeys(lines, host, port).some((line) => line.key.equals(offered))
}

/**
 * Host-key algorithms to offer, from the listed key types, so the server
 * shows the key we know (as OpenSSH orders by known_hosts). RSA keys are
 * negotiated only with rsa-sha2 signatures, never SHA-1 `ssh-rsa`.
 */
export function hostKeyAlgorithms(keys: readonly KnownHostLine[]): string[] {
  const algorithms: string[] = []
  for (const { keyType } of keys) {
    for (const algorithm of keyType === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256'] : [keyType]) {
      if (!algorithms.includes(algorithm)) algorithms.push(algorithm)
    }
  }
  return algorithms
}
