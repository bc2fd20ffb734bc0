import type { ItemType } from '../core/types.ts';

/**
 * One colour-blind-safe palette for every chart: the Okabe–Ito colours
 * (Okabe & Ito, "Color Universal Design", 2008). The four work types always
 * get the same colours, on every chart.
 */
export const OKABE_ITO = {
  black: '#000000',
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  bluishGreen: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  reddishPurple: '#CC79A7',
} as const;

/** Colour of each work type: feature blue, defect vermillion, risk reddish purple, debt bluish green. */
export const TYPE_COLORS: Record<ItemType, string> = {
  feature: OKABE_ITO.blue,
  defect: OKABE_ITO.vermillion,
  risk: OKABE_ITO.reddishPurple,
  debt: OKABE_ITO.bluishGreen,
};

/** Plain-words names of the work types, as shown in legends. */
export const TYPE_LABELS: Record<ItemType, string> = {
  feature: 'Feature',
  defect: 'Defect',
  risk: 'Risk',
  debt: 'Debt',
};

/** Neutral inks for text, lines and limits. */
export const INK = {
  text: '#222222',
  muted: '#555555',
  line: '#333333',
  limit: '#444444',
  grid: '#E6E6E6',
  point: '#4D4D4D',
  highlight: OKABE_ITO.vermillion,
} as const;

/** Wait time and touch time in the stage breakdown. */
export const WAIT_COLOR = OKABE_ITO.orange;
export const TOUCH_COLOR = OKABE_ITO.blue;

/**
 * Stage colours for the cumulative flow diagram, in stage order (first stage first).
 * Okabe–Ito without black and yellow first, then lighter tints, so up to 12 stages stay apart.
 */
export const STAGE_COLORS: readonly string[] = [
  OKABE_ITO.skyBlue,
  OKABE_ITO.orange,
  OKABE_ITO.reddishPurple,
  OKABE_ITO.blue,
  OKABE_ITO.vermillion,
  OKABE_ITO.yellow,
  '#8FD0F2',
  '#F2C766',
  '#E3B3CD',
  '#66AADD',
  '#EE9E66',
  '#999999',
];

/** The colour for done stages in the cumulative flow diagram (at the bottom). */
export const DONE_COLOR = OKABE_ITO.bluishGreen;

/**
 * Background bands of the aging chart, from "younger than half the finished items" to "past the 95th":
 * a light-to-dark ramp, so the order reads without hue.
 */
export const AGE_BAND_COLORS: readonly string[] = ['#EEF6EE', '#FBF5DA', '#FBE6C6', '#F6CDB8', '#EEAE98'];
