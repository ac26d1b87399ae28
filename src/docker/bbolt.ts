// A read-only reader of bbolt database files (go.etcd.io/bbolt), the format
// of containerd's metadata (io.containerd.metadata.v1.bolt/meta.db) and of
// its overlayfs snapshotter (metadata.db). No maintained reader exists on
// npm; this one reads only what a lookup needs: the two meta pages (the valid
// one with the higher transaction id), branch and leaf pages, and buckets,
// inline or not. It never writes. A file copied while containerd commits can
// be torn: a page that is not what its parent says throws BoltFormatError,
// and the caller reads the file again.
//
// Layout (bbolt's page.go, bucket.go, db.go; all little-endian):
// - page header, 16 bytes: id u64, flags u16 (branch 0x01, leaf 0x02,
//   meta 0x04, freelist 0x10), count u16, overflow u32;
// - meta, after the header: magic u32 0xED0CDAED, version u32 2, pageSize
//   u32, flags u32, root bucket (root pgid u64, sequence u64), freelist u64,
//   pgid u64, txid u64, checksum u64 (FNV-1a 64 of the 56 bytes before);
// - branch element, 16 bytes: pos u32, ksize u32, pgid u64 (key at the
//   element's address + pos);
// - leaf element, 16 bytes: flags u32 (0x01: the value is a bucket), pos
//   u32, ksize u32, vsize u32 (key at address + pos, value right after);
// - a bucket value: root pgid u64, sequence u64; root 0 means inline, the
//   bucket's one leaf page follows in the value itself.

export class BoltFormatError extends Error {
  override name = 'BoltFormatError'
}

const MAGIC = 0xed0cdaed
const HEADER = 16
const ELEMENT = 16
const BRANCH = 0x01
const LEAF = 0x02
const META = 0x04
const BUCKET_LEAF = 0x01

/** One entry of a bucket: a value, or a nested bucket. */
export type BoltEntry =
  | { readonly key: Buffer; readonly value: Buffer; readonly bucket?: undefined }
  | { readonly key: Buffer; readonly value?: undefined; readonly bucket: BoltBucket }

export class BoltBucket {
  constructor(
    private readonly db: BoltDb,
    /** The page the bucket's root is: a page number, or an inline page's bytes. */
    private readonly root: number | Buffer
  ) {}

  /** Every entry in key order. */
  *entries(): Generator<BoltEntry> {
    if (typeof this.root === 'number') yield* this.db.walk(this.db.page(this.root), this.db.file)
    else yield* this.db.walk(0, this.root)
  }

  /** The value under `key`, undefined when absent or a bucket. */
  get(key: string | Buffer): Buffer | undefined {
    const wanted = typeof key === 'string' ? Buffer.from(key) : key
    for (const entry of this.entries()) if (entry.key.equals(wanted)) return entry.value
    return undefined
  }

  /** The nested bucket under `key`, undefined when absent or a value. */
  bucket(key: string | Buffer): BoltBucket | undefined {
    const wanted = typeof key === 'string' ? Buffer.from(key) : key
    for (const entry of this.entries()) if (entry.key.equals(wanted)) return entry.bucket
    return undefined
  }

  /** The nested bucket at a path of keys, undefined when any step is missing. */
  path(...keys: (string | Buffer)[]): BoltBucket | undefined {
    return keys.reduce<BoltBucket | undefined>((bucket, key) => bucket?.bucket(key), this)
  }

  /** The nested buckets by name (UTF-8). */
  *buckets(): Generator<[string, BoltBucket]> {
    for (const entry of this.entries()) if (entry.bucket) yield [entry.key.toString('utf8'), entry.bucket]
  }

  /** The values by name (UTF-8). */
  *values(): Generator<[string, Buffer]> {
    for (const entry of this.entries()) if (entry.value) yield [entry.key.toString('utf8'), entry.value]
  }
}

function fnv1a64(bytes: Buffer): bigint {
  let hash = 0xcbf29ce484222325n
  for (const byte of bytes) {
    hash ^= BigInt(byte)
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn
  }
  return hash
}

interface Meta {
  readonly pageSize: number
  readonly root: number
  readonly txid: bigint
}

