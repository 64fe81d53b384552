-- Reserves budget for a wave of provider calls of one run and releases the previous wave's
-- reservation (its real cost is in runs.cost by now), in one statement per wave.
-- Estimate = the run's average cost per finished call, or before the run has paid for any, the
-- price known when it started (runs.known_price: the column's earlier calls). A call is granted only while
-- cost + reserved + estimate <= budget; when no price is known at all, one call at a time (a probe).
-- Because the estimate can trail the real price, a wave is also at most as many calls as have been
-- paid for so far (doubling, like TCP slow start) and at most half the remaining budget at the
-- estimate (but one call when one fits): a price jump surfaces after few calls, not after all of them.
-- paid_calls is counted by the flush that writes those calls' cost (never one without the other, so
-- the average never runs ahead of its denominator).
-- $1 run id, $2 calls released, $3 money released, $4 calls wanted.
with r as (
  select id, status, budget, cost,
         greatest(0, budget_reserved - $3) as reserved,
         greatest(0, budget_calls - $2) as calls,
         paid_calls as paid, known_price
  from runs
  where id = $1
  for update
),
e as (
  select r.*, case when r.paid > 0 then r.cost / r.paid else r.known_price end as estimate from r
),
g as (
  select e.*,
         case
           when e.status <> 'running' or e.budget is null or e.cost >= e.budget then 0
           when e.estimate is null then case when e.calls = 0 then least($4, 1) else 0 end
           when e.estimate = 0 then least($4, greatest(1, e.paid))
           when e.budget - e.cost - e.reserved < e.estimate then 0
           else least($4, greatest(1, e.paid),
                      greatest(1, floor((e.budget - e.cost - e.reserved) / e.estimate / 2)))::int
         end as granted
  from e
)
update runs
set budget_reserved = g.reserved + g.granted * coalesce(g.estimate, 0),
    budget_calls = g.calls + g.granted
from g
where runs.id = g.id
returning g.granted, g.estimate, g.cost, g.budget, g.status
