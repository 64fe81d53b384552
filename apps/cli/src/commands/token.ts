import { createToken, findWorkspace } from '@glaze/engine';
import { boot } from '../boot';
import { parseCommandLine } from '../command-line';
import { UsageError } from '../enrich/usage-error';

const help = `usage: glaze token create --workspace <id|name> [--name <label>]

Creates an API token for a workspace and prints it once (only its sha256 is stored).
Use it as "Authorization: Bearer <token>" or sign in with it in the web app.

options:
  --workspace <id|name>  the workspace the token belongs to
  --name <label>         a label to recognise the token by (default "cli")
  -h, --help             this text`;

/** glaze token create: another API token for a workspace. */
export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(
    {
      args: argv,
      allowPositionals: true,
      options: {
        workspace: { type: 'string' },
        name: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    },
    help,
  );
  if (values.help) {
    console.log(help);
    return 0;
  }
  if (positionals[0] !== 'create' || positionals.length > 1)
    throw new UsageError(`expected "token create"\n\n${help}`);
  if (!values.workspace) throw new UsageError(`--workspace: required\n\n${help}`);
  const glaze = await boot({ migrate: true, poolSize: 2 });
  try {
    const workspace = await findWorkspace(glaze.pool, values.workspace);
    if (!workspace) throw new UsageError(`--workspace: no workspace "${values.workspace}"`);
    const created = await createToken(glaze.pool, { workspaceId: workspace.id, name: values.name ?? 'cli' });
    console.error(`Token for workspace "${workspace.name}" (id ${workspace.id}), shown once:`);
    console.log(created.token);
    return 0;
  } finally {
    await glaze.close();
  }
}
