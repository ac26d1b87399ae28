// Apart from src/ssh-config.ts so the CLI can catch it without loading the
// config parser on a run that has no SSH host.

/** A config we cannot follow: one line naming the file or the host. */
export class SshConfigError extends Error {
  override name = 'SshConfigError'
}
