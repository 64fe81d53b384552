import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { TestDatabase } from '@glaze/db/testing';
import pg from 'pg';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableChannel } from '../src/index';
import { testDatabase } from './helpers';

const src = path.resolve(import.meta.dirname, '../src');

/** Tables whose rows carry a seq; checked against the schema below, so a new one cannot be missed. */
const seqTables = ['cells', 'chunks', 'rows', 'runs', 'table_changes'];

interface Statement {
  where: string;
  text: string;
}

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? files(path.join(dir, entry.name)) : [path.join(dir, entry.name)],
  );
}

/** The text of every string and template literal in a TypeScript source (a template's `${…}` parts left out). */
function stringLiterals(source: string): string[] {
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) found.push(node.text);
    else if (ts.isTemplateExpression(node))
      found.push([node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join(' '));
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile('source.ts', source, ts.ScriptTarget.Latest, true));
  return found;
}

/** Every SQL statement of the engine: each .sql file, and each string literal in a .ts file that reads as SQL. */
function engineStatements(): Statement[] {
  return files(src).flatMap((file): Statement[] => {
    const where = path.relative(src, file);
    const text = readFileSync(file, 'utf8');
    if (file.endsWith('.sql')) return [{ where, text }];
    if (!file.endsWith('.ts')) return [];
    return stringLiterals(text)
      .filter((literal) => /\b(select|insert|update|delete|with)\b/i.test(literal))
      .map((literal) => ({ where, text: literal }));
  });
}

/** Does a statement give a row a seq: nextval('glaze_seq'), an insert into a seq table (the column default), or `seq = …` in a set list. */
function writesSeq(text: string): boolean {
  const sql = text.replace(/--.*$/gm, '');
  return (
    /nextval\s*\(\s*'glaze_seq'/i.test(sql) ||
    new RegExp(`\\binsert\\s+into\\s+(${seqTables.join('|')})\\b`, 'i').test(sql) ||
    /(\bset|,)\s*seq\s*=/i.test(sql)
  );
}

/** What a seq writer lacks of the write rule (migration 017). */
function missing(text: string): string[] {
  const sql = text.replace(/--.*$/gm, '');
  return [
    ...(/\bglaze_lock_table\s*\(/.test(sql) ? [] : ['glaze_lock_table']),
    ...(/\bglaze_notify_table\s*\(/.test(sql) ? [] : ['glaze_notify_table']),
  ];
}

describe('every statement that writes a seq follows the write rule', () => {
  const statements = engineStatements();
  const writers = statements.filter((s) => writesSeq(s.text));

  it('finds the writers it should, and flags one that forgets the lock', () => {
    expect(writers.map((w) => w.where)).toEqual(
      expect.arrayContaining([
        'runs/sql/start-run.sql',
        'runs/sql/cancel-run.sql',
        'worker/sql/claim-chunk.sql',
        'worker/sql/flush-results.sql',
        'worker/sql/requeue-chunks.sql',
        'worker/sql/reopen-chunks.sql',
        'deps/sql/park-cells.sql',
        'rows/insert-rows.ts',
        'rows/update-rows.ts',
        'rows/delete-rows.ts',
        'feed/record-change.ts',
      ]),
    );
    const forgetful = `with moved as (update cells c set chunk_id = $2, seq = nextval('glaze_seq') where c.id = $1 returning seq)
      select glaze_notify_table($3, max(seq)::text) from moved`;
    expect(writesSeq(forgetful)).toBe(true);
    expect(missing(forgetful)).toEqual(['glaze_lock_table']);
    expect(writesSeq(`insert into table_changes (table_id, kind) values ($1, 'schema')`)).toBe(true);
    expect(writesSeq(`update runs set status = 'done' where seq = $1`)).toBe(false);
  });

  it('each one takes the table lock and notifies through the functions', () => {
    const offenders = writers
      .map((w) => ({ where: w.where, missing: missing(w.text), start: w.text.trim().slice(0, 60) }))
      .filter((w) => w.missing.length > 0);
    expect(offenders).toEqual([]);
  });

  it('no statement takes the lock or notifies a table by hand', () => {
    const byHand = statements
      .filter((s) => /pg_advisory_xact_lock_shared|glaze_table_'\s*\|\|/.test(s.text))
      .map((s) => s.where);
    expect(byHand).toEqual([]);
  });

  it('TypeScript builds a table channel only in tableChannel', () => {
    const spelled = files(src)
      .filter((file) => file.endsWith('.ts') && !file.endsWith(path.join('feed', 'table-channel.ts')))
      .filter((file) => /glaze_table_(?!feed_page\b|seq\b)/.test(readFileSync(file, 'utf8')))
      .map((file) => path.relative(src, file));
    expect(spelled).toEqual([]);
  });
});

describe('the write rule functions', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await testDatabase();
  });
  afterAll(() => db.drop());

  it('cover every table whose rows carry a seq', async () => {
    const { rows } = await db.pool.query(
      `select table_name from information_schema.columns
       where table_schema = 'public' and column_name = 'seq' and column_default like '%glaze_seq%'
       order by table_name`,
    );
    expect(rows.map((r) => r.table_name)).toEqual(seqTables);
  });

  it('glaze_lock_table holds the table lock shared until the transaction ends', async () => {
    const client = await db.pool.connect();
    try {
      await client.query('begin');
      const { rows } = await client.query('select glaze_lock_table($1) as locked', [4242]);
      expect(rows[0].locked).toBe(true);
      const held = await client.query(
        `select mode from pg_locks
         where locktype = 'advisory' and classid = 1 and objid = $1 and objsubid = 2 and pid = pg_backend_pid()`,
        [4242],
      );
      expect(held.rows.map((r) => r.mode)).toEqual(['ShareLock']);
      // the feed's exclusive lock waits for it
      const other = await db.pool.query('select pg_try_advisory_xact_lock(1, $1::int) as got', [4242]);
      expect(other.rows[0].got).toBe(false);
      await client.query('commit');
      const after = await db.pool.query('select pg_try_advisory_xact_lock(1, $1::int) as got', [4242]);
      expect(after.rows[0].got).toBe(true);
    } finally {
      client.release();
    }
  });

  it('glaze_notify_table notifies the channel tableChannel names', async () => {
    const listener = new pg.Client({ connectionString: db.url });
    await listener.connect();
    try {
      const heard = new Promise<{ channel: string; payload?: string }>((resolve) =>
        listener.on('notification', resolve),
      );
      await listener.query(`listen ${tableChannel(77)}`);
      const { rows } = await db.pool.query(`select glaze_notify_table($1, $2) as notified`, [77, '1234']);
      expect(rows[0].notified).toBe(true);
      expect(await heard).toMatchObject({ channel: 'glaze_table_77', payload: '1234' });
    } finally {
      await listener.end();
    }
  });
});
