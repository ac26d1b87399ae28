// The one bundle behind both front doors (scripts/bundle.sh): the runner starts
// dist/index.cjs (the action) and a shell dist/cli.cjs (the CLI), launchers
// (src/launch.cjs) that both load this. Each front door is a chunk of its own,
// loaded here on demand, and the two share every other chunk.
if (/cli\.c?js$/.test(process.argv[1] ?? '')) {
  // cli.ts runs itself when started as the CLI.
  void import('./cli.js')
} else {
  void import('./main.js').then(({ run }) => run())
}
