// Preloaded with `node --import ./bench/rss-probe.mjs dist/index.js`: on exit,
// writes the process's peak RSS (KiB, from getrusage) to $BENCH_RSS_FILE.
import { writeFileSync } from 'node:fs'

const file = process.env.BENCH_RSS_FILE
if (file) {
  delete process.env.BENCH_RSS_FILE // not visible to the action or its children
  process.on('exit', () => {
    try {
      writeFileSync(file, String(process.resourceUsage().maxRSS))
    } catch {
      // never change the action's exit
    }
  })
}
