-- After a new table's rows were copied in (append-rows.ts, positions 1…n in file order): their ids
-- as ranges of consecutive ids, and the table's notification. The first and last ids are the rows
-- at the ends of rows_table_position (two index look-ups); when they span exactly n ids (no other
-- insert took ids meanwhile, the usual case) that is the one range, and the islands (a walk of
-- every row) are never computed, a CASE branch not taken leaving its subquery unrun.
-- $1 table id, $2 rows copied
with ends as (
  select (select id from rows where table_id = $1 order by position, id limit 1) as first,
         (select id from rows where table_id = $1 order by position desc, id desc limit 1) as last,
         (select max(seq) from rows where table_id = $1) as seq
),
notified as (select glaze_notify_table($1, ends.seq::text) from ends where ends.seq is not null)
select case
         when ends.first is null then '[]'::json
         when ends.last - ends.first + 1 = $2::bigint then json_build_array(json_build_array(ends.first, ends.last))
         else (
           select json_agg(json_build_array(first, last) order by first)
           from (
             select min(id) as first, max(id) as last
             from (select id, id - row_number() over (order by id) as island from rows where table_id = $1) i
             group by island
           ) ranges
         )
       end as ranges,
       (select count(*) from notified)::int as notified
from ends
