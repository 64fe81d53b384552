-- Cached answers for a chunk's cells, one statement per chunk: (provider, key) is the primary key.
-- The TTL is the reader's: an entry serves a column while it is younger than that column's
-- cacheTtlSeconds, whatever TTL the column that wrote it had (expires_at is the writer's, and is
-- not consulted: a column with a longer TTL may still use the entry).
-- $1 provider id, $2 keys, $3 the reading column's TTL in seconds.
select key, value, empty
from provider_cache
where provider = $1 and key = any($2::text[])
  and created_at > now() - make_interval(secs => $3)
