-- Why this attempt at a chunk failed (chunks.failure, migration 040), written by its worker before the
-- chunk's job fails, so that cells ended for the chunk's failures say what went wrong. Fenced on the
-- attempt: a chunk taken over meanwhile keeps its own. $1 chunk id, $2 attempt, $3 the error.
update chunks set failure = left($3, 500)
where id = $1 and attempt = $2 and status = 'running'
