// File names are bytes: Linux allows any byte in a name but '/' and NUL, and
// an old archive unpacks Latin-1 names (`été` as `\xe9t\xe9`) that are not
// UTF-8. The search and the remover carry paths as Buffers, so every name can
// be found and removed; a path becomes text only to be shown, with displayPath.
//
// Inside the search and the remover, names and paths are byte keys: strings
// with one character per byte (the 'latin1' encoding, exact both ways), read
// so from listings and turned into a Buffer only for the system call that
// takes them. A Buffer per name or path is an allocation outside the JS heap,
// and one kept (a path held until its directory is done) pins a whole 8 KB
// pool slab: at a million entries that raised peak RSS past 160 MB (bench/).

/** A path as a byte key. */
export type BytePath = string

const SLASH = 0x2f
const BACKSLASH = 0x5c

/** `dir/name`, in bytes, for a name read as a byte key. */
export function joinKey(dir: Buffer, name: string): Buffer {
  const joined = Buffer.allocUnsafe(dir.length + 1 + name.length)
  dir.copy(joined, 0)
  joined[dir.length] = SLASH
  joined.write(name, dir.length + 1, 'latin1')
  return joined
}

/**
 * A string with one character per byte (Latin-1): the same bytes, exactly, as
 * a value a Set or a RegExp can use. The rules match names through this key.
 */
export function byteKey(bytes: Buffer): string {
  return bytes.toString('latin1')
}

/** The byte key of a text's UTF-8 bytes (a rule, an input). */
export function textKey(text: string): string {
  return Buffer.from(text).toString('latin1')
}

/** The bytes a byte key stands for. */
export function keyBytes(key: string): Buffer {
  return Buffer.from(key, 'latin1')
}

// A byte other than ASCII: only then does a byte key need a Buffer to reach the system.
const NOT_ASCII = /[\u0080-\uffff]/

/**
 * The path a byte key names, as the system calls take it: the key itself when
 * it is ASCII (the same bytes as UTF-8, and no Buffer to allocate, which the
 * remover's per-entry calls showed in bench/), else its bytes.
 */
export function systemPath(key: string): string | Buffer {
  return NOT_ASCII.test(key) ? Buffer.from(key, 'latin1') : key
}

/**
 * The length of the well-formed UTF-8 sequence starting at `i`, or 0 when the
 * byte there does not start one (Unicode Table 3-7: no overlongs, no
 * surrogates, nothing past U+10FFFF).
 */
function utf8SequenceLength(bytes: Uint8Array, i: number): number {
  const lead = bytes[i]
  if (lead < 0x80) return 1
  let length: number
  let secondMin = 0x80
  let secondMax = 0xbf
  if (lead >= 0xc2 && lead <= 0xdf) length = 2
  else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3
    if (lead === 0xe0) secondMin = 0xa0
    if (lead === 0xed) secondMax = 0x9f
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4
    if (lead === 0xf0) secondMin = 0x90
    if (lead === 0xf4) secondMax = 0x8f
  } else return 0
  if (i + length > bytes.length) return 0
  if (bytes[i + 1] < secondMin || bytes[i + 1] > secondMax) return 0
  for (let k = 2; k < length; k++) if ((bytes[i + k] & 0xc0) !== 0x80) return 0
  return length
}

const hex = (byte: number): string => `\\x${byte.toString(16).padStart(2, '0')}`

/**
 * A path as readable, valid UTF-8 text that names it unambiguously: well-formed
 * UTF-8 shows as itself; a byte that is not part of one, and a control byte
 * (0x00-0x1f, 0x7f: a newline must not start a new log line or workflow
 * command), shows as `\xHH`; a backslash shows as `\\`. So in a shown path a
 * backslash always starts an escape, and the bytes can be read back from it.
 */
export function displayPath(bytes: Uint8Array): string {
  let text = ''
  let plainFrom = 0
  const flush = (end: number): void => {
    if (end > plainFrom) text += Buffer.from(bytes.buffer, bytes.byteOffset + plainFrom, end - plainFrom).toString()
  }
  for (let i = 0; i < bytes.length;) {
    const byte = bytes[i]
    const length = utf8SequenceLength(bytes, i)
    if (length > 0 && byte >= 0x20 && byte !== 0x7f && byte !== BACKSLASH) {
      i += length
      continue
    }
    flush(i)
    text += byte === BACKSLASH ? '\\\\' : hex(byte)
    plainFrom = ++i
  }
  flush(bytes.length)
  return text
}
