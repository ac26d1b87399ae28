// Its own module so the front doors can recognise it without loading the SSH
// client (ssh2 compiles WebAssembly when it loads): src/host/ssh.ts throws it.

/** The host could not be reached, refused us, or showed a key we do not know: one line, no stack. */
export class SshError extends Error {
  override name = 'SshError'
}
