-- Returns chunks to queued, with a new job each. Two callers: the reconciler, for chunks whose lease
-- expired because their worker died ($3 = true: a loss, counted in `losses` and remembered in
-- `lost_by`), and a live worker handing back chunks it cannot finish — database unreachable, or
-- stopping ($3 = false: no loss, the cells keep their tries). Fenced on attempt (and, for losses, on the
-- expired lease), so a chunk another worker claimed since is left alone. Chunks with no cells left are
-- simply closed. $1 chunk ids, $2 attempts, $3 count as lost.
with target as (
  select k.id, k.table_id, exists (select 1 from cells c where c.chunk_id = k.id and c.status = 'queued') as owes
  from chunks k
  join unnest($1::bigint[], $2::int[]) as u(id, attempt) on u.id = k.id and u.attempt = k.attempt
  where k.status = 'running' and (not $3::boolean or k.lease_until < now())
    and glaze_lock_table(k.table_id)
),
requeued as (
  update chunks k
  set status = case when t.owes then 'queued' else 'done' end, lease_until = null,
      -- a chunk whose cells were all written before its lease ran out was not lost, only not closed
      losses = k.losses + case when $3::boolean and t.owes then 1 else 0 end,
      lost_by = case when $3::boolean and t.owes then k.claimed_by else k.lost_by end,
      claimed_by = null, seq = nextval('glaze_seq')
  from target t
  where k.id = t.id
  returning k.id, k.run_id, k.table_id, k.status, k.seq
),
jobs as (
  select graphile_worker.add_jobs(array_agg(glaze_chunk_job(id, run_id) order by id)) as job
  from requeued
  where status = 'queued'
  having count(*) > 0
),
notified as (
  select glaze_notify_table(table_id, max(seq)::text) from requeued group by table_id
)
select (select count(*) from requeued where status = 'queued')::int as requeued,
       (select count(*) from jobs)::int as jobs,
       (select count(*) from notified)::int as notified
