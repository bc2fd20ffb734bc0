import Papa from 'papaparse';
import { ImportError } from './import-error.ts';

/**
 * The records of a CSV file as arrays of trimmed cells (papaparse: RFC 4180
 * quoting, a leading BOM dropped, empty lines skipped). Record n is reported
 * as line n + 1, which is its line in the file unless a quoted cell spans lines.
 * Unclosed quotes and the like are refused with the line they start on.
 */
export function readCsvRows(text: string, fileName: string): string[][] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (!body.includes('"')) return splitPlainRows(body);
  const rows: string[][] = [];
  const problems: { line: number; reason: string }[] = [];
  // Row by row (papaparse's step mode) is quicker than its batch result on large files.
  Papa.parse<string[]>(body, {
    skipEmptyLines: true,
    step(result) {
      for (const error of result.errors) {
        if (error.type === 'Quotes') problems.push({ line: rows.length + 1, reason: `not valid CSV: ${error.message}` });
      }
      const row = result.data;
      for (let index = 0; index < row.length; index += 1) {
        const cell = row[index];
        if (cell.length > 0 && (cell.charCodeAt(0) <= 32 || cell.charCodeAt(cell.length - 1) <= 32)) row[index] = cell.trim();
      }
      rows.push(row);
    },
  });
  if (problems.length > 0) throw new ImportError(fileName, problems);
  return rows;
}

/**
 * Records of CSV text that has no quote character at all: then RFC 4180 reduces to lines
 * split at commas, and this is several times quicker than a general parser on a million rows.
 */
function splitPlainRows(body: string): string[][] {
  const rows: string[][] = [];
  let start = 0;
  while (start < body.length) {
    let end = body.indexOf('\n', start);
    if (end < 0) end = body.length;
    const line = body.charCodeAt(end - 1) === 13 ? body.slice(start, end - 1) : body.slice(start, end);
    start = end + 1;
    if (line.trim() === '') continue;
    const row = line.split(',');
    for (let index = 0; index < row.length; index += 1) {
      const cell = row[index];
      if (cell.length > 0 && (cell.charCodeAt(0) <= 32 || cell.charCodeAt(cell.length - 1) <= 32)) row[index] = cell.trim();
    }
    rows.push(row);
  }
  return rows;
}
