// What containerd's garbage collector would drop once some leases are gone:
// a read-only replay of its mark and sweep (containerd core/metadata/gc.go,
// v1.7 to v2) over a copy of its metadata (meta.db) and the overlayfs
// snapshotter's own (metadata.db). Pure: no engine, no disk.
//
// On the containerd image store every BuildKit record holds a lease named by
// its ID (with `<id>-variants` and `<id>-view` beside it), and the lease
// holds the record's snapshots and content blobs. Pruning a record deletes
// those leases; containerd's collector then drops every snapshot and blob no
// root still reaches. Roots: leases not expired, images not expired, objects
// labelled containerd.io/gc.root (or gc.expire in the future), containers.
// References: gc.ref.content*, gc.ref.snapshot.<snapshotter>*, gc.ref.image*
// labels, a snapshot's parent, an image's target; a "flat" lease
// (containerd.io/gc.flat) holds its objects and their parents but not their
// labels' references; gc.bref.* labels point the other way. A blob file or a
// snapshotter's snapshot goes when no namespace keeps it.
import { BoltBucket, BoltDb, readUvarint } from '../bbolt.js'

const LABEL_ROOT = 'containerd.io/gc.root'
const LABEL_EXPIRE = 'containerd.io/gc.expire'
const LABEL_FLAT = 'containerd.io/gc.flat'
const REF_CONTENT = 'containerd.io/gc.ref.content'
const REF_SNAPSHOT = 'containerd.io/gc.ref.snapshot.'
const REF_IMAGE = 'containerd.io/gc.ref.image'
const BREF_CONTENT = 'containerd.io/gc.bref.content'
const BREF_SNAPSHOT = 'containerd.io/gc.bref.snapshot.'
const BREF_IMAGE = 'containerd.io/gc.bref.image'
const BREF_CONTAINER = 'containerd.io/gc.bref.container'

/** A node: "c <ns> <digest>", "s <ns> <snapshotter>/<key>", "i <ns> <name>", "k <ns> <container>". */
type Node = string
const content = (ns: string, digest: string): Node => `c ${ns} ${digest}`
const snapshot = (ns: string, ref: string): Node => `s ${ns} ${ref}`
const image = (ns: string, name: string): Node => `i ${ns} ${name}`
const container = (ns: string, id: string): Node => `k ${ns} ${id}`

/** `name` is `prefix` itself or `prefix` followed by '.' or '/' (containerd's reference naming). */
function named(name: string, prefix: string): boolean {
  return name === prefix || (name.startsWith(prefix) && (name[prefix.length] === '.' || name[prefix.length] === '/'))
}

function labelsOf(bucket: BoltBucket | undefined): Map<string, string> {
  const labels = new Map<string, string>()
  for (const [key, value] of bucket?.bucket('labels')?.values() ?? []) labels.set(key, value.toString('utf8'))
  return labels
}

function labelRefs(ns: string, labels: Map<string, string>): Node[] {
  const refs: Node[] = []
  for (const [key, value] of labels) {
    if (named(key, REF_CONTENT)) refs.push(content(ns, value))
    else if (named(key, REF_IMAGE)) refs.push(image(ns, value))
    else if (key.startsWith(REF_SNAPSHOT))
      refs.push(snapshot(ns, `${key.slice(REF_SNAPSHOT.length).split('/')[0]}/${value}`))
  }
  return refs
}

/** The objects a gc.bref.* label on an object points at: when one is kept, the object is kept. */
function backRefTargets(ns: string, labels: Map<string, string>): Node[] {
  const targets: Node[] = []
  for (const [key, value] of labels) {
    if (named(key, BREF_CONTENT)) targets.push(content(ns, value))
    else if (named(key, BREF_IMAGE)) targets.push(image(ns, value))
    else if (named(key, BREF_CONTAINER)) targets.push(container(ns, value))
    else if (key.startsWith(BREF_SNAPSHOT))
      targets.push(snapshot(ns, `${key.slice(BREF_SNAPSHOT.length).split('/')[0]}/${value}`))
  }
  return targets
}

/** An RFC 3339 gc.expire label before `now` (an unreadable one never expires, as containerd has it). */
function expired(labels: Map<string, string>, now: number): boolean {
  const text = labels.get(LABEL_EXPIRE)
  if (text === undefined) return false
  const at = Date.parse(text)
  return !Number.isNaN(at) && at < now
}

