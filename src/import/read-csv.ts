import { ImportError, type RowProblem } from './import-error.ts';

/** One record of a CSV file: its trimmed cells and the line of the file it starts on (1-based). */
export interface CsvRecord {
  cells: string[];
  line: number;
  /** set when a cell holds U+FFFD: bytes that were not UTF-8 */
  undecodable?: true;
}

/** A quoted cell longer than this is taken as one whose closing quote is missing. */
const MAX_QUOTED_RECORD = 1_048_576;

const QUOTE_FIX = 'put the whole cell in double quotes and write "" for a quote inside it';

/**
 * Reads a CSV file given in pieces of text (RFC 4180: quoted cells may hold commas, quotes
 * written "" and line breaks), record by record, so a file of any size is read in the memory of
 * one piece. A leading BOM is dropped, blank lines are skipped, cells are trimmed, and each record
 * keeps the line it starts on, so a bad row is named by its line even after blank lines or a
 * quoted cell that spans lines. A record whose quoting is broken is not returned: it is listed
 * in `problems` with its line and the fix. NUL bytes (a UTF-16 file) end the reading with an
 * ImportError at once.
 *
 * @example
 * const reader = new CsvRecordReader('history.csv');
 * reader.push('key,title\nCHK-1,"Saved carts, v2"\nCHK-2,Ta');
 * // → [{ cells: ['key', 'title'], line: 1 }, { cells: ['CHK-1', 'Saved carts, v2'], line: 2 }]
 * reader.end('x\n'); // → [{ cells: ['CHK-2', 'Tax'], line: 3 }]
 */
export class CsvRecordReader {
  readonly problems: RowProblem[] = [];
  private readonly fileName: string;
  /** text not read yet: the start of a record whose end has not come */
  private rest = '';
  /** the line `rest` starts on */
  private line = 1;
  private started = false;
  /** after a quote that is never closed, nothing more is a record */
  private swallowed = false;

  constructor(fileName: string) {
    this.fileName = fileName;
  }

  /** The records complete in the text given so far. */
  push(text: string): CsvRecord[] {
    return this.read(text, false);
  }

  /** The records of the last piece of text, up to the end of the file. */
  end(text = ''): CsvRecord[] {
    return this.read(text, true);
  }

  private read(text: string, final: boolean): CsvRecord[] {
    let body = this.rest.length > 0 ? this.rest + text : text;
    if (!this.started && body.length > 0) {
      this.started = true;
      if (body.charCodeAt(0) === 0xfeff) body = body.slice(1);
    }
    this.refuseNul(body);
    const records: CsvRecord[] = [];
    if (this.swallowed) {
      this.rest = '';
      return records;
    }
    let at = 0;
    let line = this.line;
    // the next quote at or after `at` (-1: none in body), so each line is not searched again
    let quote = body.indexOf('"');
    const replaced = body.indexOf('\uFFFD') >= 0;
    while (at < body.length) {
      let newline = body.indexOf('\n', at);
      if (newline < 0) {
        if (!final) break;
        newline = body.length;
      }
      if (quote >= 0 && quote < at) quote = body.indexOf('"', at);
      if (quote < 0 || quote > newline) {
        const end = newline > at && body.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
        const first = body.charCodeAt(at);
        if (end > at && (first > 32 || body.slice(at, end).trim() !== '')) {
          const text = body.slice(at, end);
          records.push(replaced && text.includes('\uFFFD') ? { cells: trimCells(text.split(',')), line, undecodable: true } : { cells: trimCells(text.split(',')), line });
        }
        at = newline + 1;
        line += 1;
        continue;
      }
      const quoted = readQuotedRecord(body, at, final);
      if (quoted === null) {
        if (body.length - at <= MAX_QUOTED_RECORD) break;
        this.problems.push({ line, reason: `not valid CSV: the quoted cell that starts on this line runs over more than 1 MiB, so its closing quote is missing; ${QUOTE_FIX}` });
        this.swallowed = true;
        at = body.length;
        break;
      }
      if (quoted.problem) {
        this.problems.push({ line, reason: `not valid CSV: ${quoted.problem}; ${QUOTE_FIX}` });
        if (quoted.end >= body.length && quoted.unclosed) this.swallowed = true;
      } else if (quoted.cells) {
        const cells = trimCells(quoted.cells);
        records.push(replaced && cells.some((cell) => cell.includes('\uFFFD')) ? { cells, line, undecodable: true } : { cells, line });
      }
      for (let index = body.indexOf('\n', at); index >= 0 && index < quoted.end; index = body.indexOf('\n', index + 1)) line += 1;
      at = quoted.end;
    }
    this.line = line;
    this.rest = at >= body.length ? '' : body.slice(at);
    return records;
  }

