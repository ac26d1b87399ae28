// Builders the engine's prune does not reach: a buildx builder of the
// `docker-container` driver runs its own BuildKit in a container named
// `buildx_buildkit_<node>` (node = builder name + index, `<builder>0` for
// the first) with its cache in the volume `<container name>_state`.
// `POST /build/prune` prunes only the engine's own BuildKit. This reader only
// reports them; it never prunes (that needs the builder's `moby/buildkit`
// image running, through `docker buildx prune --builder NAME`).
import type { EngineClient } from './engine.js'

export interface UnreachedBuilder {
  /** The buildx builder's name, for `docker buildx prune --builder NAME -af`. */
  readonly builder: string
  /** The BuildKit container's name, when it still exists. */
  readonly container?: string
  /** Its state volume, when it exists. */
  readonly volume?: string
  /** Bytes in the state volume (`/system/df` volumes' UsageData.Size); undefined when the engine did not size it. */
  readonly volumeBytes?: number
}

const PREFIX = 'buildx_buildkit_'

/** `buildx_buildkit_web0` -> `web` (the node index is the trailing number). */
export function builderName(node: string): string {
  return node.replace(/\d+$/, '') || node
}

/**
 * The builders from `/containers/json?all=1` and `/system/df` volumes
 * (pure, table-tested): a container `buildx_buildkit_<node>` and/or a volume
 * `buildx_buildkit_<node>_state`, one entry per node, sorted by name.
 */
export function unreachedBuilders(containers: unknown, systemDf: unknown): UnreachedBuilder[] {
  const nodes = new Map<string, { container?: string; volume?: string; volumeBytes?: number }>()
  for (const container of Array.isArray(containers) ? (containers as { Names?: unknown }[]) : []) {
    for (const raw of Array.isArray(container.Names) ? container.Names : []) {
      const name = typeof raw === 'string' ? raw.replace(/^\//, '') : ''
      if (name.startsWith(PREFIX) && name.length > PREFIX.length) {
        nodes.set(name, { ...nodes.get(name), container: name })
      }
    }
  }
  const volumes = (systemDf as { Volumes?: unknown } | undefined)?.Volumes
  for (const volume of Array.isArray(volumes)
    ? (volumes as { Name?: unknown; UsageData?: { Size?: unknown } | null }[])
    : []) {
    const name = typeof volume.Name === 'string' ? volume.Name : ''
    if (!name.startsWith(PREFIX) || !name.endsWith('_state') || name.length <= PREFIX.length + '_state'.length) continue
    const node = name.slice(0, -'_state'.length)
    const size = volume.UsageData?.Size
    nodes.set(node, {
      ...nodes.get(node),
      volume: name,
      ...(typeof size === 'number' && size >= 0 ? { volumeBytes: size } : {})
    })
  }
  return [...nodes.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([node, found]) => ({ builder: builderName(node.slice(PREFIX.length)), ...found }))
}

/** The command that clears one builder's cache. */
export function builderPruneCommand(builder: UnreachedBuilder): string {
  return `docker buildx prune --builder ${builder.builder} -af`
}

/**
 * Reads the engine's buildx builders (containers, and volumes with their
 * sizes). `systemDfVolumes` is the /system/df path that includes volumes.
 */
export async function readUnreachedBuilders(
  engine: EngineClient,
  apiVersion: string,
  systemDfVolumesPath: string
): Promise<UnreachedBuilder[]> {
  const filters = encodeURIComponent(JSON.stringify({ name: [PREFIX] }))
  const containers = await engine.json('GET', `/v${apiVersion}/containers/json?all=1&filters=${filters}`)
  const df = await engine.json('GET', systemDfVolumesPath)
  return unreachedBuilders(containers, df)
}
