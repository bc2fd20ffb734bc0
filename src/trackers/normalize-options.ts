import type { TypeMap } from './map-item-type.ts';

/** What a stream's source config tells every normalizer. */
export interface NormalizeOptions {
  /** vendor type / label → item type, overriding the defaults */
  typeMap?: TypeMap;
}
