import Papa from 'papaparse';
import { ImportError } from './import-error.ts';

/** The records of a CSV file, and the line of the file each one starts on (1-based). */
export interface CsvRecords {
  rows: string[][];
  lines: number[];
}

/** The line (1-based) of each offset asked for in increasing order, counting newlines once. */
function lineCounter(body: string): (offset: number) => number {
  let at = 0;
  let line = 1;
  return (offset) => {
    for (; at < offset && at < body.length; at += 1) if (body.charCodeAt(at) === 10) line += 1;
    return line;
  };
}

/**
 * The records of a CSV file as arrays of trimmed cells (papaparse: RFC 4180 quoting, a leading
 * BOM dropped, empty lines skipped), each with the line of the file it starts on, so a bad row
 * is named by its line even after blank lines or a quoted cell that spans lines. Unclosed
 * quotes and the like are refused with the line they start on.
 */
export function readCsvRows(text: string, fileName: string): CsvRecords {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const nul = body.indexOf('\u0000');
  if (nul >= 0) {
    const utf16 = /^\uFFFD\uFFFD/.test(body) || body.charCodeAt(1) === 0;
    throw new ImportError(fileName, [{ line: lineCounter(body)(nul), reason: `the file is not UTF-8 text: it has NUL bytes${utf16 ? ' (it looks like UTF-16)' : ''}; save it as CSV in UTF-8` }]);
  }
  if (!body.includes('"')) return splitPlainRows(body);
  const rows: string[][] = [];
  const lines: number[] = [];
  const problems: { line: number; reason: string }[] = [];
  const lineAt = lineCounter(body);
  let cursor = 0;
  // Row by row (papaparse's step mode) is quicker than its batch result on large files.
  Papa.parse<string[]>(body, {
    skipEmptyLines: true,
    step(result) {
      // the record starts after the newlines (skipped empty lines) since the last one ended
      let start = cursor;
      while (start < body.length && (body.charCodeAt(start) === 10 || body.charCodeAt(start) === 13)) start += 1;
      const line = lineAt(start);
      cursor = result.meta.cursor;
      for (const error of result.errors) {
        if (error.type === 'Quotes') problems.push({ line, reason: `not valid CSV: ${error.message}` });
      }
      const row = result.data;
      for (let index = 0; index < row.length; index += 1) {
        const cell = row[index];
        if (cell.length > 0 && (cell.charCodeAt(0) <= 32 || cell.charCodeAt(cell.length - 1) <= 32)) row[index] = cell.trim();
      }
      rows.push(row);
      lines.push(line);
    },
  });
  if (problems.length > 0) throw new ImportError(fileName, problems);
  return { rows, lines };
}

/**
 * Records of CSV text that has no quote character at all: then RFC 4180 reduces to lines
 * split at commas, and this is several times quicker than a general parser on a million rows.
 */
function splitPlainRows(body: string): CsvRecords {
  const rows: string[][] = [];
  const lines: number[] = [];
  let start = 0;
  let lineNumber = 0;
  while (start < body.length) {
    let end = body.indexOf('\n', start);
    if (end < 0) end = body.length;
    const line = body.charCodeAt(end - 1) === 13 ? body.slice(start, end - 1) : body.slice(start, end);
    start = end + 1;
    lineNumber += 1;
    if (line.trim() === '') continue;
    const row = line.split(',');
    for (let index = 0; index < row.length; index += 1) {
      const cell = row[index];
      if (cell.length > 0 && (cell.charCodeAt(0) <= 32 || cell.charCodeAt(cell.length - 1) <= 32)) row[index] = cell.trim();
    }
    rows.push(row);
    lines.push(lineNumber);
  }
  return { rows, lines };
}
