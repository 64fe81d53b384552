-- Tokens may expire and be revoked; browser sessions are rows of their own, so the cookie never
-- holds an API token and signing out ends the session on the server.
alter table api_tokens
  add column expires_at timestamptz,
  add column revoked_at timestamptz;

create table sessions (
  id bigint generated always as identity primary key,
  token_id bigint not null references api_tokens (id) on delete cascade,
  -- sha256 of the cookie's random value: a database dump holds no usable session.
  session_hash text not null unique,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz
);
create index sessions_token_id on sessions (token_id);

-- Bumped by every revocation (token or session). Each server process reads this one row at most
-- every few hundred milliseconds and drops its auth cache when it moved, so a revocation takes
-- effect everywhere within a second without a database query per request.
create table auth_epoch (
  id boolean primary key default true check (id),
  version bigint not null default 0
);
insert into auth_epoch default values;
