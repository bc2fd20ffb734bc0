import type { Layer } from './chart-types.ts';

/**
 * A text layer drawn twice: first with a thick white outline, then plain on top, so labels stay
 * readable where they cross lines and dots (the map-label "halo").
 * @example layer: [...dots, ...withHalo({ data, mark: { type: 'text' }, encoding })]
 */
export function withHalo(layer: Layer & { mark: object }): Layer[] {
  const halo = {
    ...layer,
    mark: { ...layer.mark, stroke: 'white', strokeWidth: 3.5, strokeJoin: 'round', strokeOpacity: 0.9 },
  } as Layer;
  return [halo, layer];
}
