-- Workspace secrets, for `{{secret.NAME}}` in templates. Only ciphertext is stored: AES-256-GCM with
-- the key from GLAZE_SECRET_KEY (or the data dir's generated key), bound to `workspace:<id>/secret:<name>`
-- so a ciphertext copied to another row does not decrypt. Values are never returned by the API.
create table secrets (
  workspace_id bigint not null references workspaces (id) on delete cascade,
  name text not null check (name ~ '^[A-Za-z_][A-Za-z0-9_]{0,99}$'),
  ciphertext text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (workspace_id, name)
);
