/**
 * A line through more points than its plot has pixels (an XmR chart of a whole history: 100k
 * finished items across a 480 px chat column) draws the same as a line through each pixel
 * column's first, lowest, highest and last point. Drawing only those keeps the chart exact to
 * the pixel and its spec, SVG and render small (issue 18: a 100k-point chart held ~300 MB).
 */

/** Points per pixel column above which the line is thinned. */
const THIN_ABOVE_PER_COLUMN = 4;

/**
 * The rows a line layer needs: all of them when there are at most 4 per column, else for each
 * phase (the line's `detail`: phases are drawn apart) and each of `columns` equal slices of the
 * x range, the slice's first, lowest, highest and last row, in their order. Rows are in x order.
 * @example lineEnvelope(rows, (r) => r.value, 2 * plotWidth).length // ≤ 4 × 2 × plotWidth × phases
 */
export function lineEnvelope<R extends { x: number; phase: number }>(rows: readonly R[], value: (row: R) => number, columns: number): R[] {
  if (rows.length <= THIN_ABOVE_PER_COLUMN * columns) return rows as R[];
  const x0 = rows[0]!.x;
  const span = Math.max(1e-9, rows[rows.length - 1]!.x - x0);
  const out: R[] = [];
  let i = 0;
  while (i < rows.length) {
    const first = rows[i]!;
    const column = Math.min(columns - 1, Math.floor(((first.x - x0) / span) * columns));
    let low = first;
    let high = first;
    let last = first;
    let j = i + 1;
    for (; j < rows.length; j += 1) {
      const row = rows[j]!;
      if (row.phase !== first.phase || Math.min(columns - 1, Math.floor(((row.x - x0) / span) * columns)) !== column) break;
      if (value(row) < value(low)) low = row;
      if (value(row) > value(high)) high = row;
      last = row;
    }
    // each once (low or high may be the first or last), in x order
    out.push(...[...new Set([first, low, high, last])].sort((a, b) => a.x - b.x));
    i = j;
  }
  return out;
}

/**
 * Marks of one size and shape that would land within `cell` px of each other drawn once: of the
 * rows in the same cell of the plot (`at` gives a row's position in px) and the same `group`, the
 * last, which is the one drawn on top. Their order stays.
 * @example onePerCell(signalRows, (r) => [xPx(r.x), yPx(r.value)], (r) => r.signal, 0.5)
 */
export function onePerCell<R>(rows: readonly R[], at: (row: R) => readonly [number, number], group: (row: R) => string, cell: number): R[] {
  const last = new Map<string, number>();
  rows.forEach((row, i) => {
    const [x, y] = at(row);
    last.set(`${group(row)}|${Math.round(x / cell)}|${Math.round(y / cell)}`, i);
  });
  const kept = [...last.values()].sort((a, b) => a - b);
  return kept.map((i) => rows[i]!);
}
