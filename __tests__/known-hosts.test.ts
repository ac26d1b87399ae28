// src/host/known-hosts.ts: known_hosts lines and which offered keys they accept (pure).
import { describe, expect, test } from '@jest/globals'
import { createHmac } from 'node:crypto'
import {
  acceptedKeys,
  blobKeyType,
  hostKeyAlgorithms,
  isKnownKey,
  knownHostName,
  parseKnownHosts
} from '../src/host/known-hosts.js'

/** A key blob as the server sends it: string type, then some key bytes. */
function blob(type: string, fill: number): Buffer {
  const name = Buffer.from(type)
  const length = Buffer.alloc(4)
  length.writeUInt32BE(name.length)
  return Buffer.concat([length, name, Buffer.alloc(32, fill)])
}
const ED = blob('ssh-ed25519', 1)
const ED2 = blob('ssh-ed25519', 2)
const RSA = blob('ssh-rsa', 3)
const ECDSA = blob('ecdsa-sha2-nistp256', 4)
const line = (hosts: string, key: Buffer): string => `${hosts} ${blobKeyType(key)} ${key.toString('base64')}`
const hashed = (name: string, salt = Buffer.alloc(20, 7)): string =>
  `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`

describe('knownHostName', () => {
  test.each([
    ['example.com', 22, 'example.com'],
    ['example.com', 2222, '[example.com]:2222'],
    ['::1', 22, '::1'],
    ['::1', 2222, '[::1]:2222']
  ])('%s port %d → %s', (host, port, name) => {
    expect(knownHostName(host, port)).toBe(name)
  })
})

describe('isKnownKey', () => {
  const table: [string, string, string, number, Buffer, boolean][] = [
    // [case, known_hosts text, host, port, offered key, accepted]
    ['plain host, port 22', line('deploy.example.com', ED), 'deploy.example.com', 22, ED, true],
    ['host names are case-insensitive', line('Deploy.Example.com', ED), 'deploy.example.com', 22, ED, true],
    ['another key of the same type', line('deploy.example.com', ED), 'deploy.example.com', 22, ED2, false],
    ['a plain line does not cover another port', line('deploy.example.com', ED), 'deploy.example.com', 2222, ED, false],
    ['[host]:port', line('[deploy.example.com]:2222', ED), 'deploy.example.com', 2222, ED, true],
    ['[host]:port is not port 22', line('[deploy.example.com]:2222', ED), 'deploy.example.com', 22, ED, false],
    ['comma-separated names and addresses', line('deploy,10.0.0.5', ED), '10.0.0.5', 22, ED, true],
    ['another host', line('other.example.com', ED), 'deploy.example.com', 22, ED, false],
    ['IPv6 with a port', line('[2001:db8::1]:2222', ED), '2001:db8::1', 2222, ED, true],
    ['wildcards', line('*.example.com', ED), 'deploy.example.com', 22, ED, true],
    ['a negated pattern wins', line('*.example.com,!deploy.example.com', ED), 'deploy.example.com', 22, ED, false],
    ['hashed entry', line(hashed('deploy.example.com'), ED), 'deploy.example.com', 22, ED, true],
    ['hashed entry with a port', line(hashed('[10.0.0.5]:2222'), ED), '10.0.0.5', 2222, ED, true],
    ['hashed entry of another host', line(hashed('other'), ED), 'deploy.example.com', 22, ED, false],
    [
      'several keys per host: each is accepted',
      [line('h', RSA), line('h', ECDSA), line('h', ED)].join('\n'),
      'h',
      22,
      ECDSA,
      true
    ],
    [
      'comments, blank lines and a marker',
      `# c\n\n@cert-authority h ${ED.toString('base64')}\n${line('h', ED)}`,
      'h',
      22,
      ED,
      true
    ],
    [
      'a @cert-authority line alone is not trusted',
      `@cert-authority h ssh-ed25519 ${ED.toString('base64')}`,
      'h',
      22,
      ED,
      false
    ],
    ['@revoked refuses the key', `${line('h', ED)}\n@revoked ${line('*', ED)}`, 'h', 22, ED, false],
    ['a type field that contradicts the key is ignored', `h ssh-rsa ${ED.toString('base64')}`, 'h', 22, ED, false],
    ['garbage', 'h ssh-ed25519 not*base64', 'h', 22, ED, false],
    ['trailing comment and CRLF', `${line('h', ED)} root@h\r\n`, 'h', 22, ED, true],
    ['empty text trusts nothing', '', 'h', 22, ED, false]
  ]
  test.each(table)('%s', (_case, text, host, port, offered, accepted) => {
    expect(isKnownKey(parseKnownHosts(text), host, port, offered)).toBe(accepted)
  })
})

describe('hostKeyAlgorithms', () => {
  test('listed types in file order; RSA only with rsa-sha2 signatures', () => {
    const lines = parseKnownHosts([line('h', ED), line('h', RSA), line('h', ECDSA), line('h', ED2)].join('\n'))
    expect(hostKeyAlgorithms(acceptedKeys(lines, 'h', 22))).toEqual([
      'ssh-ed25519',
      'rsa-sha2-512',
      'rsa-sha2-256',
      'ecdsa-sha2-nistp256'
    ])
  })
})
