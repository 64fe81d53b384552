-- Stores a batch of answers in one statement (keys are unique within a batch).
-- $1 provider id, $2 keys, $3 values (json text, null for empty), $4 empty flags, $5 TTL seconds.
insert into provider_cache (provider, key, value, empty, created_at, expires_at)
select $1, u.key, u.value, u.empty, now(), now() + make_interval(secs => $5)
from unnest($2::text[], $3::jsonb[], $4::boolean[]) as u(key, value, empty)
on conflict (provider, key) do update
set value = excluded.value, empty = excluded.empty, created_at = excluded.created_at,
    expires_at = excluded.expires_at
