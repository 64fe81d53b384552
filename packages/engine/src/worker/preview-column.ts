import { type AnyProvider, type PreviewCell, type RowValues, templateColumns } from '@glaze/core';
import type { Pool } from '@glaze/db';
import { redactorFor } from '@glaze/providers';
import { compileRunIf } from '../deps/run-if';
import { readRunOptions } from '../deps/run-options';
import type { RateLimits } from '../limits/rate-limits';
import { assertSecretsExist } from '../secrets/assert-secrets-exist';
import { secretRefusal } from '../secrets/secret-refusal';
import { validateColumnConfig } from '../tables/add-column';
import { CallTimeout } from './call-signals';
import { checkBeforeCall, runCell } from './run-cell';

export interface PreviewColumnOptions {
  tableId: number;
  provider: string;
  config?: unknown;
  /** The column being edited: its stored values are not read back as inputs. */
  columnId?: number;
  /** The workspace's decrypted secrets, for `{{secret.NAME}}` in secret-bearing fields. */
  secrets?: Readonly<Record<string, string>>;
  /** Rows tried, first by position; 5 by default. */
  rows?: number;
  /** Each call's deadline, waiting for the rate limit included; 10 s by default. */
  timeoutMs?: number;
  /** The provider's rate limits, as every worker keeps them, for calls made in this workspace. */
  limits?: { rateLimits: RateLimits; workspaceId: number };
}

/**
 * Runs a column config that is not saved on the table's first rows, in parallel, and answers what
 * each cell would hold — writing nothing: no cells, no run, no cache. The config is checked as a
 * save would check it (errors name the field), skips are decided as a run decides them, secrets
 * are redacted from results, each call waits for the provider's rate limit as a worker's would,
 * and has one attempt and a deadline. Two statements (the rows with their cells' values, and the
 * secrets check), plus the rate limit's own.
 * @example await previewColumn(pool, providers, { tableId, provider: 'email', config: { input: '{{Email}}' } })
 */
export async function previewColumn(
  pool: Pool,
  providers: ReadonlyMap<string, AnyProvider>,
  options: PreviewColumnOptions,
): Promise<PreviewCell[]> {
  const stored = validateColumnConfig(providers, options.provider, options.config);
  const provider = providers.get(options.provider) as AnyProvider;
  await assertSecretsExist(pool, options.tableId, provider, stored);
  const config = provider.configSchema.parse(stored);
  const { rows } = await pool.query<{ id: string; values: RowValues }>(
    `select r.id,
            (select jsonb_object_agg(c.name, coalesce(r.data -> c.id::text, cell.value))
             from columns c
             left join cells cell on cell.row_id = r.id and cell.column_id = c.id and c.kind <> 'input'
             where c.table_id = r.table_id and c.id is distinct from $3::bigint) as "values"
     from rows r where r.table_id = $1 order by r.position, r.id limit $2`,
    [options.tableId, options.rows ?? 5, options.columnId ?? null],
  );
  const secrets = options.secrets ?? {};
  const timeoutMs = options.timeoutMs ?? 10_000;
  // One deadline for every call, waiting for a rate-limit slot included: a paused provider cannot
  // hang the form.
  const deadline = new AbortController();
  const timer = setTimeout(
    () => deadline.abort(new CallTimeout(`timed out after ${timeoutMs} ms`)),
    timeoutMs,
  );
  // The gate a run's calls take: the host's limits too, and what the host says (a 429, its quota
  // headers) holds for that host only, not for every call of the provider.
  const gate = options.limits?.rateLimits.gate(
    options.limits.workspaceId,
    provider.id,
    provider.limitHost?.(config),
  );
  const inputColumns = templateColumns(provider.templates(config));
  const runIf = compileRunIf(readRunOptions(stored).runIf);
  try {
    return await Promise.all(
      rows.map(async (row): Promise<PreviewCell> => {
        const values = row.values ?? {};
        const started = performance.now();
        const result =
          checkBeforeCall({ provider, inputColumns, runIf, row: values }) ??
          (await runCell(
            {
              provider,
              config,
              secrets,
              redactor: redactorFor(secrets),
              refusal: secretRefusal(provider, config, secrets),
              maxAttempts: 1,
              backoffMs: 0,
              signal: () => deadline.signal,
              stop: deadline.signal,
              gate,
            },
            values,
          ));
        return {
          rowId: Number(row.id),
          status: result.status,
          value: result.value,
          error: result.error,
          ms: Math.round(performance.now() - started),
        };
      }),
    );
  } finally {
    clearTimeout(timer);
  }
}
