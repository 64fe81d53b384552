import { afterAll, beforeAll, expect, it } from 'vitest';
import { leadsCsv, type TestServer, testServer } from './helpers';

/**
 * A database whose disk is full (SQLSTATE 53100) answers reads and refuses writes. Before, an import
 * then answered `500 internal error; see the server log` (and, when Postgres's own log could not
 * grow either, `503 the database is unreachable`): nothing told the person the disk was full. A
 * trigger refuses the rows' writes as a full disk does while a flag row exists, and the write probe's
 * (migration 039), which is how the server learns that space is back.
 */
let server: TestServer;
beforeAll(async () => {
  server = await testServer();
  await server.db.pool.query(`
    create table disk_is_full (on_ boolean);
    create function refuse_when_disk_full() returns trigger language plpgsql as $$
    begin
      if exists (select 1 from disk_is_full) then
        raise exception 'could not extend file "base/1/2": No space left on device (test)'
          using errcode = 'disk_full';
      end if;
      return new;
    end $$;
    create trigger rows_refused before insert on rows
      for each row execute function refuse_when_disk_full();
    create trigger probe_refused before insert on glaze_write_probe
      for each row execute function refuse_when_disk_full();
  `);
});
afterAll(() => server.close());

const importLeads = (name: string) =>
  server.app.inject({
    method: 'POST',
    url: `/api/v1/tables/import?name=${name}`,
    headers: { ...server.auth, 'content-type': 'text/csv' },
    payload: leadsCsv(5),
  });

it('an import the full disk refuses is a 503 that says so; once space is back it succeeds', async () => {
  await server.db.pool.query('insert into disk_is_full values (true)');
  const refused = await importLeads('Full');
  expect(refused.statusCode).toBe(503);
  expect(refused.headers['retry-after']).toBe('5');
  expect(refused.json().error).toEqual({
    code: 'database_unavailable',
    message: expect.stringMatching(
      /^the database is out of disk space: nothing can be saved until space is freed/,
    ),
    path: null,
  });
  // nothing half made: the table came with its rows or not at all
  const tables = await server.app.inject({ method: 'GET', url: '/api/v1/tables', headers: server.auth });
  expect(tables.json().tables).toEqual([]);

  const unready = await server.app.inject({ method: 'GET', url: '/readyz' });
  expect(unready.statusCode).toBe(503);
  expect(unready.json().reason).toMatch(/out of disk space/);

  await server.db.pool.query('delete from disk_is_full');
  const deadline = Date.now() + 10_000;
  while ((await server.app.inject({ method: 'GET', url: '/readyz' })).statusCode !== 200) {
    if (Date.now() > deadline) throw new Error('/readyz still 503 10 s after space came back');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const imported = await importLeads('Full');
  expect(imported.statusCode).toBe(201);
  expect(imported.json().rows).toBe(5);
});
