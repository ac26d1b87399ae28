// What must be equal between two clears of identical trees, wherever they ran:
// free space and the concurrency reached are the machine's, not the clear's.
import type { FileWork } from '../../src/files.js'

export function comparable(work: FileWork): unknown {
  const { files, planWarnings } = work
  return { planWarnings, files: files && { ...files, peakInFlight: undefined } }
}
