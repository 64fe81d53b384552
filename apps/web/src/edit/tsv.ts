/**
 * Tab-separated text as Excel and Google Sheets put it on the clipboard: rows end with CRLF or LF,
 * cells are split by tabs, and a cell holding a tab, a line break or a quote is wrapped in quotes
 * with its quotes doubled (`"say ""hi"""`). A field counts as quoted only when its closing quote
 * ends it, so a value that merely starts with a quote (`"quoted" text`) arrives as typed.
 * Rows shorter than the longest are padded with '', and a final line break adds no empty row.
 * @example parseTsv('a\t"b\tc"\r\n"x\ny"\t') // [['a', 'b\tc'], ['x\ny', '']]
 */
export function parseTsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  const n = text.length;
  if (n === 0) return rows;
  while (i <= n) {
    let value = '';
    let end = -1;
    if (text[i] === '"') end = closingQuote(text, i);
    if (end >= 0) {
      value = text.slice(i + 1, end).replaceAll('""', '"');
      i = end + 1;
    } else {
      let j = i;
      while (j < n && text[j] !== '\t' && text[j] !== '\n' && text[j] !== '\r') j++;
      value = text.slice(i, j);
      i = j;
    }
    row.push(value);
    if (text[i] === '\t') {
      i++;
      continue;
    }
    // End of a row: CRLF, LF, CR, or the end of the text.
    if (text[i] === '\r' && text[i + 1] === '\n') i += 2;
    else i++;
    rows.push(row);
    row = [];
    if (i >= n) break;
  }
  const width = Math.max(...rows.map((r) => r.length));
  return rows.map((r) => (r.length < width ? [...r, ...Array<string>(width - r.length).fill('')] : r));
}

/** Where the quoted field opening at `start` closes, or -1 when it is not a quoted field. */
function closingQuote(text: string, start: number): number {
  let j = start + 1;
  while (j < text.length) {
    if (text[j] !== '"') {
      j++;
      continue;
    }
    if (text[j + 1] === '"') {
      j += 2;
      continue;
    }
    const after = text[j + 1];
    return after === undefined || after === '\t' || after === '\n' || after === '\r' ? j : -1;
  }
  return -1;
}

/**
 * Cells as tab-separated text for the clipboard, quoted where Excel and Sheets need it to read them
 * back whole (a tab, a line break or a quote inside); rows joined by LF.
 * @example formatTsv([['a', 'b\tc'], ['say "hi"', '']]) // 'a\t"b\tc"\n"say ""hi"""\t'
 */
export function formatTsv(rows: readonly (readonly string[])[]): string {
  return rows.map((row) => row.map(quoteCell).join('\t')).join('\n');
}

function quoteCell(value: string): string {
  return /[\t\n\r"]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
