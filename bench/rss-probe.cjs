// Preloaded with `node --require ./bench/rss-probe.cjs dist/index.cjs`: on exit,
// writes the process's peak RSS (KiB, from getrusage) to $BENCH_RSS_FILE, and
// its CPU time (user and system, µs) to $BENCH_CPU_FILE as "USER SYSTEM".
// CommonJS on purpose: an ES module preload (--import) would start libuv's
// thread pool before the action's launcher sizes it (src/launch.cjs).
'use strict'
const { writeFileSync } = require('node:fs')

const cpuFile = process.env.BENCH_CPU_FILE
if (cpuFile) {
  delete process.env.BENCH_CPU_FILE
  process.on('exit', () => {
    try {
      const { userCPUTime, systemCPUTime } = process.resourceUsage()
      writeFileSync(cpuFile, `${userCPUTime} ${systemCPUTime}`)
    } catch {
      // never change the action's exit
    }
  })
}

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
