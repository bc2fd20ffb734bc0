import Papa from 'papaparse';
import { ImportError } from './import-error.ts';

/**
 * The records of a CSV file as arrays of trimmed cells (papaparse: RFC 4180
 * quoting, a leading BOM dropped, empty lines skipped). Record n is reported
 * as line n + 1, which is its line in the file unless a quoted cell spans lines.
 * Unclosed quotes and the like are refused with the line they start on.
 */
export function readCsvRows(text: string, fileName: string): string[][] {
  const result = Papa.parse<string[]>(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, { skipEmptyLines: true });
  const fatal = result.errors.filter((error) => error.type === 'Quotes');
  if (fatal.length > 0) {
    throw new ImportError(fileName, fatal.map((error) => ({ line: (error.row ?? 0) + 1, reason: `not valid CSV: ${error.message}` })));
  }
  const rows = result.data;
  for (const row of rows) for (let index = 0; index < row.length; index += 1) {
    const cell = row[index];
    if (cell.length > 0 && (cell.charCodeAt(0) <= 32 || cell.charCodeAt(cell.length - 1) <= 32)) row[index] = cell.trim();
  }
  return rows;
}
