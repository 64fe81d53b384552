-- Appends the rows staged in glaze_import (a CSV import, copied in by COPY) to a table, in file
-- order, in one statement under the table's write rule (glaze_lock_table, glaze_notify_table:
-- migration 017). One INSERT…SELECT of a whole file instead of one unnest statement per 2,000 rows:
-- at 1M rows that was 500 round trips, each re-sending its batch as a jsonb[] parameter.
-- Returns the new ids as ranges of consecutive ids (usually one), never a million ids.
-- $1 table id
with lock as (select glaze_lock_table($1) as locked),
-- max(position) as a scalar subquery reads one entry of rows_table_position
base as (select coalesce((select max(position) from rows where table_id = $1), 0) as p from lock where lock.locked),
-- ord counts the staged rows from 1 (a fresh temporary table per import), so it is the position
-- itself: no window and no sort of a million wide rows (an external merge of ~2 s at 1M). Whatever
-- order the scan returns, each row's position is its line's; the ids follow the scan of a
-- temporary table, which is its insertion order.
inserted as (
  insert into rows (table_id, position, data)
  select $1, base.p + s.ord, s.data from glaze_import s, base
  returning id, seq
),
-- one pass over the new ids: when they are consecutive (no other insert took ids meanwhile, the
-- usual case) they are one range, and the islands below (a sort of every id: 0.9 s at 1M) are
-- never computed, a CASE branch not taken leaving its subquery unrun
summary as (select count(*)::int as n, min(id) as first, max(id) as last, max(seq) as seq from inserted),
ranges as (
  select min(id) as first, max(id) as last
  from (select id, id - row_number() over (order by id) as island from inserted) i
  group by island
),
notified as (select glaze_notify_table($1, summary.seq::text) from summary where summary.n > 0)
select summary.n as inserted,
       case
         when summary.n = 0 then '[]'::json
         when summary.last - summary.first + 1 = summary.n then json_build_array(json_build_array(summary.first, summary.last))
         else (select json_agg(json_build_array(first, last) order by first) from ranges)
       end as ranges,
       (select count(*) from notified)::int as notified
from summary
