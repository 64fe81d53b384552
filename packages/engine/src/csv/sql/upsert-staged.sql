-- Upsert by key: the staged rows of a CSV (temp table glaze_import) whose key value a row of the
-- table already holds update that row; the others are appended. One statement under the table's
-- write rule (glaze_lock_table, glaze_notify_table: migration 017), so the change feed sees it whole.
-- * The file's columns replace the row's values for those columns (a blank field clears one);
--   columns the file leaves out keep theirs. A row whose values do not change is not written.
-- * Cells that depend on a changed input ($4/$5 pairs, transitive) and hold a result (done, error,
--   skipped) become `stale`; the run scope `stale` re-runs exactly them.
-- * A key that appears twice in the file: the later line wins. A line with a blank key is appended.
-- $1 table id, $2 key column id (text), $3 the file's column ids (text[]), $4 input ids, $5 dependant ids
with lock as (select glaze_lock_table($1) as locked),
staged as (
  select distinct on (s.data ->> $2::text) s.ord, s.data, s.data ->> $2::text as key
  from glaze_import s, lock
  where lock.locked and s.data ? $2::text
  order by s.data ->> $2::text, s.ord desc
),
matched as (
  select r.id, r.data as old, (r.data - $3::text[]) || st.data as new
  from staged st
  join rows r on r.table_id = $1 and r.data ->> $2::text = st.key
),
updated as (
  update rows r set data = m.new, seq = nextval('glaze_seq')
  from matched m
  where r.id = m.id and m.new <> m.old
  returning r.id, m.old, m.new, r.seq
),
changed as (
  select u.id, k.column_id
  from updated u
  cross join lateral (
    select key::bigint as column_id from jsonb_each(u.new) n where u.old -> n.key is distinct from n.value
    union
    select key::bigint from jsonb_each(u.old) o where not u.new ? o.key
  ) k
),
staled as (
  update cells c set status = 'stale', seq = nextval('glaze_seq')
  from (
    select distinct ch.id as row_id, d.column_id
    from changed ch
    join unnest($4::bigint[], $5::bigint[]) as d (input_id, column_id) on d.input_id = ch.column_id
  ) s
  where c.column_id = s.column_id and c.row_id = s.row_id and c.status in ('done', 'error', 'skipped')
  returning c.seq, c.column_id
),
-- an auto-run column's stale cells are owed a re-run until it starts (migration 043)
stale_owed as (
  select glaze_owe_stale_auto_run($1, array(select distinct column_id from staled))
  where exists (select 1 from staled)
),
fresh as (
  select st.ord, st.data from staged st
  where not exists (select 1 from matched m where (m.old ->> $2::text) = st.key)
  union all
  select s.ord, s.data from glaze_import s, lock where lock.locked and not s.data ? $2::text
),
base as (select coalesce((select max(position) from rows where table_id = $1), 0) as p),
inserted as (
  insert into rows (table_id, position, data)
  select $1, base.p + row_number() over (order by f.ord), f.data from fresh f, base
  order by f.ord
  returning id, seq
),
ranges as (
  select min(id) as first, max(id) as last
  from (select id, id - row_number() over (order by id) as island from inserted) i
  group by island
),
notified as (
  select glaze_notify_table($1, greatest(
    (select max(seq) from updated), (select max(seq) from staled), (select max(seq) from inserted)
  )::text)
  where exists (select 1 from updated) or exists (select 1 from inserted)
)
select (select count(*) from inserted)::int as inserted,
       (select count(*) from updated)::int as updated,
       (select count(*) from matched)::int - (select count(*) from updated)::int as unchanged,
       (select count(*) from staled)::int as staled,
       (select coalesce(json_agg(json_build_array(first, last) order by first), '[]') from ranges) as ranges,
       (select count(*) from notified)::int as notified,
       (select count(*) from stale_owed)::int as owed
