import { AppError } from '@glaze/core';
import { CsvError } from 'csv-parse';

/** Longest record accepted: past it, an unclosed quote would otherwise buffer the rest of the file. */
export const maxRecordChars = 8_000_000;

export interface CsvPosition {
  /** Line the last good record ended on (0 before the header). */
  lastRecordLine: number;
  /** `\r\n` pairs inside quoted fields so far: csv-parse counts each as two lines (see read-csv.ts). */
  crlfInFields: number;
  /** Fields in the header, once read. */
  headerLength?: number;
}

/**
 * Turns a csv-parse error into an AppError naming the line, e.g. `line 7: unclosed quote …`.
 * An unclosed quote is only noticed at the end of the file, so it is reported at the line after
 * the last good record, where the record that opened it starts.
 */
export function csvErrorToAppError(thrown: unknown, at: CsvPosition): Error {
  if (!(thrown instanceof CsvError)) return thrown instanceof Error ? thrown : new Error(String(thrown));
  const line = typeof thrown.lines === 'number' ? thrown.lines - at.crlfInFields : at.lastRecordLine + 1;
  const fail = (lineNumber: number, message: string) =>
    new AppError('validation_failed', `line ${lineNumber}: ${message}`);
  switch (thrown.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return fail(
        at.lastRecordLine + 1,
        `unclosed quote: a quoted field of the record starting here never closes (the file ends at line ${line})`,
      );
    case 'CSV_INVALID_CLOSING_QUOTE':
      return fail(
        line,
        'unexpected text after a closing quote (a quote inside a quoted field is written "")',
      );
    case 'INVALID_OPENING_QUOTE':
      return fail(line, 'a quote inside an unquoted field (quote the whole field and write the quote as "")');
    case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH': {
      const found = Array.isArray(thrown.record) ? thrown.record.length : 'a different number of';
      return fail(line, `${found} fields, but the header has ${at.headerLength ?? 'another number'}`);
    }
    case 'CSV_MAX_RECORD_SIZE':
      return fail(
        line,
        `a record longer than ${maxRecordChars.toLocaleString('en')} characters (an unclosed quote?)`,
      );
    default:
      return fail(line, thrown.message);
  }
}
