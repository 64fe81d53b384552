-- Provider rate limits per workspace, shared by every worker process.
-- Requests per second: workers take send times ("slots") in batches from next_slot, one statement per
-- batch; slots are spaced a little wider than 1/rate (see engine/src/limits). Concurrency: each process
-- holds permits under a lease (rate_limit_holders); the sum of live permits never exceeds `concurrency`.
-- paused_until: set when the provider answered 429 with Retry-After; no slot is handed out before it.
create table rate_limits (
  workspace_id bigint not null references workspaces (id) on delete cascade,
  provider text not null,
  requests_per_second double precision check (requests_per_second > 0),
  concurrency integer check (concurrency > 0),
  next_slot timestamptz not null default now(),
  paused_until timestamptz,
  updated_at timestamptz not null default now(),
  primary key (workspace_id, provider)
);

create table rate_limit_holders (
  workspace_id bigint not null,
  provider text not null,
  holder text not null,
  permits integer not null check (permits >= 0),
  expires_at timestamptz not null,
  primary key (workspace_id, provider, holder),
  foreign key (workspace_id, provider) references rate_limits (workspace_id, provider) on delete cascade
);

-- Sets how many concurrency permits `p_holder` holds (as many of `p_wanted` as are free) and renews its
-- lease. A function so the sum of the other holders is read AFTER the limit row is locked (each
-- statement of a volatile function takes a new snapshot): two processes asking at once cannot both
-- count the same free permits.
create function glaze_hold_permits(p_workspace bigint, p_provider text, p_holder text, p_wanted integer,
                                   p_lease_seconds double precision)
returns integer language plpgsql volatile as $$
declare
  lim integer;
  others integer;
  granted integer;
begin
  select concurrency into lim from rate_limits
  where workspace_id = p_workspace and provider = p_provider for update;
  if not found then
    return p_wanted;
  end if;
  select coalesce(sum(permits), 0) into others from rate_limit_holders
  where workspace_id = p_workspace and provider = p_provider and holder <> p_holder and expires_at > now();
  granted := case when lim is null then p_wanted else least(p_wanted, greatest(0, lim - others)) end;
  if granted = 0 then
    delete from rate_limit_holders
    where workspace_id = p_workspace and provider = p_provider and holder = p_holder;
  else
    insert into rate_limit_holders (workspace_id, provider, holder, permits, expires_at)
    values (p_workspace, p_provider, p_holder, granted, now() + make_interval(secs => p_lease_seconds))
    on conflict (workspace_id, provider, holder)
    do update set permits = excluded.permits, expires_at = excluded.expires_at;
  end if;
  return granted;
end
$$;
