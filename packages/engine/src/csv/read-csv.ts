import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { AppError, badText, nameLimits, quoteInput } from '@glaze/core';
import { type Options, parse } from 'csv-parse';
import { type CsvPosition, csvErrorToAppError, maxRecordChars } from './csv-errors';

export interface CsvRecord {
  fields: string[];
  /** Line the record ends on (1-based; a record with a line break inside a quote spans several). */
  line: number;
}

/**
 * Parses a CSV stream record by record: UTF-8 with or without BOM (UTF-16 with a BOM, as Excel's
 * "Unicode text" writes it, is decoded to UTF-8 first), `\n` or `\r\n` line ends, quoted
 * fields with `""` and line breaks. Values come back exactly as the file holds them: a `\r\n`, `\r`
 * or `\n` inside a quoted field stays what it was, and spaces are kept. Blank lines are skipped. Pulling is paced by the caller (the
 * stream pauses while the caller awaits), so a 1 GB file never sits in memory. Errors are AppErrors
 * naming the line.
 */
export async function* readCsv(stream: Readable): AsyncGenerator<CsvRecord> {
  // Positions are tracked as the parser emits records (it runs ahead of the consumer), so an error
  // is reported against the last record actually parsed.
  const at: CsvPosition = { lastRecordLine: 0, crlfInFields: 0 };
  const options: Options<CsvRecord, string[]> = {
    bom: true,
    skip_empty_lines: true,
    // Either line end, even mixed in one file (a header written by one tool, rows by another).
    record_delimiter: ['\r\n', '\n'],
    max_record_size: maxRecordChars,
    on_record: (fields: string[], context): CsvRecord => {
      at.headerLength ??= fields.length;
      at.crlfInFields += crlfCount(fields);
      at.lastRecordLine = context.lines - at.crlfInFields;
      return { fields, line: at.lastRecordLine };
    },
  };
  // csv-parse's typings only type `on_record` when `columns` is set; the option works without it.
  const parser = parse(options as unknown as Options);
  stream.on('error', (error) => parser.destroy(error));
  const source = stream.pipe(utf16ToUtf8()).pipe(parser);
  try {
    yield* source as AsyncIterable<CsvRecord>;
  } catch (error) {
    throw csvErrorToAppError(error, at);
  } finally {
    // The caller owns the stream: a server still answers on it after a bad line, a CLI closes its file.
    stream.unpipe();
  }
}

/**
 * Reads and checks the header row: names are trimmed; blank or repeated names are refused.
 * @example const header = await readCsvHeader(createReadStream('leads.csv'));
 */
export async function readCsvHeader(stream: Readable): Promise<string[]> {
  for await (const record of readCsv(stream)) return checkHeader(record.fields);
  throw emptyCsv();
}

/**
 * Checks a header row against the JSON API's limits (`POST /tables`): at most 1,000 columns, names
 * of 1–200 characters, no NUL or lone surrogate; names are trimmed; repeats are refused.
 */
export function checkHeader(fields: readonly string[]): string[] {
  const fail = (message: string) => new AppError('validation_failed', `line 1: ${message}`);
  if (fields.length > nameLimits.maxColumns) {
    throw fail(`the header has ${fields.length} columns; a table takes at most ${nameLimits.maxColumns}`);
  }
  const names = fields.map((name) => name.trim());
  const seen = new Map<string, number>();
  names.forEach((name, index) => {
    const field = `header field ${index + 1}`;
    if (name === '') throw fail(`${field} is blank; every column needs a name`);
    const bad = badText(name);
    if (bad) throw fail(`${field} ${bad}`);
    if (name.length > nameLimits.maxNameChars) {
      throw fail(
        `${field} (${quoteInput(name)}) is ${name.length} characters; a column name takes at most ${nameLimits.maxNameChars}`,
      );
    }
    const first = seen.get(name);
    if (first !== undefined) {
      throw fail(`header names column ${quoteInput(name)} twice (fields ${first + 1} and ${index + 1})`);
    }
    seen.set(name, index);
  });
  return names;
}

export const emptyCsv = (): AppError =>
  new AppError('validation_failed', 'the CSV is empty: the first line must be a header naming the columns');

/**
 * `\r\n` pairs inside the fields of a record. csv-parse counts such a pair inside quotes as two lines
 * (it counts every CR and every LF there), so line numbers are corrected by this count.
 */
function crlfCount(fields: readonly string[]): number {
  let count = 0;
  for (const field of fields) {
    if (!field.includes('\r')) continue;
    for (let at = field.indexOf('\r\n'); at !== -1; at = field.indexOf('\r\n', at + 2)) count++;
  }
  return count;
}

/**
 * Decodes a stream that starts with a UTF-16 byte-order mark (FF FE little-endian, FE FF big-endian)
 * to UTF-8, BOM dropped; any other stream passes through untouched. Without the BOM a UTF-16 file
 * reads as text full of U+0000, which the header check refuses by name.
 */
function utf16ToUtf8(): Transform {
  let decoder: TextDecoder | null | undefined; // undefined: not sniffed yet; null: not UTF-16
  let head = Buffer.alloc(0);
  const decode = (chunk: Buffer, final: boolean) =>
    Buffer.from((decoder as TextDecoder).decode(chunk, { stream: !final }), 'utf8');
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (decoder === null) return done(null, chunk);
      if (decoder) return done(null, decode(chunk, false));
      head = Buffer.concat([head, chunk]);
      if (head.length < 2) return done();
      const bom = head.readUInt16BE(0);
      decoder =
        bom === 0xfffe ? new TextDecoder('utf-16le') : bom === 0xfeff ? new TextDecoder('utf-16be') : null;
      done(null, decoder ? decode(head, false) : head);
    },
    flush(done) {
      if (decoder) return done(null, decode(Buffer.alloc(0), true));
      done(null, decoder === undefined && head.length > 0 ? head : undefined);
    },
  });
}
