import { loadConfig, type Pool } from '@glaze/db';
import {
  assertKnownProvider,
  findWorkspace,
  listRateLimits,
  setRateLimit,
  soleWorkspace,
  type WorkspaceInfo,
} from '@glaze/engine';
import { parseCommandLine } from '../command-line';
import { createProviders } from '../engine-config';
import { UsageError } from '../enrich/usage-error';
import { textTable } from '../text-table';
import { withDatabase } from '../with-database';

const help = `usage: glaze limits [list] [--workspace <id|name>]
       glaze limits set <provider> [--host <host>] [--rps <n>] [--concurrency <n>] [--workspace <id|name>]
       glaze limits clear <provider> [--host <host>] [--workspace <id|name>]

list   the providers with a limit, or paused now, per workspace.
set    how fast a provider may be called, across every worker: --rps calls started per second
       (decimals allowed, e.g. 0.5), --concurrency calls in flight at once. An option left out
       is left as it was. Workers follow a change within about 2 s. With --host, the limit is for
       the provider's calls to that host only (http, llm), on top of the provider's own.
clear  removes both limits of a provider. Without a limit a provider that answers 429 still
       slows the workers down by itself (docs/PROVIDERS.md, "Throttled by the provider").

options:
  --workspace <id|name>  the workspace; may be left out when there is only one
  --host <host>          a host the provider calls, e.g. api.example.com or localhost:8080
  --rps <n>              requests per second, above 0
  --concurrency <n>      calls in flight at once, a whole number from 1
  -h, --help             this text`;

/** glaze limits [list] | set | clear: providers' rate limits and concurrency per workspace. */
export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(
    {
      args: argv,
      allowPositionals: true,
      options: {
        workspace: { type: 'string' },
        rps: { type: 'string' },
        host: { type: 'string' },
        concurrency: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    },
    help,
  );
  if (values.help) {
    console.log(help);
    return 0;
  }
  const [action = 'list', provider, ...extra] = positionals;
  if (action === 'list' && provider === undefined) {
    return withDatabase(async (pool) => {
      const workspace = values.workspace ? await namedWorkspace(pool, values.workspace) : undefined;
      const limits = await listRateLimits(pool, { workspaceId: workspace?.id });
      if (limits.length === 0) {
        console.error('No provider has a limit set.');
        return;
      }
      const rows = limits.map((limit) => [
        `${limit.workspaceName} (${limit.workspaceId})`,
        limit.provider,
        limit.host ?? '-',
        limit.requestsPerSecond === null ? '-' : String(limit.requestsPerSecond),
        limit.concurrency === null ? '-' : String(limit.concurrency),
        limit.learnedRequestsPerSecond === null ? '-' : limit.learnedRequestsPerSecond.toFixed(1),
        limit.pausedUntil ?? '-',
      ]);
      console.log(
        textTable(
          ['workspace', 'provider', 'host', 'rps', 'concurrency', 'learned rps', 'paused until'],
          rows,
        ),
      );
    });
  }
  if ((action === 'set' || action === 'clear') && provider !== undefined && extra.length === 0) {
    if (action === 'set' && values.rps === undefined && values.concurrency === undefined)
      throw new UsageError(`set: give --rps, --concurrency or both\n\n${help}`);
    assertKnownProvider(createProviders(loadConfig(process.env)), provider);
    return withDatabase(async (pool) => {
      const workspace = await workspaceOf(pool, values.workspace);
      const limit = await setRateLimit(pool, {
        workspaceId: workspace.id,
        provider,
        host: values.host,
        requestsPerSecond: action === 'clear' ? null : optionalNumber('--rps', values.rps),
        concurrency: action === 'clear' ? null : optionalNumber('--concurrency', values.concurrency),
      });
      const rate =
        limit.requestsPerSecond === null ? 'no rate limit' : `${limit.requestsPerSecond} requests/s`;
      const inFlight =
        limit.concurrency === null ? 'no concurrency limit' : `at most ${limit.concurrency} in flight`;
      const what = limit.host ? `${provider} on ${limit.host}` : provider;
      console.error(`${what} in workspace "${workspace.name}": ${rate}, ${inFlight}`);
    });
  }
  throw new UsageError(
    `expected "limits list", "limits set <provider>" or "limits clear <provider>"\n\n${help}`,
  );
}

/** The option's number; undefined (keep the current value) when it was left out. */
function optionalNumber(option: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0)
    throw new UsageError(`${option}: expected a number above 0, got "${text}"`);
  return value;
}

async function namedWorkspace(pool: Pool, idOrName: string): Promise<WorkspaceInfo> {
  const workspace = await findWorkspace(pool, idOrName);
  if (!workspace) throw new UsageError(`--workspace: no workspace "${idOrName}"`);
  return workspace;
}

async function workspaceOf(pool: Pool, idOrName: string | undefined): Promise<WorkspaceInfo> {
  if (idOrName !== undefined) return namedWorkspace(pool, idOrName);
  const only = await soleWorkspace(pool);
  if (typeof only === 'object') return only;
  throw new UsageError(
    only === 'several'
      ? '--workspace: required, there is more than one workspace'
      : '--workspace: there is no workspace yet (glaze start makes the first one)',
  );
}
