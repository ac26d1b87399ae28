// Byte sizes: decimal units for display (as Docker prints them), binary units
// for parsing sizes the docker CLI would read (--keep-storage uses RAMInBytes).

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

const BINARY_MULTIPLIERS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
  t: 1024 ** 4,
  tb: 1024 ** 4,
  tib: 1024 ** 4
}

/**
 * "5GB" -> 5368709120. Binary multiples, as `docker builder prune
 * --keep-storage 5GB` reads them, so the same text keeps the same amount.
 * Returns undefined for text that is not a size.
 */
export function parseSize(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text)
  if (!match) return undefined
  const multiplier = BINARY_MULTIPLIERS[match[2].toLowerCase()]
  if (multiplier === undefined) return undefined
  return Math.floor(Number(match[1]) * multiplier)
}
