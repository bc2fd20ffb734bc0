import { createRequire } from 'node:module';
import { type FontOutlines, readFontOutlines } from './glyph-outlines.ts';

/**
 * Text measurement for Vega from the font file itself: the advance widths of DejaVu Sans
 * (regular and bold). Without a canvas, Vega would guess 0.8 em per character, which misplaces
 * labels; with these widths the layout matches what the renderer draws (text-to-path.ts uses the
 * same advances).
 */

const require = createRequire(import.meta.url);

/** Absolute paths of the font files the renderer loads (npm package dejavu-fonts-ttf). */
export const FONT_FILES = {
  regular: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  bold: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
} as const;

let fonts: { regular: FontOutlines; bold: FontOutlines } | null = null;

/** The DejaVu Sans regular and bold fonts, read once. */
export function chartFonts(): { regular: FontOutlines; bold: FontOutlines } {
  fonts ??= { regular: readFontOutlines(FONT_FILES.regular), bold: readFontOutlines(FONT_FILES.bold) };
  return fonts;
}

/** Width of a character the font lacks, in em. */
export const MISSING_GLYPH_EM = 0.6;

/**
 * Width in pixels of a line of text in DejaVu Sans (advance widths, no kerning).
 * @example measureText('Cycle time', 12) // ≈ 59.8
 */
export function measureText(text: string, fontSize: number, bold = false): number {
  const font = bold ? chartFonts().bold : chartFonts().regular;
  let units = 0;
  for (let i = 0; i < text.length; i++) {
    const glyph = font.glyphOf[text.charCodeAt(i)];
    units += glyph ? font.advance[glyph] : MISSING_GLYPH_EM * font.unitsPerEm;
  }
  return (units / font.unitsPerEm) * fontSize;
}

/** True for a Vega font weight that selects the bold face. */
export function isBoldWeight(weight: unknown): boolean {
  if (weight === 'bold' || weight === 'bolder') return true;
  const numeric = Number(weight);
  return Number.isFinite(numeric) && numeric >= 600;
}
