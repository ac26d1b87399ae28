// Network namespaces that a test builds for itself (`ip netns`, veth pairs),
// so that a server can be reachable only through another one:
//
//   const net = createNetwork('route')            // names unique to this run
//   const bastion = net.namespace('bastion')
//   const target = net.namespace('target')
//   const outer = net.link('root', bastion)       // outer.right: the bastion's address, reachable from here
//   const inner = net.link(bastion, target)       // inner.right: the target's, reachable from the bastion only
//   net.remove()                                  // afterAll: every namespace and link it made
//
// Addresses are a /24 per link in one 10.x.0.0/16 block picked per run that
// no interface or route here uses yet; only the namespaces made here (and the
// root end of a link to them) carry them. The block is marked unreachable in
// the root namespace, so that nothing for it ever leaves by the default route,
// and nothing forwards between links: a namespace two links away has no route.
import { execFileSync, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'

export interface Link {
  /** The address of the left end (`a`), then of the right end (`b`). */
  readonly left: string
  readonly right: string
}

export interface Network {
  /** Makes a namespace (its loopback up); returns its name. */
  namespace(role: string): string
  /** A veth pair between two namespaces ('root' is the test's own), each end with an address. */
  link(a: string, b: string): Link
  /** Runs a command in a namespace; its stdout. */
  run(namespace: string, argv: readonly string[]): string
  /** Deletes every namespace made (their links go with them). Idempotent. */
  remove(): void
}

function ip(args: readonly string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
}

/** A 10.x block that no address or route of this machine is in. */
function freeBlock(): number {
  const used = ip(['-4', '-o', 'addr']) + ip(['-4', 'route', 'show', 'table', 'all'])
  for (;;) {
    const second = 100 + (randomBytes(1)[0] % 150)
    if (!used.includes(`10.${second}.`)) return second
  }
}

/** Builds the namespaces of one test file; throws when this machine cannot (not root, no iproute2). */
export function createNetwork(tag: string): Network {
  const id = `${tag}-${process.pid}-${randomBytes(2).toString('hex')}`
  const block = freeBlock()
  ip(['route', 'add', 'unreachable', `10.${block}.0.0/16`])
  let routed = true
  const namespaces: string[] = []
  let links = 0
  const network: Network = {
    namespace(role) {
      const name = `cac-${id}-${role}`
      ip(['netns', 'add', name])
      namespaces.push(name)
      ip(['-n', name, 'link', 'set', 'lo', 'up'])
      return name
    },
    link(a, b) {
      links += 1
      // Interface names are at most 15 characters.
      const suffix = randomBytes(3).toString('hex')
      const [left, right] = [`ca${suffix}${links}`, `cb${suffix}${links}`]
      const subnet = `10.${block}.${links}`
      ip(['link', 'add', left, 'type', 'veth', 'peer', 'name', right])
      const ends: [string, string, string][] = [
        [a, left, `${subnet}.1`],
        [b, right, `${subnet}.2`]
      ]
      for (const [namespace, device, address] of ends) {
        if (namespace !== 'root') ip(['link', 'set', device, 'netns', namespace])
        const inNamespace = namespace === 'root' ? [] : ['-n', namespace]
        ip([...inNamespace, 'addr', 'add', `${address}/24`, 'dev', device])
        ip([...inNamespace, 'link', 'set', device, 'up'])
      }
      return { left: `${subnet}.1`, right: `${subnet}.2` }
    },
    run(namespace, argv) {
      return execFileSync('ip', ['netns', 'exec', namespace, ...argv], { encoding: 'utf8' })
    },
    remove() {
      // A veth pair goes when either end's namespace does.
      for (const name of namespaces.splice(0)) spawnSync('ip', ['netns', 'del', name])
      if (routed) spawnSync('ip', ['route', 'del', 'unreachable', `10.${block}.0.0/16`])
      routed = false
    }
  }
  return network
}

/** A network for a suite, or undefined (skipped visibly) when namespaces cannot be made here; under CI=true that throws. */
export function requireNetworkOrSkip(suite: string, tag: string): Network | undefined {
  let network: Network | undefined
  try {
    network = createNetwork(tag)
    // Probe: making one namespace is what needs the privileges.
    network.namespace('probe')
    return network
  } catch (error) {
    network?.remove()
    const reason = error instanceof Error ? error.message.trim() : String(error)
    if (process.env.CI === 'true') throw new Error(`${suite}: network namespaces are required in CI: ${reason}`)
    console.warn(`SKIPPED ${suite}: cannot make network namespaces (${reason})`)
    return undefined
  }
}
