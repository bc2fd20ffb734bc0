import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ImportError } from '../../src/import/import-error.ts';
import { CsvRecordReader, type CsvRecord } from '../../src/import/read-csv.ts';

/** Every record of `text` given in pieces cut at `cuts` (offsets), and the problems found. */
function readInPieces(text: string, cuts: number[]): { records: CsvRecord[]; problems: CsvRecordReader['problems'] } {
  const reader = new CsvRecordReader('x.csv');
  const records: CsvRecord[] = [];
  let from = 0;
  for (const cut of [...new Set(cuts)].sort((a, b) => a - b)) {
    records.push(...reader.push(text.slice(from, cut)));
    from = cut;
  }
  records.push(...reader.end(text.slice(from)));
  return { records, problems: reader.problems };
}

const cellText = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9 é€-]{0,8}$/),
  fc.constantFrom('a,b', 'say "hi"', 'two\nlines', 'crlf\r\nline', '', ' padded '),
);

/** A CSV file: rows of cells, quoted when they must be (or sometimes anyway), blank lines, CRLF or LF, maybe a BOM. */
const csvFile = fc
  .record({
    rows: fc.array(fc.array(fc.record({ text: cellText, quote: fc.boolean() }), { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 12 }),
    blank: fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
    crlf: fc.boolean(),
    bom: fc.boolean(),
  })
  .map(({ rows, blank, crlf, bom }) => {
    const eol = crlf ? '\r\n' : '\n';
    let text = bom ? '\uFEFF' : '';
    let line = 1;
    const expected: CsvRecord[] = [];
    rows.forEach((row, index) => {
      if (blank[index]) {
        text += eol;
        line += 1;
      }
      const cells = row.map(({ text: cell, quote }) => (quote || /[",\n\r]/.test(cell) || cell.trim() !== cell ? `"${cell.replaceAll('"', '""')}"` : cell));
      const record = cells.join(',');
      // a record of one empty cell is a blank line
      if (record.trim() === '') return;
      expected.push({ cells: row.map(({ text: cell }) => cell.trim()), line });
      text += record + eol;
      line += 1 + (record.match(/\n/g)?.length ?? 0);
    });
    return { text, expected };
  });

describe('CSV records read in pieces', () => {
  it('gives the same records with their lines wherever the file is cut', () => {
    fc.assert(
      fc.property(csvFile, fc.array(fc.nat(), { maxLength: 8 }), ({ text, expected }, offsets) => {
        const cuts = offsets.map((offset) => offset % (text.length + 1));
        const { records, problems } = readInPieces(text, cuts);
        expect(problems).toEqual([]);
        expect(records).toEqual(expected);
      }),
      { numRuns: 2_000 },
    );
  });

  it('reads a quoted cell over lines and names the line each record starts on, one character at a time', () => {
    const text = 'key,title\r\n\r\nA-1,"Saved carts, ""v2""\nsecond line"\r\nA-2,Plain\n';
    const { records } = readInPieces(text, [...text].map((_, index) => index));
    expect(records).toEqual([
      { cells: ['key', 'title'], line: 1 },
      { cells: ['A-1', 'Saved carts, "v2"\nsecond line'], line: 3 },
      { cells: ['A-2', 'Plain'], line: 5 },
    ]);
  });

  it('refuses broken quoting with the line and the fix, and reads the rows after it', () => {
    const { records, problems } = readInPieces('key,title\nA-1,"closed"then more\nA-2,fine\nA-3,"never closed\nA-4,x\n', [17, 30]);
    expect(records.map((record) => record.cells[0])).toEqual(['key', 'A-2']);
    expect(problems.map((problem) => problem.line)).toEqual([2, 4]);
    expect(problems[0].reason).toContain('text follows the closing quote of the cell "closed"then');
    expect(problems[1].reason).toMatch(/never closed; put the whole cell in double quotes and write "" for a quote inside it/);
  });

  it('refuses NUL bytes (a UTF-16 file) at once, naming the line', () => {
    const reader = new CsvRecordReader('x.csv');
    reader.push('key,title\nA-1,ok\n');
    expect(() => reader.push('A-2,b\u0000ad\n')).toThrow(ImportError);
    expect(() => new CsvRecordReader('z.csv').end('key\nA-1\n\nA-2\u0000\n')).toThrow(/line 4: the file is not UTF-8/);
    expect(() => new CsvRecordReader('y.csv').push('\uFFFD\uFFFDk\u0000e\u0000y')).toThrow(/line 1: the file is not UTF-8 text: it has NUL bytes \(it looks like UTF-16\)/);
  });
});
