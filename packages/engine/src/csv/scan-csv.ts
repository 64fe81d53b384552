import { AppError, quoteInput } from '@glaze/core';

export interface ScannedRecord {
  fields: string[];
  /** Line the record ends on (1-based; a record with a line break inside a quote spans several). */
  line: number;
}

/** Longest record accepted: past it, an unclosed quote would otherwise buffer the rest of the file. */
export const maxRecordChars = 8_000_000;

const lineError = (line: number, message: string) =>
  new AppError('validation_failed', `line ${line}: ${message}`);

/** Field separators a file may use: found on its first lines (`sniffDialect`). */
const separators = [',', ';', '\t'] as const;

/**
 * How a file writes its records, told by its first two lines. The field separator: of a comma, a
 * semicolon (Excel's CSV where the decimal mark is a comma: German, French…) and a tab (a
 * spreadsheet's copy, `.tsv`), the one that splits the header and the first record into the same
 * number of fields, more than one — the most fields when several do, a comma on a tie
 * (`name;amount, net;city` over `Ada;1,5;Paris`: semicolons, 3 and 3; commas split both in 2, by the
 * accident of a comma in a name and a decimal comma); when none does, or there is no record, a comma
 * unless the header line has none and has semicolons or tabs. The record end: a line feed (a CR before it
 * belongs to it) unless the header line ends in a lone CR (classic Mac OS, Excel's "CSV (Macintosh)").
 * Undefined until the text holds both lines (or is final).
 */
interface Dialect {
  /** Char code of the field separator. */
  separator: number;
  /** Char code that ends a record: 10 (`\n`, with `\r\n` too) or 13 (a lone `\r`). */
  eol: number;
  /** The same as a string. */
  eolChar: '\n' | '\r';
  /** Ends of an unquoted field: the separator, the record end, or a quote that has no business there. */
  unquotedEnd: RegExp;
}

const escaped = (char: string) => (char === '\t' ? '\\t' : char);

function dialect(separator: string, eol: '\n' | '\r'): Dialect {
  return {
    separator: separator.charCodeAt(0),
    eol: eol.charCodeAt(0),
    eolChar: eol,
    unquotedEnd: new RegExp(`[${escaped(separator)}${eol === '\n' ? '\\n' : '\\r'}"]`, 'g'),
  };
}

/** Separators outside quotes on one line of the file, and where the line ends. */
interface LineCounts {
  counts: Map<string, number>;
  /** Index of the line end (`\n`, or a lone `\r`); undefined when the text ends first. */
  end: number | undefined;
  eol: '\n' | '\r';
}

/**
 * Counts the separators of the line (a record: line breaks inside quotes are in it) at `from`, read
 * up to `to`; undefined when it does not end there and more text may come (`final` false).
 */
