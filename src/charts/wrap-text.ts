import { measureText } from './text-width.ts';

/**
 * Breaks a line into lines no wider than `maxWidth` pixels at `fontSize`, preferring the " · "
 * separators of a footnote, then spaces; a word wider than the line stays whole.
 * @example wrapText('120 items · 26 Aug – 24 Nov 2026 · one dot per item', 12, 200)
 *   // ['120 items · 26 Aug – 24 Nov 2026', 'one dot per item']
 */
export function wrapText(text: string, fontSize: number, maxWidth: number, bold = false): string[] {
  if (!Number.isFinite(maxWidth) || measureText(text, fontSize, bold) <= maxWidth) return [text];
  const fits = (line: string): boolean => measureText(line, fontSize, bold) <= maxWidth;
  const lines: string[] = [];
  let line = '';
  for (const part of text.split(' · ')) {
    const joined = line ? `${line} · ${part}` : part;
    if (fits(joined)) {
      line = joined;
      continue;
    }
    if (line) lines.push(line);
    line = '';
    if (fits(part)) {
      line = part;
      continue;
    }
    for (const word of part.split(' ')) {
      const next = line ? `${line} ${word}` : word;
      if (fits(next) || !line) line = next;
      else {
        lines.push(line);
        line = word;
      }
    }
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * `text` when it fits `maxWidth` pixels at `fontSize`, else as much of it as fits followed by
 * "…" (a box's label that has room for one line).
 * @example fitText('Ready for development', 13, 120, true) // 'Ready for devel…'
 */
export function fitText(text: string, fontSize: number, maxWidth: number, bold = false): string {
  if (measureText(text, fontSize, bold) <= maxWidth) return text;
  let end = text.length;
  while (end > 1 && measureText(`${text.slice(0, end).trimEnd()}…`, fontSize, bold) > maxWidth) end--;
  return `${text.slice(0, end).trimEnd()}…`;
}
