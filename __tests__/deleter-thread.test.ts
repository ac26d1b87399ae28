// The deleter thread (src/remove/deleter-thread.ts): deletes in the order they
// were queued, each answered with its time and its error.
import { describe, expect, it } from '@jest/globals'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { tempDir } from '../__fixtures__/temp.js'
import { DELETE_BATCH, DeleterThread, type DeleteOperation } from '../src/remove/deleter-thread.js'

/** Queues every delete and resolves with the answers, in the order they came. */
function deleteAll(deleter: DeleterThread, deletes: [DeleteOperation, string | Buffer][]) {
  return new Promise<{ index: number; ms: number; error: NodeJS.ErrnoException | null }[]>((resolve) => {
    const answers: { index: number; ms: number; error: NodeJS.ErrnoException | null }[] = []
    deletes.forEach(([operation, p], index) =>
      deleter.delete(operation, p, (ms, error) => {
        answers.push({ index, ms, error })
        if (answers.length === deletes.length) resolve(answers)
      })
    )
  })
}

describe('DeleterThread', () => {
  it('deletes in the order queued, across batches, and answers each in that order', async () => {
    const dir = path.join(tempDir(), 'd')
    mkdirSync(dir)
    const files = Array.from({ length: 3 * DELETE_BATCH + 5 }, (_, i) => path.join(dir, `f${i}`))
    for (const f of files) writeFileSync(f, 'x')
    const deleter = new DeleterThread()
    try {
      // The rmdir comes last: it can only succeed after every unlink before it.
      const answers = await deleteAll(deleter, [
        ...files.map((f): [DeleteOperation, string] => ['unlink', f]),
        ['rmdir', dir]
      ])
      expect(answers.map((a) => a.index)).toEqual([...files.keys(), files.length])
      expect(answers.filter((a) => a.error)).toEqual([])
      expect(answers.every((a) => a.ms >= 0)).toBe(true)
      expect(existsSync(dir)).toBe(false)
    } finally {
      deleter.close()
    }
  })

  it("answers a delete that fails with the system's error, and goes on with the rest", async () => {
    const dir = tempDir()
    writeFileSync(path.join(dir, 'b'), 'x')
    const deleter = new DeleterThread()
    try {
      const [gone, b] = await deleteAll(deleter, [
        ['unlink', path.join(dir, 'gone')],
        ['unlink', path.join(dir, 'b')]
      ])
      expect(gone.error).toMatchObject({ code: 'ENOENT', syscall: 'unlink' })
      expect(gone.error).toBeInstanceOf(Error)
      expect(b.error).toBeNull()
      expect(existsSync(path.join(dir, 'b'))).toBe(false)
    } finally {
      deleter.close()
    }
  })

  it('deletes a name of any bytes, given as a Buffer', async () => {
    const dir = tempDir()
    const name = Buffer.concat([Buffer.from(`${dir}/`), Buffer.from([0xff, 0xfe, 0x0a, 0x41])])
    writeFileSync(name, 'x')
    const deleter = new DeleterThread()
    try {
      const [answer] = await deleteAll(deleter, [['unlink', name]])
      expect(answer.error).toBeNull()
      expect(existsSync(name)).toBe(false)
    } finally {
      deleter.close()
    }
  })
})
