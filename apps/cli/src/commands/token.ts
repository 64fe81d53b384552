import { createToken, findWorkspace, listTokens, revokeToken } from '@glaze/engine';
import { parseCommandLine } from '../command-line';
import { UsageError } from '../enrich/usage-error';
import { textTable } from '../text-table';
import { withDatabase } from '../with-database';

const help = `usage: glaze token create --workspace <id|name> [--name <label>] [--expires <30d|12h|90m>]
       glaze token list [--workspace <id|name>]
       glaze token revoke <id>

create  adds an API token to a workspace and prints it once (only its sha256 is stored). Use it as
        "Authorization: Bearer <token>" or sign in with it in the web app.
list    every token (of one workspace): id, workspace, name, created, last used, expiry, status.
        Never the token itself, which is not stored.
revoke  stops a token at once: within a second on every server, with every browser session
        signed in with it. It stays in the list as revoked.

options:
  --workspace <id|name>  the workspace (create: required; list: filter)
  --name <label>         a label to recognise the token by (default "cli")
  --expires <duration>   the token stops working after this long: <n>d, <n>h or <n>m
                         (default: never; it can still be revoked)
  -h, --help             this text`;

/** glaze token create | list | revoke: a workspace's API tokens. */
export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(
    {
      args: argv,
      allowPositionals: true,
      options: {
        workspace: { type: 'string' },
        name: { type: 'string' },
        expires: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    },
    help,
  );
  if (values.help) {
    console.log(help);
    return 0;
  }
  const [action, ...rest] = positionals;
  if (action === 'create' && rest.length === 0) {
    if (!values.workspace) throw new UsageError(`--workspace: required\n\n${help}`);
    const expiresAt = values.expires === undefined ? null : expiryOf(values.expires);
    return withDatabase(async (pool) => {
      const workspace = await findWorkspace(pool, values.workspace as string);
      if (!workspace) throw new UsageError(`--workspace: no workspace "${values.workspace}"`);
      const created = await createToken(pool, {
        workspaceId: workspace.id,
        name: values.name ?? 'cli',
        expiresAt,
      });
      const until = expiresAt ? `, expires ${expiresAt.toISOString()}` : '';
      console.error(
        `Token ${created.id} for workspace "${workspace.name}" (id ${workspace.id}${until}), shown once:`,
      );
      console.log(created.token);
    });
  }
  if (action === 'list' && rest.length === 0) {
    return withDatabase(async (pool) => {
      let workspaceId: number | undefined;
      if (values.workspace) {
        const workspace = await findWorkspace(pool, values.workspace);
        if (!workspace) throw new UsageError(`--workspace: no workspace "${values.workspace}"`);
        workspaceId = workspace.id;
      }
      const tokens = await listTokens(pool, { workspaceId });
      const now = Date.now();
      const rows = tokens.map((token) => [
        String(token.id),
        token.workspaceName,
        token.name,
        iso(token.createdAt),
        iso(token.lastUsedAt),
        iso(token.expiresAt),
        token.revokedAt
          ? 'revoked'
          : token.expiresAt && new Date(token.expiresAt).getTime() <= now
            ? 'expired'
            : 'active',
      ]);
      console.log(textTable(['id', 'workspace', 'name', 'created', 'last used', 'expires', 'status'], rows));
    });
  }
  if (action === 'revoke' && rest.length === 1) {
    const id = Number(rest[0]);
    if (!Number.isSafeInteger(id) || id <= 0)
      throw new UsageError(
        `revoke: expected a token id (a number, see "glaze token list"), got "${rest[0]}"`,
      );
    return withDatabase(async (pool) => {
      if (!(await revokeToken(pool, id))) throw new UsageError(`revoke: no token ${id}`);
      console.error(`Token ${id} revoked; its browser sessions end with it.`);
    });
  }
  throw new UsageError(`expected "token create", "token list" or "token revoke <id>"\n\n${help}`);
}

const units = { d: 24 * 3600_000, h: 3600_000, m: 60_000 } as const;

/** `30d`, `12h`, `90m` from now. */
export function expiryOf(duration: string): Date {
  const match = /^(\d+)([dhm])$/.exec(duration.trim());
  const amount = Number(match?.[1]);
  if (!match || amount <= 0)
    throw new UsageError(`--expires: expected a duration like 30d, 12h or 90m, got "${duration}"`);
  return new Date(Date.now() + amount * units[match[2] as keyof typeof units]);
}

function iso(date: Date | null): string {
  return date ? new Date(date).toISOString().slice(0, 16).replace('T', ' ') : '-';
}
