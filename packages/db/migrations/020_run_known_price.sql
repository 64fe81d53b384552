-- The price of one provider call known when a run with a budget starts: the column's average cost
-- per call over its cells' earlier calls (cost / tries), read before the run resets those cells.
-- Until the run has paid for calls of its own, budget reservations use it as the estimate, so a
-- budget below one call's price makes no call at all. Null: no earlier calls, or no budget.
alter table runs add column known_price double precision;
