import {
  type AnyProvider,
  AppError,
  type ColumnKind,
  parseOrThrow,
  quoteInput,
  unknownKey,
} from '@glaze/core';
import type { Pool } from '@glaze/db';
import { findMisplacedSecrets, misplacedSecretMessage } from '@glaze/providers';
import { assertNoCycle } from '../deps/assert-no-cycle';
import { parseRunOptions, runOptionKeys } from '../deps/run-options';
import type { Idempotency } from '../runs/keyed-runs';
import { assertSecretsExist } from '../secrets/assert-secrets-exist';
import { type ColumnInfo, columnFields } from './list-columns';

export interface NewColumn {
  tableId: number;
  name: string;
  kind: ColumnKind;
  provider?: string;
  config?: unknown;
}

/**
 * Validates an enrichment column's config against its provider, naming the bad field. A setting the
 * provider does not take is refused, not dropped (`config.minLatencyMs: the mock provider has no
 * setting "minLatencyMs"; …`): a misspelt setting would otherwise leave the column running on its
 * default without a word. `sent: false` for a config read back from the column (a rename), which a
 * provider's newer version may no longer know: it is kept as it parses.
 */
export function validateColumnConfig(
  providers: ReadonlyMap<string, AnyProvider>,
  providerId: string | undefined,
  config: unknown,
  sent = true,
): Record<string, unknown> {
  if (!providerId)
    throw new AppError('validation_failed', 'an enrichment column needs a provider', 'provider');
  const provider = providers.get(providerId);
  if (!provider) {
    const known = [...providers.keys()].sort().join(', ');
    throw new AppError(
      'validation_failed',
      `unknown provider ${quoteInput(providerId)}; known providers: ${known}`,
      'provider',
    );
  }
  if (sent) refuseUnknownSettings(provider, providerId, config);
  // runIf/autoRun/cacheTtlSeconds sit next to the provider's fields; its schema would strip them.
  const parsed = {
    ...parseOrThrow(provider.configSchema, config ?? {}, 'config'),
    ...parseRunOptions(config),
  };
  // A secret rendered into an input, URL or prompt comes back in values, errors and meta.
  const [misplaced] = findMisplacedSecrets(provider, parsed);
  if (misplaced) throw new AppError('validation_failed', misplacedSecretMessage(misplaced), misplaced.path);
  return parsed;
}

function refuseUnknownSettings(provider: AnyProvider, providerId: string, config: unknown): void {
  const unknown = unknownKey(provider.configSchema, config, runOptionKeys);
  if (!unknown) return;
  throw new AppError(
    'validation_failed',
    `the ${providerId} provider has no setting ${quoteInput(unknown.key)}; its settings: ${unknown.known.join(', ')}`,
    `config.${unknown.key}`,
  );
}

/**
 * Adds a column at the end of the table. Enrichment configs are validated and stored with defaults
 * filled in. With `idempotency` the request's key is kept with the column in the same statement
 * (keyed-creations.ts: a retry finds it).
 */
export async function addColumn(
  pool: Pool,
  providers: ReadonlyMap<string, AnyProvider>,
  column: NewColumn,
  idempotency?: Idempotency,
): Promise<ColumnInfo> {
  const name = column.name.trim();
  if (name === '') throw new AppError('validation_failed', 'must not be empty', 'name');
  const config =
    column.kind === 'input' ? {} : validateColumnConfig(providers, column.provider, column.config);
  if (column.kind === 'enrichment') {
    await assertSecretsExist(
      pool,
      column.tableId,
      providers.get(column.provider as string) as AnyProvider,
      config,
    );
    await assertNoCycle(pool, providers, { ...column, name, config });
  }
  try {
    // the key (047) in the same statement: $6 key and $7 request hash, both null without one
    const { rows } = await pool.query(
      `with added as (
         insert into columns (table_id, name, kind, provider, config, position)
         select $1, $2, $3, $4, $5, coalesce(max(position), 0) + 1 from columns where table_id = $1
         returning *
       ),
       kept as (
         insert into create_keys (idempotency_key, workspace_id, table_id, column_id, request_hash)
         select $6, t.workspace_id, a.table_id, a.id, $7 from added a join tables t on t.id = a.table_id
         where $6::text is not null
       )
       select ${columnFields} from added`,
      [
        column.tableId,
        name,
        column.kind,
        column.kind === 'input' ? null : column.provider,
        JSON.stringify(config),
        idempotency?.key ?? null,
        idempotency?.request ?? null,
      ],
    );
    return rows[0] as ColumnInfo;
  } catch (error) {
    const violated = error as { code?: string; constraint?: string };
    if (violated.code === '23505' && violated.constraint !== 'create_keys_pkey') {
      throw new AppError('conflict', `a column named "${name}" already exists in this table`, 'name');
    }
    if ((error as { code?: string }).code === '23503')
      throw new AppError('not_found', `table ${column.tableId} does not exist`);
    throw error;
  }
}