function countLine(text: string, from: number, final: boolean, to = text.length): LineCounts | undefined {
  const counts = new Map<string, number>();
  let quoted = false;
  for (let at = from; at < to; at++) {
    const char = text[at] as string;
    if (char === '"') quoted = !quoted;
    if (quoted) continue;
    if (char === '\n' || char === '\r') {
      if (char === '\r' && at + 1 === text.length && !final) return undefined;
      return { counts, end: at, eol: char === '\r' && text[at + 1] !== '\n' ? '\r' : '\n' };
    }
    if ((separators as readonly string[]).includes(char)) counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  return final ? { counts, end: undefined, eol: '\n' } : undefined;
}

/**
 * How far past the header a first record is looked for: the scanner sniffs again on each chunk until
 * it decides, so a first record of megabytes would be read from the start once per chunk. Past this,
 * the header line decides alone.
 */
const sniffRecordChars = 65_536;

/** The dialect of a file that starts with `text`; undefined while its first two lines are incomplete. */
function sniffDialect(text: string, final: boolean): Dialect | undefined {
  const header = countLine(text, 0, final);
  if (!header) return undefined;
  // the next line starts past the line end (two characters for `\r\n`, whose end is at its `\r`)
  const next =
    header.end === undefined
      ? text.length
      : header.end + (text[header.end] === '\r' && header.eol === '\n' ? 2 : 1);
  const to = Math.min(text.length, next + sniffRecordChars);
  const record = countLine(text, next, final && to === text.length, to);
  if (!record && to < next + sniffRecordChars) return undefined;
  return dialect(pick(header.counts, record?.counts), header.eol);
}

function pick(header: Map<string, number>, record: Map<string, number> | undefined): string {
  // the separators that split both lines into the same number of fields, more than one
  const agreeing = separators.filter((s) => (header.get(s) ?? 0) > 0 && header.get(s) === record?.get(s));
  if (agreeing.length > 0)
    return agreeing.reduce((best, s) => ((header.get(s) ?? 0) > (header.get(best) ?? 0) ? s : best));
  const semicolons = header.get(';') ?? 0;
  const tabs = header.get('\t') ?? 0;
  return header.has(',') || semicolons + tabs === 0 ? ',' : semicolons >= tabs ? ';' : '\t';
}

export class CsvScanner {
  private buffer = '';
  /** Line at the start of `buffer`. */
  private line = 1;
  private headerLength: number | undefined;
  private dialect: Dialect | undefined;

  /** Adds text; appends every record it completes to `out`. `final`: no more text will come. */
  push(text: string, final: boolean, out: ScannedRecord[]): void {
    const buffer = this.buffer.length === 0 ? text : this.buffer + text;
    this.dialect ??= sniffDialect(buffer, final);
    let start = 0;
    for (;;) {
      if (!this.dialect) break;
      const end = this.record(buffer, start, final, out);
      if (end === undefined) break;
      start = end;
      if (start >= buffer.length) break;
    }
    this.buffer = start >= buffer.length ? '' : buffer.slice(start);
    if (!final && this.buffer.length > maxRecordChars) {
      throw lineError(
        this.line,
        `a record longer than ${maxRecordChars.toLocaleString('en')} characters (an unclosed quote?)`,
      );
    }
    if (final && this.buffer.length > 0) {
      throw lineError(this.line, 'the file ends inside a record');
    }
  }

  /** Reads one record at `start`; returns where the next starts, or undefined when it is incomplete. */
  private record(text: string, start: number, final: boolean, out: ScannedRecord[]): number | undefined {
    const length = text.length;
    if (start >= length) return undefined;
    const { separator, eol, eolChar, unquotedEnd } = this.dialect as Dialect;
    // in a file of `\n` line ends, a CR before the `\n` belongs to the line end
    const crlf = eol === 10;
    // A blank line: skipped, as csv-parse's skip_empty_lines did.
    if (text.charCodeAt(start) === eol) {
      this.line += 1;
      return start + 1;
    }
    if (crlf && text.charCodeAt(start) === 13 && text.charCodeAt(start + 1) === 10) {
      this.line += 1;
      return start + 2;
    }
    const fields: string[] = [];
    let at = start;
    let newlines = 0; // inside quoted fields of this record
    for (;;) {
      if (text.charCodeAt(at) === 34) {
        // quoted: runs to a quote that is not doubled
        let value = '';
        let from = at + 1;
        for (;;) {
          const quote = text.indexOf('"', from);
          if (quote === -1 || (quote === length - 1 && !final)) {
            if (!final) return undefined;
            throw lineError(
              this.line,
              `unclosed quote: a quoted field of the record starting here never closes (the file ends at line ${this.line + countLineEnds(text, start, length, eolChar)})`,
            );
          }
          if (text.charCodeAt(quote + 1) === 34) {
            value += text.slice(from, quote + 1);
            from = quote + 2;
            continue;
          }
          value += text.slice(from, quote);
          at = quote + 1;
          break;
        }
        if (value.includes(eolChar)) newlines += countLineEnds(value, 0, value.length, eolChar);
        fields.push(value);
        const next = text.charCodeAt(at);
        if (next === separator) {
          at += 1;
          continue;
        }
        if (next === eol) return this.finish(fields, newlines, at + 1, out);
        if (crlf && next === 13 && at + 1 < length) {
          if (text.charCodeAt(at + 1) === 10) return this.finish(fields, newlines, at + 2, out);
        } else if (at >= length - (crlf && next === 13 ? 1 : 0)) {
          if (!final) return undefined;
          if (at >= length) return this.finish(fields, newlines, length, out);
        }
        throw lineError(
          this.line + newlines,
          `field ${fields.length}: unexpected text after a closing quote, at ${shown(text, at - 1, eolChar)} (a quote inside a quoted field is written "")`,
        );
      }
      unquotedEnd.lastIndex = at;
      const found = unquotedEnd.exec(text);
      if (!found) {
        if (!final) return undefined;
        fields.push(text.slice(at));
        return this.finish(fields, newlines, length, out);
      }
      const stop = found.index;
      const char = text.charCodeAt(stop);
      if (char === 34) {
        throw lineError(
          this.line + newlines,
          `field ${fields.length + 1}: a quote inside an unquoted field, at ${shown(text, at, eolChar, stop)} (quote the whole field and write the quote as "")`,
        );
      }
      if (char === separator) {
        fields.push(text.slice(at, stop));
        at = stop + 1;
        continue;
      }
      // the record end
      fields.push(text.slice(at, crlf && stop > at && text.charCodeAt(stop - 1) === 13 ? stop - 1 : stop));
      return this.finish(fields, newlines, stop + 1, out);
    }
  }

  private finish(fields: string[], newlines: number, next: number, out: ScannedRecord[]): number {
    const line = this.line + newlines;
    this.headerLength ??= fields.length;
    if (fields.length !== this.headerLength) {
      throw lineError(line, `${fields.length} fields, but the header has ${this.headerLength}`);
    }
    out.push({ fields, line });
    this.line = line + 1;
    return next;
  }
}

/** Record ends (`\n`, or `\r` in a file of lone-CR line ends) from `from` to `to`: the lines a record spans. */
function countLineEnds(text: string, from: number, to: number, eol: string): number {
  let count = 0;
  for (let at = text.indexOf(eol, from); at !== -1 && at < to; at = text.indexOf(eol, at + 1)) count++;
  return count;
}

/** The text from `from` to the line's end, at most 20 characters past `past`, quoted for an error. */
function shown(text: string, from: number, eol: string, past = from): string {
  const lineEnd = text.indexOf(eol, past);
  const end = Math.min(past + 20, lineEnd === -1 ? text.length : lineEnd);
  return quoteInput(text.slice(from, end).replace(/\r$/, ''));
}
