-- Closes a chunk whose cells are all written when the flush that carried its last result could not
-- (another batch of the chunk was still in flight, so that flush saw queued cells). Fenced on the
-- attempt; does nothing if a cell is still queued. $1 chunk id, $2 attempt.
update chunks k
set status = 'done', lease_until = null
where k.id = $1 and k.attempt = $2 and k.status = 'running'
  and not exists (select 1 from cells c where c.chunk_id = k.id and c.status = 'queued')
returning k.id