export interface ContainerdDrop {
  /** Content digests ("sha256:…") whose blob files the collector would delete. */
  readonly blobs: ReadonlySet<string>
  /** overlayfs snapshot directory ids (snapshots/<id>) it would delete. */
  readonly snapshotIds: ReadonlySet<number>
  /** Leases the prune deletes (found in meta.db). */
  readonly leasesRemoved: readonly string[]
}

/**
 * What the collector drops once the leases `gone` says are deleted: from
 * meta.db (containerd's metadata) and the overlayfs snapshotter's
 * metadata.db, at time `now` (ms). `gone(namespace, leaseId)`.
 */
export function simulateCollection(
  metaDb: BoltDb,
  overlayDb: BoltDb | undefined,
  gone: (namespace: string, lease: string) => boolean,
  now: number = Date.now(),
  snapshotter = 'overlayfs'
): ContainerdDrop {
  const v1 = metaDb.root.bucket('v1')
  const roots: [Node, boolean][] = []
  const backRefs = new Map<Node, Node[]>()
  const leasesRemoved: string[] = []
  // Buckets of every object, to follow its references when marked.
  const contents = new Map<Node, BoltBucket>()
  const snapshots = new Map<Node, BoltBucket>()
  const images = new Map<Node, BoltBucket>()
  const containers = new Map<Node, BoltBucket>()
  const addBackRefs = (node: Node, labels: Map<string, string>, ns: string): void => {
    for (const target of backRefTargets(ns, labels)) backRefs.set(target, [...(backRefs.get(target) ?? []), node])
  }
  const isRoot = (labels: Map<string, string>): boolean =>
    labels.has(LABEL_ROOT) || (labels.has(LABEL_EXPIRE) && !expired(labels, now))

  for (const [ns, nsBucket] of v1?.buckets() ?? []) {
    for (const [id, lease] of nsBucket.bucket('leases')?.buckets() ?? []) {
      const labels = labelsOf(lease)
      if (gone(ns, id)) {
        leasesRemoved.push(id)
        continue
      }
      if (expired(labels, now)) continue
      const flat = labels.has(LABEL_FLAT)
      for (const [digest] of entryKeys(lease.bucket('content'))) roots.push([content(ns, digest), flat])
      for (const [ss, keys] of lease.bucket('snapshots')?.buckets() ?? [])
        for (const [key] of entryKeys(keys)) roots.push([snapshot(ns, `${ss}/${key}`), flat])
      for (const [name] of entryKeys(lease.bucket('images'))) roots.push([image(ns, name), flat])
    }
    for (const [name, bucket] of nsBucket.bucket('images')?.buckets() ?? []) {
      const node = image(ns, name)
      images.set(node, bucket)
      const labels = labelsOf(bucket)
      if (!expired(labels, now)) roots.push([node, false])
      else addBackRefs(node, labels, ns)
    }
    for (const [digest, bucket] of nsBucket.path('content', 'blob')?.buckets() ?? []) {
      const node = content(ns, digest)
      contents.set(node, bucket)
      const labels = labelsOf(bucket)
      addBackRefs(node, labels, ns)
      if (isRoot(labels)) roots.push([node, false])
    }
    for (const [id, bucket] of nsBucket.bucket('containers')?.buckets() ?? []) {
      const node = container(ns, id)
      containers.set(node, bucket)
      addBackRefs(node, labelsOf(bucket), ns)
      roots.push([node, false])
    }
    for (const [ss, keys] of nsBucket.bucket('snapshots')?.buckets() ?? []) {
      for (const [key, bucket] of keys.buckets()) {
        const node = snapshot(ns, `${ss}/${key}`)
        snapshots.set(node, bucket)
        const labels = labelsOf(bucket)
        addBackRefs(node, labels, ns)
        if (isRoot(labels)) roots.push([node, false])
      }
    }
  }

  // Mark: a node reached flat is kept without its labels' references; reached in full, with them.
  const full = new Set<Node>()
  const flatOnly = new Set<Node>()
  const queue = [...roots]
  while (queue.length > 0) {
    const [node, flat] = queue.pop() as [Node, boolean]
    if (full.has(node) || (flat && flatOnly.has(node))) continue
    ;(flat ? flatOnly : full).add(node)
    for (const ref of backRefs.get(node) ?? []) queue.push([ref, false])
    const [kind, ns] = node.split(' ', 2)
    if (kind === 'c') {
      const bucket = contents.get(node)
      if (bucket && !flat) for (const ref of labelRefs(ns, labelsOf(bucket))) queue.push([ref, false])
    } else if (kind === 's') {
      const bucket = snapshots.get(node)
      if (!bucket) continue
      const ss = node.slice(2 + ns.length + 1).split('/')[0]
      const parent = bucket.get('parent')
      if (parent && parent.length > 0) queue.push([snapshot(ns, `${ss}/${parent.toString('utf8')}`), flat])
      if (!flat) for (const ref of labelRefs(ns, labelsOf(bucket))) queue.push([ref, false])
    } else if (kind === 'i') {
      const bucket = images.get(node)
      if (!bucket) continue
      const target = bucket.bucket('target')?.get('digest')
      if (target) queue.push([content(ns, target.toString('utf8')), flat])
      if (!flat) for (const ref of labelRefs(ns, labelsOf(bucket))) queue.push([ref, false])
    } else if (kind === 'k') {
      const bucket = containers.get(node)
      if (!bucket) continue
      const ss = bucket.get('snapshotter')?.toString('utf8')
      const key = bucket.get('snapshotKey')?.toString('utf8')
      if (ss && key) queue.push([snapshot(ns, `${ss}/${key}`), false])
      for (const ref of labelRefs(ns, labelsOf(bucket))) queue.push([ref, false])
    }
  }
  const kept = (node: Node): boolean => full.has(node) || flatOnly.has(node)

  // Sweep: a blob file is shared by every namespace, a backend snapshot is named by one.
  const keptBlobs = new Set<string>()
  const allBlobs = new Set<string>()
  for (const node of contents.keys()) {
    const digest = node.slice(node.indexOf(' ', 2) + 1)
    allBlobs.add(digest)
    if (kept(node)) keptBlobs.add(digest)
  }
  const keptBackend = new Set<string>()
  for (const [node, bucket] of snapshots) {
    const ref = node.slice(node.indexOf(' ', 2) + 1)
    if (!ref.startsWith(`${snapshotter}/`) || !kept(node)) continue
    const name = bucket.get('name')
    if (name) keptBackend.add(name.toString('utf8'))
  }
  const blobs = new Set([...allBlobs].filter((digest) => !keptBlobs.has(digest)))
  const snapshotIds = new Set<number>()
  for (const [name, bucket] of overlayDb?.root.path('v1', 'snapshots')?.buckets() ?? []) {
    if (keptBackend.has(name)) continue
    const id = readUvarint(bucket.get('id') ?? Buffer.alloc(0))
    if (id !== undefined) snapshotIds.add(id)
  }
  return { blobs, snapshotIds, leasesRemoved }
}

/** A bucket's keys (values and nested buckets alike), as [name]. */
function* entryKeys(bucket: BoltBucket | undefined): Generator<[string]> {
  for (const entry of bucket?.entries() ?? []) yield [entry.key.toString('utf8')]
}

/** The overlayfs snapshot ids every backend snapshot name has (metadata.db). */
export function overlaySnapshotIds(overlayDb: BoltDb): Map<string, number> {
  const ids = new Map<string, number>()
  for (const [name, bucket] of overlayDb.root.path('v1', 'snapshots')?.buckets() ?? []) {
    const id = readUvarint(bucket.get('id') ?? Buffer.alloc(0))
    if (id !== undefined) ids.set(name, id)
  }
  return ids
}

/** The leases a pruned record had: its ID, and `<id>-variants`, `<id>-view` (BuildKit cache/refs.go). */
export function recordLeases(recordIds: Iterable<string>): (namespace: string, lease: string) => boolean {
  const ids = new Set(recordIds)
  return (_ns, lease) => {
    if (ids.has(lease)) return true
    const dash = lease.lastIndexOf('-')
    return dash > 0 && ids.has(lease.slice(0, dash)) && ['variants', 'view'].includes(lease.slice(dash + 1))
  }
}
