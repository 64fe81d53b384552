import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { raceAtTableLock, type TestServer, testServer } from './helpers';

/**
 * An import retried with the same `Idempotency-Key` (after a 503, a timeout or a dropped connection)
 * answers with what the first import did and imports nothing: no second table, no second copy of
 * the rows. The CSV's bytes are part of the request: the same key with another file is refused.
 */
let server: TestServer;
beforeAll(async () => {
  server = await testServer();
});
afterAll(() => server.close());

async function importCsv(url: string, csv: string, key?: string) {
  const response = await server.app.inject({
    method: 'POST',
    url: `/api/v1${url}`,
    headers: {
      ...server.auth,
      'content-type': 'text/csv',
      ...(key === undefined ? {} : { 'idempotency-key': key }),
    },
    payload: csv,
  });
  return {
    status: response.statusCode,
    body: response.json(),
    replayed: response.headers['idempotent-replayed'],
  };
}

const count = async (sql: string, values: unknown[]) =>
  (await server.db.pool.query(sql, values)).rows[0].n as number;
const tablesNamed = (name: string) =>
  count('select count(*)::int as n from tables where name = $1 and workspace_id = $2', [
    name,
    server.workspaceId,
  ]);
const rowsOf = (tableId: number) =>
  count('select count(*)::int as n from rows where table_id = $1', [tableId]);

const leads = 'Company,Email\nacme.example,a@acme.example\n"globex, inc",g@globex.example\n';

describe('Idempotency-Key on CSV imports', () => {
  it('an import into a new table retried with its key answers the same table and creates no second one', async () => {
    const first = await importCsv('/tables/import?name=Keyed%20leads', leads, 'import-1');
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.replayed).toBeUndefined();
    const retry = await importCsv('/tables/import?name=Keyed%20leads', leads, 'import-1');
    expect(retry.status, JSON.stringify(retry.body)).toBe(201);
    expect(retry.replayed).toBe('true');
    expect(retry.body).toMatchObject({ rows: 2, table: { id: first.body.table.id, rowCount: 2 } });
    expect(await tablesNamed('Keyed leads')).toBe(1);
    // without a key, a second import is a second table
    await importCsv('/tables/import?name=Keyed%20leads', leads);
    expect(await tablesNamed('Keyed leads')).toBe(2);
  });

  it('an append retried with its key appends once; an upsert replays its counts', async () => {
    const created = await importCsv('/tables/import?name=Appended', leads);
    const tableId = created.body.table.id as number;
    const more = 'Company\ninitech.example\n';
    const first = await importCsv(`/tables/${tableId}/import`, more, 'append-csv');
    const retry = await importCsv(`/tables/${tableId}/import`, more, 'append-csv');
    expect(first.body).toEqual({ rows: 1 });
    expect(retry.body).toEqual({ rows: 1 });
    expect(retry.replayed).toBe('true');
    expect(await rowsOf(tableId)).toBe(3);
    const upsert = 'Company,Email\nacme.example,new@acme.example\numbrella.example,u@umbrella.example\n';
    const merged = await importCsv(`/tables/${tableId}/import?key=Company`, upsert, 'upsert-csv');
    expect(merged.body).toMatchObject({ inserted: 1, updated: 1 });
    const again = await importCsv(`/tables/${tableId}/import?key=Company`, upsert, 'upsert-csv');
    expect(again.body).toEqual(merged.body);
    expect(again.replayed).toBe('true');
    expect(await rowsOf(tableId)).toBe(4);
  });

  it('the same key with another file or another query is refused with 422 naming the header', async () => {
    await importCsv('/tables/import?name=First%20file', leads, 'import-2');
    const otherFile = await importCsv(
      '/tables/import?name=First%20file',
      `${leads}initech.example,i@x\n`,
      'import-2',
    );
    expect(otherFile.status).toBe(422);
    expect(otherFile.body.error).toMatchObject({ code: 'idempotency_key_reused', path: 'Idempotency-Key' });
    expect(otherFile.body.error.message).toContain('imported 2 rows into table');
    const otherName = await importCsv('/tables/import?name=Second%20file', leads, 'import-2');
    expect(otherName.status).toBe(422);
    expect(await tablesNamed('First file')).toBe(1);
    expect(await tablesNamed('Second file')).toBe(0);
  });

  it('a bad key is a 400 naming the header, and nothing is imported', async () => {
    const refused = await importCsv('/tables/import?name=Bad%20key', leads, 'two words');
    expect(refused.status).toBe(400);
    expect(refused.body.error.path).toBe('idempotency-key');
    expect(await tablesNamed('Bad key')).toBe(0);
  });

  it('appends racing with one key import once, and every answer is that import', async () => {
    const created = await importCsv('/tables/import?name=Raced', leads);
    const tableId = created.body.table.id as number;
    // each append has staged its rows before any of them copies them in: they race at the key
    const answers = await raceAtTableLock(
      server,
      tableId,
      Array.from(
        { length: 4 },
        () => () => importCsv(`/tables/${tableId}/import`, 'Company\nhooli.example\n', 'race-csv'),
      ),
    );
    for (const answer of answers) expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answers.filter((answer) => answer.replayed === 'true')).toHaveLength(3);
    expect(await rowsOf(tableId)).toBe(3);
  });
});
