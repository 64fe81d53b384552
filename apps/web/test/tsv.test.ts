import { describe, expect, it } from 'vitest';
import { formatTsv, parseTsv } from '../src/edit/tsv';

describe('parseTsv', () => {
  it('splits cells by tabs and rows by CRLF, LF or CR, without an empty last row', () => {
    expect(parseTsv('a\tb\r\nc\td\r\n')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    expect(parseTsv('a\tb\nc\td')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    expect(parseTsv('a\rb\r')).toEqual([['a'], ['b']]);
    expect(parseTsv('one')).toEqual([['one']]);
    expect(parseTsv('')).toEqual([]);
  });

  it('reads quoted cells as Excel and Sheets write them: tabs, line breaks and doubled quotes inside', () => {
    // As Excel on Windows copies a 2×2 block whose cells hold a line break, a tab and quotes.
    const excel = '"line 1\r\nline 2"\t"a\tb"\r\n"say ""hi"""\tplain\r\n';
    expect(parseTsv(excel)).toEqual([
      ['line 1\r\nline 2', 'a\tb'],
      ['say "hi"', 'plain'],
    ]);
    // Google Sheets: LF, no final line break.
    expect(parseTsv('"x\ny"\t2\n3\t"4"')).toEqual([
      ['x\ny', '2'],
      ['3', '4'],
    ]);
  });

  it('keeps a value that only starts with a quote as typed', () => {
    expect(parseTsv('"quoted" text\tnext')).toEqual([['"quoted" text', 'next']]);
    expect(parseTsv('"unclosed\tb')).toEqual([['"unclosed', 'b']]);
    expect(parseTsv('5" screen')).toEqual([['5" screen']]);
  });

  it('keeps empty cells and pads short rows', () => {
    expect(parseTsv('\t\tc\nx')).toEqual([
      ['', '', 'c'],
      ['x', '', ''],
    ]);
    expect(parseTsv('a\t\n')).toEqual([['a', '']]);
  });
});

describe('formatTsv', () => {
  it('quotes only cells that need it', () => {
    expect(
      formatTsv([
        ['a', 'b\tc'],
        ['say "hi"', ''],
      ]),
    ).toBe('a\t"b\tc"\n"say ""hi"""\t');
    expect(formatTsv([['multi\nline', 'x']])).toBe('"multi\nline"\tx');
  });

  it('round-trips any cells through parseTsv', () => {
    const cells = [
      ['plain', 'tab\there', 'crlf\r\nin', ''],
      ['"q"', 'a "b" c', '  spaces  ', 'ünï☃'],
      ['', '', '', 'last'],
    ];
    expect(parseTsv(formatTsv(cells))).toEqual(cells);
  });
});
