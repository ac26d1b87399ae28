// Build-cache shapes whose freed bytes no record figure tells on the
// containerd image store (issue 18), built into one engine in one go so that
// several prunes can share the fill:
// - a COPY shared with an image, a cache mount, and a --no-cache rebuild
//   (fillBuildCache);
// - cache mounts only;
// - a multi-stage build whose final image keeps a few bytes of the builder
//   stage's 12 MiB;
// - an image removed after its build.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { buildImage, docker, fillBuildCache, makeBusyboxBase, settledDataRootBytes, type Engine } from './engine.js'

function context(engine: Engine, name: string, dockerfile: string[], files: Record<string, Buffer> = {}): string {
  const dir = mkdtempSync(path.join(engine.dir, `ctx-${name}-`))
  writeFileSync(path.join(dir, 'Dockerfile'), dockerfile.join('\n'))
  for (const [file, content] of Object.entries(files)) writeFileSync(path.join(dir, file), content)
  return dir
}

const MiB = 1024 * 1024

/** Each shape above by what it is, to fill alone (`name` keeps fills apart); none waits for the data root. */
export const CACHE_SHAPES: Record<string, (engine: Engine, name: string) => Promise<void>> = {
  'a COPY shared with an image, a cache mount and a --no-cache rebuild': async (engine, name) => {
    await fillBuildCache(engine, `${name}-copy`)
  },
  'cache mounts only': async (engine, name) => {
    await buildImage(
      engine.host,
      context(engine, `${name}-mounts`, [
        `FROM ${await makeBusyboxBase(engine.host)}`,
        `RUN --mount=type=cache,target=/c1,id=${name}-c1 dd if=/dev/urandom of=/c1/a bs=1M count=5`,
        `RUN --mount=type=cache,target=/c2,id=${name}-c2 dd if=/dev/urandom of=/c2/b bs=1M count=3 && echo > /marker`
      ]),
      `${name}-mounts:1`
    )
  },
  'a multi-stage build whose final image keeps 100 B of the builder stage': async (engine, name) => {
    const base = await makeBusyboxBase(engine.host)
    await buildImage(
      engine.host,
      context(
        engine,
        `${name}-stages`,
        [
          `FROM ${base} AS builder`,
          'COPY src.bin /src.bin',
          'RUN dd if=/dev/urandom of=/big bs=1M count=12 && head -c 100 /big > /small',
          `FROM ${base}`,
          'COPY --from=builder /small /small'
        ],
        { 'src.bin': randomBytes(2 * MiB) }
      ),
      `${name}-stages:1`
    )
  },
  'an image removed after its build': async (engine, name) => {
    await buildImage(
      engine.host,
      context(engine, `${name}-removed`, [
        `FROM ${await makeBusyboxBase(engine.host)}`,
        'RUN dd if=/dev/urandom of=/layer bs=1M count=6'
      ]),
      `${name}-removed:1`
    )
    await docker(engine.host, ['rmi', `${name}-removed:1`])
  }
}

/** Every shape above, in the engine's build cache; waits for the data root to settle. */
export async function fillCacheShapes(engine: Engine, name: string): Promise<void> {
  for (const fill of Object.values(CACHE_SHAPES)) await fill(engine, name)
  await settledDataRootBytes(engine.dataRoot)
}
