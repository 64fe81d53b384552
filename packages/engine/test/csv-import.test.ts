import { PassThrough, Readable } from 'node:stream';
import { AppError } from '@glaze/core';
import type { TestDatabase } from '@glaze/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTable, exportCsv, importCsv, listColumns } from '../src/index';
import { createWorkspace, testDatabase } from './helpers';

let db: TestDatabase;
let workspaceId: number;
beforeAll(async () => {
  db = await testDatabase();
  workspaceId = await createWorkspace(db);
});
afterAll(() => db.drop());

/** Rows of a table by column name, in position order. */
async function rowsOf(tableId: number): Promise<Record<string, unknown>[]> {
  const columns = await listColumns(db.pool, tableId);
  const names = new Map(columns.map((c) => [String(c.id), c.name]));
  const { rows } = await db.pool.query('select data from rows where table_id = $1 order by position, id', [
    tableId,
  ]);
  return rows.map((r) => Object.fromEntries(Object.entries(r.data).map(([id, v]) => [names.get(id), v])));
}

/** A stream that delivers `text` in pieces of `size` bytes, so chunk boundaries fall mid-line. */
function chunked(text: string, size = 7): Readable {
  const bytes = Buffer.from(text);
  return Readable.from(
    (function* () {
      for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
    })(),
  );
}

