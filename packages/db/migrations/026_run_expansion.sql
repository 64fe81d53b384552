-- A run's start no longer queues every cell in one statement (1,000,000 cells took 10.7 s, and
-- nothing ran until it committed). The start queues the first batch of rows, and one durable
-- graphile-worker job, `glaze_expand`, queues the rest in bounded batches in row order, each batch
-- one statement that continues from the last row the previous one covered: the first chunks run within
-- milliseconds, a worker killed mid-expansion leaves a job that resumes from the run's cursor, and a
-- cancelled run expands no further. While `expanding`, `total` is the cells queued so far plus
-- `expand_unseen` (a count taken after the start), and the run cannot complete; the last batch makes
-- `total` exact.
alter table runs
  add column expanding boolean not null default false,
  add column expand_position double precision,
  add column expand_row_id bigint,
  add column expand_ordinal integer not null default 0,
  add column expand_unseen integer not null default 0;

-- Whether a run of `kind` targets a row whose cell of the run's column is this one (all nulls: no
-- cell yet). Cells already queued belong to a live run; a run leaves them alone. `rows` runs choose
-- their rows by id beforehand. Inlined into the statements that call it (start-run.sql,
-- expand-run.sql, count-run.sql), which walk the table's rows in order and look up each row's cell.
create function glaze_run_target(kind text, cell_id bigint, cell_status text, cell_value jsonb)
returns boolean
language sql immutable as $$
  select (cell_status is null or cell_status <> 'queued') and case kind
    when 'empty' then cell_id is null or cell_value is null
    when 'errors' then cell_status = 'error'
    when 'stale' then cell_status = 'stale'
    else true
  end
$$;

-- The job that queues a run's next batch of cells: keyed by the run, so a run has one at a time, and
-- ahead of chunk jobs (priority -1) so the queue fills faster than it drains.
create function glaze_expand_job(run_id bigint, payload jsonb) returns bigint
language sql volatile as $$
  select (graphile_worker.add_job(
    'glaze_expand', (jsonb_build_object('runId', run_id) || payload)::json,
    job_key := 'glaze_expand:' || run_id, priority := -1, max_attempts := 25
  )).id
$$;
