import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { AppError, badText, nameLimits, quoteInput } from '@glaze/core';
import { CsvScanner, type ScannedRecord } from './scan-csv';

export type CsvRecord = ScannedRecord;

/**
 * Parses a CSV stream record by record: UTF-8 with or without BOM (UTF-16 with a BOM, as Excel's
 * "Unicode text" writes it, is decoded to UTF-8 first), `\n` or `\r\n` line ends, quoted
 * fields with `""` and line breaks. Values come back exactly as the file holds them: a `\r\n`, `\r`
 * or `\n` inside a quoted field stays what it was, and spaces are kept. Blank lines are skipped. Pulling is paced by the caller (the
 * stream pauses while the caller awaits), so a 1 GB file never sits in memory. Errors are AppErrors
 * naming the line.
 */
export async function* readCsv(stream: Readable): AsyncGenerator<CsvRecord> {
  for await (const records of readCsvBatches(stream)) yield* records;
}

/**
 * `readCsv` a chunk of the stream at a time: the records each chunk completes, as one array. An
 * import reads these, saving a promise per record (a million of them at 1M rows).
 */
export async function* readCsvBatches(stream: Readable): AsyncGenerator<CsvRecord[]> {
  // The decoder drops a UTF-8 BOM and keeps a character split across chunks whole.
  const decoder = new TextDecoder('utf-8');
  const scanner = new CsvScanner();
  const source = stream.pipe(utf16ToUtf8());
  stream.on('error', (error) => source.destroy(error));
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      const records: CsvRecord[] = [];
      scanner.push(decoder.decode(chunk, { stream: true }), false, records);
      // The caller handles these before the next chunk is read: the stream stays paused meanwhile.
      if (records.length > 0) yield records;
    }
    const records: CsvRecord[] = [];
    scanner.push(decoder.decode(), true, records);
    if (records.length > 0) yield records;
  } finally {
    // The caller owns the stream: a server still answers on it after a bad line, a CLI closes its file.
    stream.unpipe();
  }
}

/**
 * Reads and checks the header row: names are trimmed, blank ones named `Column <position>`; repeated
 * names are refused.
 * @example const header = await readCsvHeader(createReadStream('leads.csv'));
 */
export async function readCsvHeader(stream: Readable): Promise<string[]> {
  for await (const record of readCsv(stream)) return checkHeader(record.fields);
  throw emptyCsv();
}

/**
 * Checks a header row against the JSON API's limits (`POST /tables`): at most 1,000 columns, names
 * of 1–200 characters, no NUL or lone surrogate; names are trimmed, blank ones named `Column <position>`;
 * repeats are refused.
 */
export function checkHeader(fields: readonly string[]): string[] {
  const fail = (message: string) => new AppError('validation_failed', `line 1: ${message}`);
  if (fields.length > nameLimits.maxColumns) {
    throw fail(`the header has ${fields.length} columns; a table takes at most ${nameLimits.maxColumns}`);
  }
  const trimmed = fields.map((name) => name.trim());
  // A blank name (pandas writes its index column so, a spreadsheet its unnamed columns) becomes
  // `Column <position>`, as spreadsheets show it, or `Column <position> (2)`… when the header has that name.
  const taken = new Set(trimmed);
  const names = trimmed.map((name, index) => {
    if (name !== '') return name;
    let generated = `Column ${index + 1}`;
    for (let n = 2; taken.has(generated); n++) generated = `Column ${index + 1} (${n})`;
    taken.add(generated);
    return generated;
  });
  const seen = new Map<string, number>();
  names.forEach((name, index) => {
    const field = `header field ${index + 1}`;
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
