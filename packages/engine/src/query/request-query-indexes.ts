import { createHash } from 'node:crypto';
import type { Pool } from '@glaze/db';
import type { IndexWant } from './index-wants';

export interface IndexRequest {
  /** Indexes this query would use that are still being built (the query scans meanwhile). */
  building: string[];
  /** Settles when every index this call started is built (or has failed and been dropped). */
  built: Promise<void>;
}

/**
 * Makes sure the indexes a query wants exist, starting the missing ones in the background with
 * `create index concurrently` (writers are never blocked; a million rows take seconds to a couple of
 * minutes). Until an index is ready the query still answers, by a scan. One row per index in
 * `query_indexes` makes a second request wait for nothing; indexes of deleted tables or columns
 * are dropped here too.
 */
export async function requestQueryIndexes(pool: Pool, wants: readonly IndexWant[]): Promise<IndexRequest> {
  const trgm = wants.some((w) => w.using === 'trgm') ? await hasTrigrams(pool) : false;
  const unique = new Map<string, IndexWant>();
  for (const want of wants) if (!want.using || trgm) unique.set(indexName(want), want);
  const starts: Promise<void>[] = [];
  const building: string[] = [];
  if (unique.size > 0) {
    const names = [...unique.keys()];
    const { rows } = await pool.query(
      `with wanted as (
         select * from unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[]) as w(name, table_id, column_id, definition)
       ), added as (
         insert into query_indexes (name, table_id, column_id, definition)
         select name, table_id, column_id, definition from wanted
         -- a failed build is tried again by the next query that wants it, and so is one whose
         -- process died: still 'building' long after it last started, and no backend building it
         on conflict (name) do update set status = 'building', error = null, created_at = now()
           where query_indexes.status = 'failed'
              or (query_indexes.status = 'building'
                  and query_indexes.created_at < now() - make_interval(secs => $5::double precision)
                  and not exists (select 1 from pg_stat_progress_create_index p
                                  where p.index_relid = to_regclass(query_indexes.name)))
         returning name
       )
       select name, true as added from added
       union all
       select q.name, false from query_indexes q join wanted w using (name)
       where q.status = 'building' and q.name not in (select name from added)`,
      [
        names,
        names.map((n) => unique.get(n)?.tableId),
        names.map((n) => unique.get(n)?.columnId ?? null),
        names.map((n) => createStatement(n, unique.get(n) as IndexWant)),
        abandonedAfterSeconds,
      ],
    );
    for (const row of rows) {
      building.push(row.name);
      if (row.added) starts.push(queueBuild(pool, row.name, unique.get(row.name) as IndexWant));
    }
  }
  starts.push(dropOrphans(pool));
  const built = Promise.all(starts).then(() => {});
  inFlight.add(built);
  void built.finally(() => inFlight.delete(built)).catch(() => {});
  return { building, built };
}

const inFlight = new Set<Promise<void>>();

/**
 * A build still 'building' this long after it last started, with no backend running it, belongs to
 * a process that died (a crash or a restart mid-build): the next query that wants it builds it
 * again. Longer than a build waits in its process's queue behind others (one at a time, each up to
 * a couple of minutes at a million rows), so a queued build is not started twice.
 */
const abandonedAfterSeconds = 300;

/** Settles when every index build this process started has ended (before closing its pool). */
export async function indexBuildsSettled(): Promise<void> {
  while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
}

/** `glaze_q_<hash of the statement>`: the same want always has the same name. */
export function indexName(want: IndexWant): string {
  return `glaze_q_${createHash('sha256').update(`${want.on} ${want.definition}`).digest('hex').slice(0, 20)}`;
}

function createStatement(name: string, want: IndexWant): string {
  return `create index concurrently if not exists ${name} on ${want.on} ${want.definition}`;
}

/**
 * One build at a time in a process: two `create index concurrently` on one table wait for each
 * other's transactions and deadlock (measured: 3 of 9 builds failed so), and `analyze` waits for
 * any build on its table.
 */
let queue: Promise<void> = Promise.resolve();
function queueBuild(pool: Pool, name: string, want: IndexWant): Promise<void> {
  const next = queue.then(() => build(pool, name, want));
  queue = next;
  return next;
}

async function build(pool: Pool, name: string, want: IndexWant): Promise<void> {
  try {
    // from now on a live backend is building it (pg_stat_progress_create_index shows it)
    await pool.query(`update query_indexes set created_at = now() where name = $1`, [name]);
    // A build interrupted by a crash leaves an invalid index of this name behind, which `if not
    // exists` would take for done: drop it first. A valid one (the crash came after the build)
    // only needs its statistics and its status.
    const { rows } = await pool.query(`select indisvalid from pg_index where indexrelid = to_regclass($1)`, [
      name,
    ]);
    if (rows[0]?.indisvalid === false) await pool.query(`drop index concurrently if exists ${name}`);
    await pool.query(createStatement(name, want));
    // The planner needs statistics on the new expression to choose the index: analyze samples
    // 30,000 rows, well under a second at a million.
    await pool.query(`analyze ${want.on}`);
    await pool.query(`update query_indexes set status = 'ready', ready_at = now() where name = $1`, [name]);
  } catch (error) {
    // an interrupted concurrent build leaves an invalid index behind, which writers still maintain
    await pool.query(`drop index concurrently if exists ${name}`).catch(() => {});
    await pool
      .query(`update query_indexes set status = 'failed', error = $2 where name = $1`, [
        name,
        (error as Error).message,
      ])
      .catch(() => {});
  }
}

async function dropOrphans(pool: Pool): Promise<void> {
  const { rows } = await pool.query(
    `delete from query_indexes q
     where not exists (select 1 from tables t where t.id = q.table_id)
        or (q.column_id is not null and not exists (select 1 from columns c where c.id = q.column_id))
     returning name`,
  );
  for (const row of rows) await pool.query(`drop index concurrently if exists ${row.name}`).catch(() => {});
}

async function hasTrigrams(pool: Pool): Promise<boolean> {
  const { rows } = await pool.query(
    `select exists (select 1 from pg_extension where extname = 'pg_trgm') as ok`,
  );
  return rows[0]?.ok === true;
}