  private refuseNul(body: string): void {
    const nul = body.indexOf('\u0000');
    if (nul < 0) return;
    let line = this.line;
    for (let index = body.indexOf('\n'); index >= 0 && index < nul; index = body.indexOf('\n', index + 1)) line += 1;
    const utf16 = (this.line === 1 && /^\uFFFD\uFFFD/.test(body)) || body.charCodeAt(1) === 0;
    throw new ImportError(this.fileName, [
      ...this.problems,
      { line, reason: `the file is not UTF-8 text: it has NUL bytes${utf16 ? ' (it looks like UTF-16)' : ''}; save it as CSV in UTF-8` },
    ]);
  }
}

/** Cells trimmed of surrounding whitespace, in place. */
function trimCells(cells: string[]): string[] {
  for (let index = 0; index < cells.length; index += 1) {
    const cell = cells[index];
    if (cell.length > 0 && (cell.charCodeAt(0) <= 32 || cell.charCodeAt(cell.length - 1) <= 32)) cells[index] = cell.trim();
  }
  return cells;
}

interface QuotedRecord {
  /** the offset after the record (after its line break) */
  end: number;
  cells?: string[];
  problem?: string;
  unclosed?: boolean;
}

const isBlank = (code: number) => code === 32 || code === 9;

/**
 * The record of `body` starting at `start` that holds a quote, cell by cell; null when the text
 * ends inside it and more may come. A quote opens a quoted cell only at the start of a cell (as
 * papaparse reads it); elsewhere it is an ordinary character.
 */
function readQuotedRecord(body: string, start: number, final: boolean): QuotedRecord | null {
  const cells: string[] = [];
  let at = start;
  for (;;) {
    let cellStart = at;
    while (cellStart < body.length && isBlank(body.charCodeAt(cellStart))) cellStart += 1;
    if (body.charCodeAt(cellStart) === 34) {
      let value = '';
      let from = cellStart + 1;
      let close: number;
      for (;;) {
        close = body.indexOf('"', from);
        if (close < 0) {
          if (!final) return null;
          const preview = body.slice(cellStart, cellStart + 24).split('\n')[0];
          return { end: body.length, unclosed: true, problem: `the quoted cell ${preview}… that starts on this line is never closed` };
        }
        if (close + 1 >= body.length && !final) return null;
        if (body.charCodeAt(close + 1) !== 34) break;
        value += body.slice(from, close + 1);
        from = close + 2;
      }
      value += body.slice(from, close);
      let after = close + 1;
      while (after < body.length && isBlank(body.charCodeAt(after))) after += 1;
      if (after >= body.length && !final) return null;
      const next = body.charCodeAt(after);
      cells.push(value);
      if (next === 44) {
        at = after + 1;
        continue;
      }
      if (after >= body.length) return { end: body.length, cells };
      if (next === 10) return { end: after + 1, cells };
      if (next === 13 && body.charCodeAt(after + 1) === 10) return { end: after + 2, cells };
      if (next === 13 && after + 1 >= body.length && !final) return null;
      // text after the closing quote: the record is bad up to the end of its line
      const lineEnd = body.indexOf('\n', after);
      if (lineEnd < 0 && !final) return null;
      const shown = body.slice(cellStart, Math.min(after + 8, lineEnd < 0 ? body.length : lineEnd)).replace(/\r$/, '');
      return { end: lineEnd < 0 ? body.length : lineEnd + 1, problem: `text follows the closing quote of the cell ${shown}` };
    }
    const comma = body.indexOf(',', at);
    let newline = body.indexOf('\n', at);
    if (newline < 0) {
      if (!final) return null;
      newline = body.length;
    }
    if (comma >= 0 && comma < newline) {
      cells.push(body.slice(at, comma));
      at = comma + 1;
      continue;
    }
    const end = newline > at && body.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
    cells.push(body.slice(at, end));
    return { end: Math.min(newline + 1, body.length), cells };
  }
}
