-- Cached answers for a chunk's cells, one statement per chunk: (provider, key) is the primary key.
-- An entry serves a column only while it is younger than that column's TTL.
-- $1 provider id, $2 keys, $3 the column's TTL in seconds.
select key, value, empty
from provider_cache
where provider = $1 and key = any($2::text[])
  and expires_at > now() and created_at > now() - make_interval(secs => $3)
