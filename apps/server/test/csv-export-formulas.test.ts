import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expected, headerCases, valueCases } from '../../../packages/engine/test/fixtures/formula-cases';
import { type TestServer, testServer } from './helpers';

let server: TestServer;
let tableId: number;

// A table whose header names and values are the cases, plus an enrichment column named `=m` whose
// mock provider echoes each value back (`=m.input`): values a provider produced go the same way.
beforeAll(async () => {
  server = await testServer();
  await server.startWorker();
  const created = await call('POST', '/tables', {
    name: 'Formulas',
    columns: ['value', ...headerCases.map((c) => c.value)],
  });
  tableId = created.table.id;
  await call('POST', `/tables/${tableId}/rows`, { rows: valueCases.map((c) => ({ value: c.value })) });
  const { column } = await call('POST', `/tables/${tableId}/columns`, {
    name: '=m',
    kind: 'enrichment',
    provider: 'mock',
    config: { input: '{{value}}' },
  });
  let { run } = await call('POST', `/tables/${tableId}/columns/${column.id}/runs`, { scope: 'all' });
  for (let i = 0; run.status === 'running' && i < 200; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    ({ run } = await call('GET', `/runs/${run.id}`));
  }
  expect(run.status).toBe('done');
});
afterAll(() => server.close());

async function call(method: string, url: string, body?: unknown) {
  const response = await server.app.inject({
    method: method as 'GET',
    url: `/api/v1${url}`,
    headers: { ...server.auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    payload: body === undefined ? undefined : JSON.stringify(body),
  });
  return response.json();
}

async function exportCsv(query = '') {
  const response = await server.app.inject({
    method: 'GET',
    url: `/api/v1/tables/${tableId}/export${query}`,
    headers: server.auth,
  });
  return { status: response.statusCode, body: response.body };
}

/** The export read back as a spreadsheet's importer would split it, by column name. */
function columns(body: string) {
  const [header, ...rows] = parse(body) as string[][];
  return { header: header as string[], column: (i: number) => rows.map((r) => r[i]) };
}

describe('CSV export against formula injection', () => {
  it(`prefixes ' to the ${valueCases.length} values and ${headerCases.length} headers a spreadsheet would run, and to provider output`, async () => {
    const { status, body } = await exportCsv();
    expect(status).toBe(200);
    const { header, column } = columns(body);
    expect(header.slice(0, 1 + headerCases.length)).toEqual(['value', ...headerCases.map(expected)]);
    expect(header.slice(1 + headerCases.length)).toEqual(["'=m.hash", "'=m.input", "'=m.length"]);
    expect(column(0)).toEqual(valueCases.map(expected));
    // The mock skips blank inputs: their cells are empty, every other one echoes the value.
    const echoed = valueCases.map((c) => (c.value.trim() === '' ? '' : expected(c)));
    expect(column(header.indexOf("'=m.input"))).toEqual(echoed);
    // The ' is inside the quotes the writer adds, where it counts (OWASP's `=1+2";=1+2` example).
    expect(body).toContain(`"'=1+2"",=3"`);
    expect(body).toContain(`"'=HYPERLINK(""http://x"",""y"")"`);
  });

  it('writes everything as stored with ?raw=true', async () => {
    const { status, body } = await exportCsv('?raw=true');
    expect(status).toBe(200);
    const { header, column } = columns(body);
    expect(header).toEqual(['value', ...headerCases.map((c) => c.value), '=m.hash', '=m.input', '=m.length']);
    expect(column(0)).toEqual(valueCases.map((c) => c.value));
    expect(column(header.indexOf('=m.input'))).toEqual(
      valueCases.map((c) => (c.value.trim() === '' ? '' : c.value)),
    );
  });

  it('neutralises with ?raw=false, and refuses a raw that is not true or false, naming it', async () => {
    expect((await exportCsv('?raw=false')).body).toBe((await exportCsv()).body);
    const bad = await exportCsv('?raw=yes');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error).toMatchObject({ code: 'validation_failed', path: 'raw' });
  });

  it('writes for Excel with ?excel=true: a UTF-8 BOM and CRLF line ends, the same values', async () => {
    const plain = (await exportCsv('?raw=true')).body;
    const excel = await exportCsv('?raw=true&excel=true');
    expect(excel.status).toBe(200);
    expect(excel.body.startsWith('\ufeffvalue,')).toBe(true);
    expect(parse(excel.body, { bom: true })).toEqual(parse(plain));
    // records end in CRLF: the header's line, the last one, and at least one per record
    expect(excel.body.indexOf('\n')).toBe(excel.body.indexOf('\r\n') + 1);
    expect(excel.body.endsWith('\r\n')).toBe(true);
    expect(plain.endsWith('\r\n')).toBe(false);
    const records = (parse(plain) as unknown[]).length;
    expect(excel.body.split('\r\n').length - 1).toBeGreaterThanOrEqual(records);
  });
});
