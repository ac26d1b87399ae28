// Fast deletes on a second core: one worker thread that makes synchronous
// unlink/rmdir calls on batches of paths, in order, and answers each batch with
// how long each delete took and its error.
//
// On fast storage a delete costs the kernel about as much as the walk's lstat
// of the same entry, and running it inline on the walk's thread adds the two.
// The thread pool would run them beside the walk, but its hand-off for each
// call costs more than the call; a batch of 64 pays one hand-off.
import { Worker } from 'node:worker_threads'

export type DeleteOperation = 'unlink' | 'rmdir'
export type DeleteAnswer = (ms: number, error: NodeJS.ErrnoException | null) => void

/** Deletes sent in one message. */
export const DELETE_BATCH = 64

// The worker's code as a string, so that it runs from the action's bundle and
// from `node -` on a remote host alike (no file of its own to load).
const WORKER_CODE = `
const { parentPort } = require('node:worker_threads')
const fs = require('node:fs')
parentPort.on('message', ({ rmdir, paths }) => {
  const ms = new Float64Array(paths.length)
  const errors = []
  for (let i = 0; i < paths.length; i++) {
    const started = performance.now()
    try {
      if (rmdir[i]) fs.rmdirSync(paths[i])
      else fs.unlinkSync(paths[i])
    } catch (error) {
      errors.push([i, { message: error.message, code: error.code, errno: error.errno, syscall: error.syscall }])
    }
    ms[i] = performance.now() - started
  }
  parentPort.postMessage({ ms, errors }, [ms.buffer])
})
`

export class DeleterThread {
  private worker: Worker | undefined
  private rmdir: boolean[] = []
  private paths: (string | Buffer)[] = []
  private answers: DeleteAnswer[] = []
  /** The answers of the batches sent, in the order they were sent. */
  private readonly sent: DeleteAnswer[][] = []
  private flushQueued = false

  /** Queues a delete; `answer` gets how long it took and its error, in a later turn. */
  delete(operation: DeleteOperation, p: string | Buffer, answer: DeleteAnswer): void {
    this.rmdir.push(operation === 'rmdir')
    this.paths.push(p)
    this.answers.push(answer)
    if (this.paths.length >= DELETE_BATCH) this.flush()
    else if (!this.flushQueued) {
      this.flushQueued = true
      setImmediate(() => this.flush())
    }
  }

  /** Ends the thread now; the remover calls it when its run is done and nothing is out. */
  close(): void {
    const worker = this.worker
    this.worker = undefined
    if (worker) void worker.terminate()
  }

  private flush(): void {
    this.flushQueued = false
    if (!this.paths.length) return
    const worker = this.start()
    this.sent.push(this.answers)
    worker.postMessage({ rmdir: this.rmdir, paths: this.paths })
    this.rmdir = []
    this.paths = []
    this.answers = []
    worker.ref()
  }

  private start(): Worker {
    if (this.worker) return this.worker
    const worker = new Worker(WORKER_CODE, { eval: true })
    // A thread that dies answers what it still held with why, so no delete waits forever.
    const died = (error: Error): void => {
      this.worker = undefined
      for (const answers of this.sent.splice(0)) for (const answer of answers) answer(0, error)
    }
    worker.on('error', died)
    worker.on('exit', (code) => {
      if (this.sent.length) died(new Error(`the delete thread stopped (exit code ${code})`))
    })
    worker.on('message', ({ ms, errors }: { ms: Float64Array; errors: [number, object][] }) => {
      const answers = this.sent.shift() ?? []
      if (!this.sent.length) worker.unref()
      const failed = new Map(errors)
      for (let i = 0; i < answers.length; i++) {
        const error = failed.get(i)
        answers[i](ms[i], error ? Object.assign(new Error((error as Error).message), error) : null)
      }
    })
    this.worker = worker
    return worker
  }
}