async function importError(text: string, extra: { tableId?: number } = {}): Promise<AppError> {
  const error = await importCsv(db.pool, { workspaceId, name: 'bad', stream: chunked(text), ...extra }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe('validation_failed');
  return error as AppError;
}

async function tableCount(): Promise<number> {
  const { rows } = await db.pool.query('select count(*)::int as n from tables');
  return rows[0].n;
}

describe('importCsv', () => {
  it('reads quotes, doubled quotes, a BOM, CRLF line ends and line breaks inside quotes', async () => {
    const text =
      '\uFEFFname, email ,note\r\n' +
      '"Lovelace, Ada",ada@example.com,"said ""hi""\r\nthen left"\r\n' +
      'Grace,,plain\r\n' +
      '\r\n' +
      'Émile,emile@example.fr,"naïve — ünïcode"\r\n';
    const imported = await importCsv(db.pool, { workspaceId, name: 'people', stream: chunked(text, 3) });
    expect(imported.columns).toEqual(['name', 'email', 'note']);
    expect(imported.rows).toBe(3);
    const columns = await listColumns(db.pool, imported.table.id);
    expect(columns.map((c) => [c.name, c.kind])).toEqual([
      ['name', 'input'],
      ['email', 'input'],
      ['note', 'input'],
    ]);
    expect(await rowsOf(imported.table.id)).toEqual([
      // the CRLF inside the quoted field is kept as it was written
      { name: 'Lovelace, Ada', email: 'ada@example.com', note: 'said "hi"\r\nthen left' },
      // a blank field is stored as no value
      { name: 'Grace', note: 'plain' },
      { name: 'Émile', email: 'emile@example.fr', note: 'naïve — ünïcode' },
    ]);
  });

  // Seen importing files Excel and spreadsheets write: before, each of these came in as one column
  // named after the whole header line (`a;b;c`), or, with lone-CR line ends, as a header only, rows 0.
  it.each([
    [
      'semicolons (Excel where the decimal mark is a comma)',
      'name;amount;note\n"Lovelace; Ada";1,5;"x"\nGrace;2;\n',
    ],
    ['tabs (a spreadsheet copy, .tsv)', 'name\tamount\tnote\n"Lovelace; Ada"\t1,5\tx\nGrace\t2\t\n'],
    [
      'lone-CR line ends (classic Mac, "CSV (Macintosh)")',
      'name,amount,note\r"Lovelace; Ada","1,5",x\rGrace,2,\r',
    ],
    ['semicolons and lone-CR line ends', 'name;amount;note\r"Lovelace; Ada";1,5;x\r\rGrace;2;'],
  ])('reads a file separated by %s', async (_, text) => {
    for (const size of [1, 5, 4096]) {
      const imported = await importCsv(db.pool, {
        workspaceId,
        name: 'dialect',
        stream: chunked(text, size),
      });
      expect(imported.columns).toEqual(['name', 'amount', 'note']);
      expect(await rowsOf(imported.table.id)).toEqual([
        { name: 'Lovelace; Ada', amount: '1,5', note: 'x' },
        { name: 'Grace', amount: '2' },
      ]);
    }
  });

  it('reads a semicolon file whose header names and values hold commas (decimal commas)', async () => {
    const text = 'name;amount, net;note, with comma\r\n"Lovelace; Ada";1,5;"x"\r\nGrace;2,25;a,b\r\n';
    for (const size of [1, 4096]) {
      const imported = await importCsv(db.pool, {
        workspaceId,
        name: 'decimal',
        stream: chunked(text, size),
      });
      expect(imported.columns).toEqual(['name', 'amount, net', 'note, with comma']);
      expect(await rowsOf(imported.table.id)).toEqual([
        { name: 'Lovelace; Ada', 'amount, net': '1,5', 'note, with comma': 'x' },
        { name: 'Grace', 'amount, net': '2,25', 'note, with comma': 'a,b' },
      ]);
    }
  });

  it('decides from the header alone when the first record is longer than the sniff looks', async () => {
    const long = 'x;'.repeat(50_000);
    const text = `a;b\n"${long}";1\n`;
    const imported = await importCsv(db.pool, { workspaceId, name: 'long', stream: chunked(text, 4096) });
    expect(await rowsOf(imported.table.id)).toEqual([{ a: long, b: '1' }]);
  });

  it('keeps commas as separators when they split the header and the first record alike', async () => {
    const text = 'id,tags;kind\n1,a;b\n';
    const imported = await importCsv(db.pool, { workspaceId, name: 'commas', stream: chunked(text) });
    expect(imported.columns).toEqual(['id', 'tags;kind']);
    expect(await rowsOf(imported.table.id)).toEqual([{ id: '1', 'tags;kind': 'a;b' }]);
  });

  it('keeps a line break inside a quoted field of a lone-CR file as written, and counts it in line numbers', async () => {
    const imported = await importCsv(db.pool, {
      workspaceId,
      name: 'cr',
      stream: chunked('a,b\r"one\rtwo",x\r'),
    });
    expect(await rowsOf(imported.table.id)).toEqual([{ a: 'one\rtwo', b: 'x' }]);
    expect((await importError('a,b\r"one\rtwo",x\r1,2,3\r')).message).toBe(
      'line 4: 3 fields, but the header has 2',
    );
  });

  it('streams 100,000 rows in batches and keeps their order', async () => {
    const total = 100_000;
    function* lines() {
      yield 'id,email,company\n';
      for (let i = 1; i <= total; i += 1) yield `${i},user${i}@example.com,"Company ${i}, Inc."\r\n`;
    }
    const imported = await importCsv(db.pool, { workspaceId, name: 'big', stream: Readable.from(lines()) });
    expect(imported.rows).toBe(total);
    const { rows } = await db.pool.query(
      `select count(*)::int as n, count(distinct position)::int as positions from rows where table_id = $1`,
      [imported.table.id],
    );
    expect(rows[0]).toEqual({ n: total, positions: total });
    const columns = await listColumns(db.pool, imported.table.id);
    const ids = Object.fromEntries(columns.map((c) => [c.name, String(c.id)]));
    const sample = await db.pool.query(
      `select data from rows where table_id = $1 order by position offset 54320 limit 1`,
      [imported.table.id],
    );
    expect(sample.rows[0].data).toEqual({
      [ids.id as string]: '54321',
      [ids.email as string]: 'user54321@example.com',
      [ids.company as string]: 'Company 54321, Inc.',
    });
  });

  it('names the line of an unclosed quote, and leaves no half-imported table behind', async () => {
    const before = await tableCount();
    const text = 'a,b\n1,2\n3,4\n5,6\n7,8\n9,10\n11,"12\n13,14\n15,16\n';
    expect((await importError(text)).message).toMatch(/^line 7: unclosed quote/);
    expect(await tableCount()).toBe(before);
  });

  it('names the line of a record with the wrong number of fields, counting lines inside quotes', async () => {
    const error = await importError('a,b\r\n1,"two\r\nlines"\r\n3,4,5\r\n');
    expect(error.message).toBe('line 4: 3 fields, but the header has 2');
  });

  it('names the line and field of text after a closing quote and of a stray quote, and shows it', async () => {
    expect((await importError('a,b\n1,2\n3,"4"x\n')).message).toBe(
      'line 3: field 2: unexpected text after a closing quote, at "\\"x" (a quote inside a quoted field is written "")',
    );
    expect((await importError('a,b\n1,2\n3,4\n5,x"y\n')).message).toBe(
      'line 4: field 2: a quote inside an unquoted field, at "x\\"y" (quote the whole field and write the quote as "")',
    );
    // a space before a quoted header field, as a hand-edited file has it
    expect((await importError('Email, " Notes ",Name\r\nx,y,z\r\n')).message).toBe(
      'line 1: field 2: a quote inside an unquoted field, at " \\" Notes \\",Name" (quote the whole field and write the quote as "")',
    );
  });

  it('names a blank header field by its position, and exports it by that name', async () => {
    // pandas' index column, and a header that already has the name a blank field would get
    const imported = await importCsv(db.pool, {
      workspaceId,
      name: 'blank headers',
      stream: Readable.from([',email,,Column 3, \n0,a@x.io,p,q,r\n']),
    });
    const { rows } = await db.pool.query(
      `select name, config from columns where table_id = $1 and kind = 'input' order by position`,
      [imported.table.id],
    );
    expect(rows.map((r) => r.name)).toEqual(['Column 1', 'email', 'Column 3 (2)', 'Column 3', 'Column 5']);
    expect(rows.every((r) => r.config?.csvHeader === undefined)).toBe(true);
    const sink = new PassThrough();
    const written: Buffer[] = [];
    sink.on('data', (chunk: Buffer) => written.push(chunk));
    await exportCsv(db.pool, imported.table.id, sink);
    expect(Buffer.concat(written).toString('utf8').split('\n')[0]).toBe(
      'Column 1,email,Column 3 (2),Column 3,Column 5',
    );
  });

  it('refuses a repeated header name, and an empty file', async () => {
    expect((await importError('email,name, email\n')).message).toBe(
      'line 1: header names column "email" twice (fields 1 and 3)',
    );
    expect((await importError('')).message).toMatch(/the CSV is empty/);
  });

  it('appends to an existing table by header name, and refuses headers that are not its input columns', async () => {
    const table = await createTable(db.pool, {
      workspaceId,
      name: 'existing',
      inputColumns: ['email', 'name'],
    });
    const imported = await importCsv(db.pool, {
      tableId: table.id,
      workspaceId,
      stream: chunked('name,email\nAda,ada@example.com\n'),
    });
    expect(imported).toMatchObject({ rows: 1, columns: ['name', 'email'], table: { id: table.id } });
    const error = await importError('name,phone,fax\nBob,1,2\n', { tableId: table.id });
    expect(error.message).toBe(
      'line 1: the table has no input column named "phone", "fax"; its input columns: email, name',
    );
    // a bad line after good ones leaves the existing table as it was
    expect(
      (await importError('name,email\nCy,cy@example.com\n"Dee,dee@example.com\n', { tableId: table.id }))
        .message,
    ).toMatch(/^line 3: unclosed quote/);
    expect(await rowsOf(table.id)).toEqual([{ name: 'Ada', email: 'ada@example.com' }]);
  });

  it('into an existing table, a slow upload does not hold the table lock the change feed waits on', async () => {
    const table = await createTable(db.pool, { workspaceId, name: 'watched', inputColumns: ['n'] });
    let release = () => {};
    const stalled = new Promise<void>((resolve) => {
      release = resolve;
    });
    async function* upload() {
      yield 'n\n';
      for (let i = 1; i <= 3000; i += 1) yield `${i}\n`;
      await stalled; // the client goes quiet mid-upload
      for (let i = 3001; i <= 3500; i += 1) yield `${i}\n`;
    }
    const importing = importCsv(db.pool, {
      tableId: table.id,
      stream: Readable.from(upload()),
      batchSize: 1000,
    });
    // wait until the import's COPY has taken rows and waits for more bytes
    for (let i = 0; i < 400; i += 1) {
      const { rows } = await db.pool.query(
        `select 1 from pg_stat_activity a, pg_stat_progress_copy p
         where a.pid = p.pid and a.datname = current_database() and p.tuples_processed >= 3000`,
      );
      if (rows.length > 0) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    const { rows: locks } = await db.pool.query(
      `select count(*)::int as n from pg_locks where locktype = 'advisory' and classid = 1 and objid = $1`,
      [table.id],
    );
    expect(locks[0].n).toBe(0);
    release();
    expect((await importing).rows).toBe(3500);
    const { rows } = await db.pool.query(
      `select min((data->>(select id::text from columns where table_id = $1))::int) as first,
              max((data->>(select id::text from columns where table_id = $1))::int) as last, count(*)::int as n
       from rows where table_id = $1`,
      [table.id],
    );
    expect(rows[0]).toEqual({ first: 1, last: 3500, n: 3500 });
  });

  it('refuses a table of another workspace', async () => {
    const table = await createTable(db.pool, { workspaceId, name: 'mine', inputColumns: ['a'] });
    const error = await importCsv(db.pool, {
      tableId: table.id,
      workspaceId: workspaceId + 1000,
      stream: chunked('a\n1\n'),
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'not_found' });
  });
});

describe('importCsv through COPY', () => {
  it("keeps every character COPY's text format or JSON treats specially, exactly", async () => {
    const values = [
      'back\\slash',
      '\\N',
      '\\.',
      'tab\there',
      'say "hi"',
      'line\nbreak',
      'crlf\r\nend',
      '\\u0041 not an escape',
      'bell\u0007',
      'emoji 🎉 é',
      '\u2028sep',
    ];
    const quoted = (v: string) => `"${v.replaceAll('"', '""')}"`;
    const text = `a,b\n${values.map((v, i) => `${quoted(v)},${i}`).join('\n')}\n`;
    const imported = await importCsv(db.pool, { workspaceId, name: 'special', stream: chunked(text, 5) });
    expect(await rowsOf(imported.table.id)).toEqual(values.map((v, i) => ({ a: v, b: String(i) })));
  });

  it('names the line and column of a NUL character, and leaves no table behind', async () => {
    const error = await importError('a,b\nx,y\nok,"bad\u0000"\n');
    expect(error.message).toBe('line 3: column "b" holds a NUL character');
    const { rows } = await db.pool.query(`select 1 from tables where name = 'bad'`);
    expect(rows).toHaveLength(0);
  });
});
