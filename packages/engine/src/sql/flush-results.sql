-- Writes a batch of results for one table in one statement: cells (fenced on run id, attempt
-- and status), run counters, run completion, and one NOTIFY with the newest seq.
-- $1 table id, then one array per field.
with lock as (
  select pg_advisory_xact_lock(1, $1::int) is not null as locked
),
input as (
  select *
  from unnest($2::bigint[], $3::bigint[], $4::int[], $5::text[], $6::jsonb[], $7::text[], $8::int[],
              $9::float8[], $10::jsonb[])
    as u(id, run_id, attempt, status, value, error, tries, cost, meta)
),
written as (
  update cells c
  set status = i.status, value = i.value, error = i.error, tries = i.tries, cost = i.cost, meta = i.meta,
      lease_until = null, finished_at = now(), seq = nextval('glaze_seq')
  from input i, lock
  where c.id = i.id and c.run_id = i.run_id and c.attempt = i.attempt and c.status = 'running'
  returning c.id, c.run_id, c.status, c.cost, c.seq
),
totals as (
  select run_id, count(*)::int as n,
         count(*) filter (where status = 'done')::int as done,
         count(*) filter (where status = 'error')::int as error,
         count(*) filter (where status = 'skipped')::int as skipped,
         coalesce(sum(cost), 0) as cost
  from written
  group by run_id
),
counted as (
  update runs r
  set done_count = r.done_count + t.done,
      error_count = r.error_count + t.error,
      skipped_count = r.skipped_count + t.skipped,
      cost = r.cost + t.cost,
      status = case
        when r.status = 'running'
         and r.done_count + r.error_count + r.skipped_count + r.cancelled_count + t.n >= r.total then 'done'
        else r.status end,
      finished_at = case
        when r.status = 'running'
         and r.done_count + r.error_count + r.skipped_count + r.cancelled_count + t.n >= r.total then now()
        else r.finished_at end,
      seq = nextval('glaze_seq')
  from totals t
  where r.id = t.run_id
  returning r.id, r.status, r.seq, r.cost, r.budget
),
notified as (
  select pg_notify('glaze_table_' || $1, greatest((select max(seq) from written), (select max(seq) from counted))::text)
  where exists (select 1 from written)
)
select (select count(*) from written)::int as written,
       (select count(*) from notified)::int as notified,
       (select coalesce(json_agg(json_build_object('id', id, 'status', status, 'cost', cost, 'budget', budget)), '[]')
        from counted) as runs,
       (select coalesce(array_agg(id), '{}') from written) as ids
