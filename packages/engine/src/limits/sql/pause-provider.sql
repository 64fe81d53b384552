-- A provider answered 429 with Retry-After: no worker gets a slot for it before then.
-- $1 workspace id, $2 provider id, $3 pause in ms.
insert into rate_limits (workspace_id, provider, paused_until)
values ($1, $2, clock_timestamp() + make_interval(secs => $3::float8 / 1000))
on conflict (workspace_id, provider) do update
set paused_until = greatest(coalesce(rate_limits.paused_until, '-infinity'), excluded.paused_until)
