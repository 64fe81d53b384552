-- Glaze's tables that grow with use and have more than doubled (past 8 pages, a few hundred cells)
-- since Postgres last measured them (`relpages`, set by ANALYZE and VACUUM), and that this role may
-- ANALYZE (it owns them). Their file sizes are exact at once; the cumulative statistics
-- (`n_mod_since_analyze`) reach pg_stat views up to seconds late. Not past 16,384 measured pages
-- (128 MB): the plans at stake are key look-ups against a scan of a small table, settled long before
-- that size, and an ANALYZE reads up to 30,000 pages (autovacuum measures large tables as it does).
select c.relname as name
from pg_class c
where c.oid in (to_regclass('cells'), to_regclass('chunks'), to_regclass('rows'))
  and pg_relation_size(c.oid) / current_setting('block_size')::bigint > greatest(2 * c.relpages, 8)
  and c.relpages < 16384
  and pg_has_role(c.relowner, 'member')
