-- The metrics' queue depth (glaze_chunks: queued and running chunks of every table) is read on each
-- scrape. Finished chunks stay with their runs and outnumber the pending ones by far, so the count
-- reads this small index of the chunks not yet done instead of the whole table.
create index chunks_pending on chunks (status) where status <> 'done';
