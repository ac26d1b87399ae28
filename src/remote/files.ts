// The file half of a clear on an SSH host. A stub: the remote-files work
// (the host's node, or a throwaway container through its engine) replaces it.
import type { FileHooks, FileWork } from '../files.js'
import type { Host } from '../host/host.js'
import type { Settings } from '../inputs.js'

export async function clearFilesOnHost(host: Host, settings: Settings, hooks: FileHooks = {}): Promise<FileWork> {
  void host
  void settings
  void hooks
  throw new Error('remote file clearing is not implemented yet')
}
