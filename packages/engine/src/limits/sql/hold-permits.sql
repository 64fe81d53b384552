-- Sets how many concurrency permits this process holds (as many of those wanted as are free) and
-- renews its lease; see glaze_hold_permits in migration 011.
-- $1 workspace id, $2 provider id, $3 holder id, $4 permits wanted, $5 lease seconds.
select glaze_hold_permits($1, $2, $3, $4, $5) as granted
