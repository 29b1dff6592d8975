import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from './csv-write';

describe('CSV for downloads', () => {
  it('quotes every cell, doubles quotes and keeps line breaks inside a cell', () => {
    expect(
      toCsv(
        ['Item', 'Note'],
        [
          ['Say "hi"', 'two\nlines'],
          [null, 3],
        ],
      ),
    ).toBe('"Item","Note"\r\n"Say ""hi""","two\nlines"\r\n"","3"\r\n');
  });

  it('defuses cells a spreadsheet would run as a formula', () => {
    expect(['=SUM(A1)', '+1', '-2', '@cmd', '\tx'].map(csvCell)).toEqual([
      '"\'=SUM(A1)"',
      '"\'+1"',
      '"\'-2"',
      '"\'@cmd"',
      '"\'\tx"',
    ]);
    expect(csvCell(['a', 'b'])).toBe('"a b"');
    expect(csvCell(-2)).toBe('"-2"');
  });
});
