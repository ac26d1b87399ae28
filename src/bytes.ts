// Byte sizes: decimal units for display (as Docker prints them), binary units
// for parsing sizes the docker CLI would read (its prune flags use RAMInBytes).

const DECIMAL_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB']

/** 2500000000 -> "2.5 GB"; four significant digits at most, like `docker system df`. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return `${bytes} B`
  let value = bytes
  let unit = 0
  while (value >= 1000 && unit < DECIMAL_UNITS.length - 1) {
    value /= 1000
    unit++
  }
  const text = unit === 0 ? String(value) : String(Number(value.toPrecision(4)))
  return `${text} ${DECIMAL_UNITS[unit]}`
}

/** The least and the most of a byte figure. */
export interface ByteRange {
  readonly low: number
  readonly high: number
}

/** "between 4.096 kB and 8.192 kB (4096 to 8192 bytes)", or one figure where both ends meet. */
export function formatByteRange(range: ByteRange): string {
  return range.low === range.high
    ? `${formatBytes(range.low)} (${range.low} bytes)`
    : `between ${formatBytes(range.low)} and ${formatBytes(range.high)} (${range.low} to ${range.high} bytes)`
}

const BINARY_MULTIPLIERS: Record<string, number> = { k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 }

/**
 * A size as the docker CLI reads `--reserved-space`, `--max-used-space`,
 * `--min-free-space` and `--keep-storage` (opts.MemBytes: go-units
 * RAMInBytes, v0.5): a decimal number, then at most one space, then an
 * optional case-insensitive unit b, k, m, g, t, p, each but b optionally
 * followed by "b" or "ib", all binary (5GB = 5 GiB); fractions are
 * truncated to whole bytes. Returns undefined for text that is not a size.
 */
export function parseSize(text: string): number | undefined {
  // go-units splits after the last digit, dot or space.
  const match = /^(.*[\d. ])([^\d. ]*)$/s.exec(text)
  if (!match) return undefined
  const spaced = match[1].endsWith(' ')
  const number = spaced ? match[1].slice(0, -1) : match[1]
  // strconv.ParseFloat's decimal forms.
  if (!/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(number)) return undefined
  let size = Number(number)
  if (!(size >= 0)) return undefined
  const suffix = match[2].toLowerCase()
  if (suffix.length > 3) return undefined
  if (suffix !== '' && suffix !== 'b') {
    const multiplier = BINARY_MULTIPLIERS[suffix[0]]
    if (multiplier === undefined) return undefined
    if (suffix.length === 2 && suffix[1] !== 'b') return undefined
    if (suffix.length === 3 && suffix.slice(1) !== 'ib') return undefined
    size *= multiplier
  }
  const bytes = Math.trunc(size)
  return Number.isSafeInteger(bytes) ? bytes : undefined
}
