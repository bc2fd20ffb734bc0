/**
 * Device pixels per CSS pixel of every PNG: charts are rendered at 2x. Layers that are drawn
 * as pixels before the SVG (dense dots) use the same ratio so they stay sharp.
 */
export const PIXEL_RATIO = 2;
