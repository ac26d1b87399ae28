// A real Host whose commands a test watches or changes: everything but exec is the host's own.
import type { Host, HostProcess } from '../../src/host/host.js'

/** `host` with each exec passed through `wrap`, which gets the command and the process the host started. */
export function wrapExec(host: Host, wrap: (argv: readonly string[], process: HostProcess) => HostProcess): Host {
  return {
    name: host.name,
    remote: host.remote,
    close: () => host.close(),
    exec: (argv, options) => wrap(argv, host.exec(argv, options))
  }
}