function readMeta(file: Buffer, offset: number): Meta | undefined {
  if (file.length < offset + HEADER + 64) return undefined
  const meta = offset + HEADER
  if (!(file.readUInt16LE(offset + 8) & META) || file.readUInt32LE(meta) !== MAGIC) return undefined
  if (file.readUInt32LE(meta + 4) !== 2) return undefined
  if (fnv1a64(file.subarray(meta, meta + 56)) !== file.readBigUInt64LE(meta + 56)) return undefined
  return {
    pageSize: file.readUInt32LE(meta + 8),
    root: Number(file.readBigUInt64LE(meta + 16)),
    txid: file.readBigUInt64LE(meta + 48)
  }
}

export class BoltDb {
  readonly root: BoltBucket
  readonly pageSize: number
  readonly txid: bigint

  private constructor(
    readonly file: Buffer,
    meta: Meta
  ) {
    this.pageSize = meta.pageSize
    this.txid = meta.txid
    this.root = new BoltBucket(this, meta.root)
  }

  /** Reads a whole database file; throws BoltFormatError when it is not one (or torn). */
  static open(file: Buffer): BoltDb {
    const first = readMeta(file, 0)
    // The second meta page sits one page further: its size comes from the first (or, when that is torn, 4096).
    const second = readMeta(file, first?.pageSize ?? 4096)
    const metas = [first, second].filter((m): m is Meta => m !== undefined)
    if (metas.length === 0) throw new BoltFormatError('no valid meta page (not a bbolt file, or torn)')
    const meta = metas.reduce((a, b) => (b.txid > a.txid ? b : a))
    return new BoltDb(file, meta)
  }

  /** The byte offset of page `id`, checked against the file. */
  page(id: number): number {
    const offset = id * this.pageSize
    if (!Number.isSafeInteger(offset) || offset + HEADER > this.file.length || id < 2)
      throw new BoltFormatError(`page ${id} is outside the file`)
    if (this.file.readBigUInt64LE(offset) !== BigInt(id))
      throw new BoltFormatError(`page ${id} is not where it should be (torn copy)`)
    return offset
  }

  /** Entries under the page at `offset` of `data` (the file, or an inline bucket's bytes), in key order. */
  *walk(offset: number, data: Buffer): Generator<BoltEntry> {
    const flags = data.readUInt16LE(offset + 8)
    const count = data.readUInt16LE(offset + 10)
    const elements = offset + HEADER
    if (elements + count * ELEMENT > data.length) throw new BoltFormatError('a page runs past the end of its data')
    if (flags & BRANCH) {
      for (let i = 0; i < count; i++) {
        const element = elements + i * ELEMENT
        const child = Number(data.readBigUInt64LE(element + 8))
        yield* this.walk(this.page(child), this.file)
      }
      return
    }
    if (!(flags & LEAF)) throw new BoltFormatError(`page at ${offset} is neither branch nor leaf (flags ${flags})`)
    for (let i = 0; i < count; i++) {
      const element = elements + i * ELEMENT
      const elementFlags = data.readUInt32LE(element)
      const pos = data.readUInt32LE(element + 4)
      const keySize = data.readUInt32LE(element + 8)
      const valueSize = data.readUInt32LE(element + 12)
      const keyStart = element + pos
      const valueStart = keyStart + keySize
      if (valueStart + valueSize > data.length) throw new BoltFormatError('an element runs past the end of its data')
      const key = data.subarray(keyStart, valueStart)
      const value = data.subarray(valueStart, valueStart + valueSize)
      if (elementFlags & BUCKET_LEAF) {
        if (value.length < 16) throw new BoltFormatError('a bucket header is short')
        const root = Number(value.readBigUInt64LE(0))
        yield { key, bucket: new BoltBucket(this, root === 0 ? value.subarray(16) : root) }
      } else {
        yield { key, value }
      }
    }
  }
}

/** Go's binary.Uvarint: the unsigned varint at the start of `bytes`. */
export function readUvarint(bytes: Buffer): number | undefined {
  let result = 0
  let shift = 1
  for (const byte of bytes) {
    result += (byte & 0x7f) * shift
    if (byte < 0x80) return Number.isSafeInteger(result) ? result : undefined
    shift *= 128
  }
  return undefined
}
