-- How a chunk's job looks, written once for every statement that queues one (start-run,
-- requeue-chunks, reopen-chunks, park-cells): task `glaze_chunk`, payload {chunkId, runId} plus
-- `extra`, 25 attempts, keyed by the chunk (glaze_chunk_job_key), so the reconciler finds a chunk's
-- job through graphile-worker's key index, and queueing a chunk again replaces its waiting job.
create function glaze_chunk_job_key(chunk_id bigint) returns text
language sql immutable parallel safe as $$
  select 'glaze_chunk:' || chunk_id
$$;

create function glaze_chunk_job(
  chunk_id bigint, run_id bigint, run_at timestamptz default null, extra jsonb default '{}'
) returns graphile_worker.job_spec
language sql stable as $$
  select row(
    'glaze_chunk', (jsonb_build_object('chunkId', chunk_id, 'runId', run_id) || extra)::json,
    null, run_at, 25, glaze_chunk_job_key(chunk_id), null, null
  )::graphile_worker.job_spec
$$;
