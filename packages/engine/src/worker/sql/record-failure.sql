-- Why this attempt at a chunk failed (chunks.failure, migration 040), written by its worker before the
-- chunk's job fails, so that cells ended for the chunk's failures say what went wrong; and its lease
-- ended now, so that the sweep its worker runs next counts the attempt and requeues the chunk (or, at
-- its last attempt, ends its cells in error) at once, not a lease later. Fenced on the attempt: a chunk
-- taken over meanwhile keeps its own. $1 chunk id, $2 attempt, $3 the error.
update chunks set failure = left($3, 500), lease_until = now()
where id = $1 and attempt = $2 and status = 'running'
