// How the engine client says goodbye: close() ends each `docker system
// dial-stdio` by ending its input, and the CLI exits by itself (an exit
// status, not a kill), on this machine and on an SSH host alike. Real parts:
// a private dockerd, and a real sshd whose account reaches it.
import { afterAll, describe, expect, test } from '@jest/globals'
import { openEngine } from '../src/docker/engine.js'
import type { Host, HostExit } from '../src/host/host.js'
import { LocalHost } from '../src/host/local.js'
import { SshHost } from '../src/host/ssh.js'
import { requireEngineOrSkip, type Engine } from './helpers/engine.js'
import { requireSshServerOrSkip, type SshServer } from './helpers/ssh-server.js'
import { wrapExec } from './helpers/wrapped-host.js'

const engine = await requireEngineOrSkip('engine-close.test.ts')
const server = engine ? await requireSshServerOrSkip('engine-close.test.ts', { engine }) : undefined
afterAll(async () => {
  await server?.stop()
  await engine?.stop()
})
const describeIf = engine && server ? describe : describe.skip

interface Watched {
  readonly argv: readonly string[]
  /** The exit, once it came (undefined while the command runs). */
  exit?: HostExit & { readonly error?: Error }
  kills: number
}

/** The real host, watched: what each exec was, how it ended, and how often it was killed. */
function watch(host: Host): { host: Host; commands: Watched[] } {
  const commands: Watched[] = []
  const watched = wrapExec(host, (argv, process) => {
    const command: Watched = { argv, kills: 0 }
    commands.push(command)
    void process.exit.then((exit) => (command.exit = exit))
    return {
      ...process,
      kill: () => {
        command.kills++
        process.kill()
      }
    }
  })
  return { host: watched, commands }
}

describeIf(`engine close(): dial-stdio exits on the end of its input, on ${engine?.label ?? 'an engine'}`, () => {
  const cases: [string, () => Promise<Host>][] = [
    ['this machine', async () => new LocalHost((engine as Engine).env())],
    ['an SSH host', () => SshHost.connect((server as SshServer).login)]
  ]

  test.each(cases)('on %s: after requests, close() resolves once the CLI has exited 0, unkilled', async (_, open) => {
    const real = await open()
    try {
      const { host, commands } = watch(real)
      const client = openEngine(host)
      const { apiVersion } = await client.ping()
      await client.json('GET', `/v${apiVersion}/version`)
      await client.close()
      expect(commands.map((c) => [c.argv.join(' '), c.exit?.code, c.exit?.signal ?? null, c.kills])).toEqual([
        ['docker system dial-stdio', 0, null, 0]
      ])
    } finally {
      await real.close()
    }
  })

  // What close() relies on: undici destroys its socket, a Duplex over stdin
  // and stdout, which destroys both. For a child process that closes the
  // pipes; over SSH it must mean the same.
  test.each(cases)('on %s: destroying stdin and stdout is EOF, and the exit still comes', async (_, open) => {
    const host = await open()
    try {
      const cat = host.exec(['cat'])
      cat.stdin.write('some input\n')
      await new Promise((resolve) => cat.stdout.once('data', resolve))
      cat.stdout.destroy()
      cat.stdin.destroy()
      expect(await cat.exit).toEqual({ code: 0, signal: null })
    } finally {
      await host.close()
    }
  })

  test.each(cases)('on %s: a client that never sent a request closes without a process', async (_, open) => {
    const real = await open()
    try {
      const { host, commands } = watch(real)
      await openEngine(host).close()
      expect(commands).toEqual([])
    } finally {
      await real.close()
    }
  })
})
