-- A chunk's finished rows are owed to the auto-run columns that read its column, from now until
-- downstream-paid.sql. Fenced on the attempt: a worker that lost the chunk marks nothing.
-- $1 chunk id, $2 attempt.
update chunks set downstream_owed_since = now() where id = $1 and attempt = $2
