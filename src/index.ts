// The action's entry point (dist/index.js). threadpool.js must come first.
import './threadpool.js'
import { run } from './main.js'

await run()
