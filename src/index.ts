// The action's ESM bundle (dist/index.js); the runner starts dist/index.cjs
// (src/launch.cjs), which sizes the thread pool and imports this.
import { run } from './main.js'

await run()
