import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError, quoteInput } from '@glaze/core';
import type { PoolClient } from '@glaze/db';
import { from as copyFrom } from 'pg-copy-streams';
import type { CsvRecord } from './read-csv';

/** A write into the COPY stream is also cut at this many characters, so huge cells stay bounded. */
const maxWriteChars = 4_000_000;

/**
 * Streams the records into `copy` (a `COPY … FROM STDIN` in text format) as row data keyed by
 * column id, one line each: `lead(n)` (n counts the records from 1), then the JSON object.
 * Blank fields are left out (stored as absent values). Returns how many records.
 *
 * COPY, because it is the import's critical path: Postgres parses the rows while Node scans the
 * next part of the file (two cores busy, not one waiting for the other), and no row is sent as a
 * bind parameter. The COPY stream has backpressure, so memory stays at a few chunks of the file.
 */
export async function copyRecords(
  client: PoolClient,
  copy: string,
  records: AsyncIterable<CsvRecord[]>,
  header: readonly string[],
  columnIds: readonly string[],
  lead: (n: number) => string,
  /** Rows per write into the COPY stream. */
  rowsPerWrite = 2000,
): Promise<number> {
  let count = 0;
  // JSON keys of the column ids, written once: `"12":`
  const keys = columnIds.map((id) => `${JSON.stringify(id)}:`);
  async function* lines(): AsyncGenerator<string> {
    let text = '';
    let rows = 0;
    for await (const chunk of records) {
      for (const { fields, line } of chunk) {
        let json = '{';
        for (let index = 0; index < fields.length; index++) {
          const value = fields[index] as string;
          if (value === '') continue;
          if (json.length > 1) json += ',';
          if (!needsEscape.test(value)) {
            // most fields: written between quotes as they are (a third of JSON.stringify's CPU)
            json += `${keys[index]}"${value}"`;
            continue;
          }
          // Postgres jsonb cannot hold U+0000: say where it is rather than fail the whole COPY vaguely.
          if (value.includes('\u0000')) {
            throw new AppError(
              'validation_failed',
              `line ${line}: column ${quoteInput(header[index] ?? '')} holds a NUL character`,
            );
          }
          // JSON.stringify escapes every control character, so its output has no raw tab or line
          // break; the one character COPY's text format needs escaped is the backslash, doubled.
          json += keys[index] + JSON.stringify(value).replaceAll('\\', '\\\\');
        }
        count++;
        text += `${lead(count)}${json}}\n`;
        if (++rows >= rowsPerWrite || text.length >= maxWriteChars) {
          yield text;
          text = '';
          rows = 0;
        }
      }
    }
    if (text.length > 0) yield text;
  }
  await pipeline(Readable.from(lines(), { objectMode: false }), client.query(copyFrom(copy)));
  return count;
}

/** A character JSON escapes: a quote, a backslash, a control character. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what JSON escapes
const needsEscape = /["\\\u0000-\u001f]/;
