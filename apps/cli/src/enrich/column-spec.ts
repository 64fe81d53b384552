import { type AnyProvider, AppError, templateColumns } from '@glaze/core';
import { validateColumnConfig } from '@glaze/engine';

/** One `--column 'NAME=PROVIDER[:JSON config]'`, checked against its provider's schema. */
export interface ColumnSpec {
  name: string;
  provider: string;
  /** Parsed by the provider's schema: defaults filled in. */
  config: Record<string, unknown>;
  /** Columns its templates read. */
  reads: string[];
}

/**
 * Parses `NAME=PROVIDER[:JSON]` and validates the config, naming what is wrong:
 * `columns[1].config.latencyMs: …`, `columns[0].provider: unknown provider "x"; known providers: …`.
 * @example parseColumnSpec('m=mock:{"latencyMs":10}', 1, builtinProviders)
 */
export function parseColumnSpec(
  raw: string,
  index: number,
  providers: ReadonlyMap<string, AnyProvider>,
): ColumnSpec {
  const at = `columns[${index}]`;
  const equals = raw.indexOf('=');
  if (equals < 0) {
    throw new AppError(
      'validation_failed',
      `"${raw}" is not NAME=PROVIDER[:JSON config], e.g. --column 'check=email'`,
      at,
    );
  }
  const name = raw.slice(0, equals).trim();
  if (name === '')
    throw new AppError('validation_failed', `"${raw}" has no column name before "="`, `${at}.name`);
  const rest = raw.slice(equals + 1);
  const colon = rest.indexOf(':');
  const provider = (colon < 0 ? rest : rest.slice(0, colon)).trim();
  const json = colon < 0 ? undefined : rest.slice(colon + 1);
  let config: unknown = {};
  if (json !== undefined && json.trim() !== '') {
    try {
      config = JSON.parse(json);
    } catch (error) {
      throw new AppError(
        'validation_failed',
        `not valid JSON (${(error as Error).message}): ${json}`,
        `${at}.config`,
      );
    }
    if (config === null || typeof config !== 'object' || Array.isArray(config)) {
      throw new AppError(
        'validation_failed',
        `must be a JSON object like {"input":"{{email}}"}, got ${json}`,
        `${at}.config`,
      );
    }
  }
  try {
    const parsed = validateColumnConfig(providers, provider, config);
    const reads = templateColumns((providers.get(provider) as AnyProvider).templates(parsed));
    return { name, provider, config: parsed, reads };
  } catch (error) {
    if (error instanceof AppError)
      throw new AppError(error.code, error.detail, `${at}.${error.path ?? 'config'}`);
    throw error;
  }
}

/**
 * Checks names and templates against the CSV before anything touches the database: a column may
 * read the CSV's columns and enrichment columns listed before it. Returns, for each column, the
 * indexes of the earlier enrichment columns it reads (it must wait for them).
 */
export function checkColumnSpecs(
  specs: readonly ColumnSpec[],
  header: readonly string[],
  csvName: string,
): number[][] {
  const csvColumns = new Set(header);
  return specs.map((spec, index) => {
    const at = `columns[${index}]`;
    if (csvColumns.has(spec.name)) {
      throw new AppError(
        'validation_failed',
        `"${spec.name}" is already a column of ${csvName}; pick another name`,
        at,
      );
    }
    const twin = specs.findIndex((other) => other.name === spec.name);
    if (twin !== index) {
      throw new AppError('validation_failed', `"${spec.name}" is also the name of columns[${twin}]`, at);
    }
    const readsColumn = (name: string) => (ref: string) => ref === name || ref.startsWith(`${name}.`);
    const earlier = specs.slice(0, index);
    for (const ref of spec.reads) {
      if (header.some((name) => readsColumn(name)(ref)) || earlier.some((e) => readsColumn(e.name)(ref)))
        continue;
      const later = specs.slice(index + 1).find((s) => readsColumn(s.name)(ref));
      const hint =
        'input' in spec.config
          ? `; point it at one with --column '${spec.name}=${spec.provider}:{"input":"{{${header[0] ?? 'COLUMN'}}}"}'`
          : '';
      throw new AppError(
        'validation_failed',
        later
          ? `{{${ref}}} reads column "${later.name}", which is listed after it; list "${later.name}" first`
          : `{{${ref}}} reads column "${ref}", which ${csvName} does not have; its columns: ${header.join(', ')}${hint}`,
        `${at} (${spec.name}=${spec.provider})`,
      );
    }
    return earlier.flatMap((e, j) => (spec.reads.some(readsColumn(e.name)) ? [j] : []));
  });
}
