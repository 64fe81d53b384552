import { PassThrough, Readable } from 'node:stream';
import type { TestDatabase } from '@glaze/db/testing';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportCsv, importCsv } from '../src/index';
import { createWorkspace, testDatabase } from './helpers';

let db: TestDatabase;
let workspaceId: number;
beforeAll(async () => {
  db = await testDatabase();
  workspaceId = await createWorkspace(db);
});
afterAll(() => db.drop());

const rows = 100_000;

/** Values a real lead file holds, and the ones that broke the old export. */
const samples = [
  'plain',
  ' leading and trailing spaces ',
  'line one\r\nline two (CRLF)',
  'line one\nline two (LF)',
  'line one\rline two (CR)',
  'comma, inside',
  'say "hi"',
  '"quoted"',
  'emoji 🎉👩🏽‍💻',
  'Zoë Ångström Ñandú 中文 العربية',
  '=SUM(A1:A9)',
  '-12.5',
  '@handle',
  '   ',
  '',
  '\ttab first',
  'trailing CRLF\r\n',
];

function field(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A messy file: BOM, CRLF records, blank lines, headers with spaces, every sample in every column. */
function messyCsv(): string {
  const header = ['email', ' Notes ', 'Name  ', 'city'];
  const parts = [`\ufeff${header.map(field).join(',')}\r\n`];
  for (let i = 0; i < rows; i++) {
    const record = [
      `person${i}@example.com`,
      samples[i % samples.length] as string,
      samples[(i * 7 + 3) % samples.length] as string,
      `${samples[(i * 5 + 1) % samples.length]} ${i}`,
    ];
    parts.push(`${record.map(field).join(',')}\r\n`);
    if (i % 1000 === 0) parts.push('\r\n');
  }
  return parts.join('');
}

function* chunks(bytes: Buffer, size: number): Generator<Buffer> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

async function exportText(tableId: number, options: Parameters<typeof exportCsv>[3]): Promise<string> {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (chunk: Buffer) => chunks.push(chunk));
  await exportCsv(db.pool, tableId, sink, options);
  return Buffer.concat(chunks).toString('utf8');
}

describe('CSV round trip', () => {
  it('gives back every field of a messy 100,000-row file byte for byte, as csv-parse reads it', async () => {
    const source = messyCsv();
    const expected = parse(source, { bom: true, skip_empty_lines: true }) as string[][];
    expect(expected.length).toBe(rows + 1);
    const imported = await importCsv(db.pool, {
      workspaceId,
      name: 'messy',
      // odd-sized chunks: boundaries fall inside quotes, CRLFs and multi-byte characters
      stream: Readable.from(chunks(Buffer.from(source, 'utf8'), 9973)),
    });
    expect(imported.rows).toBe(rows);

    const raw = await exportText(imported.table.id, { raw: true, bom: true, lineEnd: '\r\n' });
    expect(raw.startsWith('\ufeffemail, Notes ,Name  ,city\r\n')).toBe(true);
    const back = parse(raw, { bom: true }) as string[][];
    expect(back.length).toBe(expected.length);
    let compared = 0;
    for (let r = 0; r < expected.length; r++) {
      const want = expected[r] as string[];
      const got = back[r] as string[];
      for (let f = 0; f < want.length; f++) {
        if (got[f] !== want[f]) {
          throw new Error(`record ${r} field ${f}: ${JSON.stringify(got[f])} ≠ ${JSON.stringify(want[f])}`);
        }
        compared++;
      }
    }
    expect(compared).toBe((rows + 1) * 4);

    // Without raw, only fields a spreadsheet would run as formulas change: they gain a leading '.
    const safe = parse(await exportText(imported.table.id, {}), {}) as string[][];
    const triggers = /^[\s]*[=+\-@]|^[\t\r\n]/;
    let prefixed = 0;
    for (let r = 1; r < expected.length; r++) {
      for (let f = 0; f < 4; f++) {
        const want = (expected[r] as string[])[f] as string;
        const got = (safe[r] as string[])[f] as string;
        if (got === want) continue;
        expect(got).toBe(`'${want}`);
        expect(want).toMatch(triggers);
        prefixed++;
      }
    }
    expect(prefixed).toBeGreaterThan(0);
  }, 120_000);
});
