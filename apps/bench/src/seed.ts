import type { Pool } from '@glaze/db';
import { addColumn, createTable, insertRowData, tableChannel } from '@glaze/engine';
import { builtinProviders } from '@glaze/providers';

/** A table of `rows` rows with one input column and a `mock` enrichment column (untimed setup). */
export function seedMockTable(pool: Pool, rows: number, mockConfig: Record<string, unknown> = {}) {
  return seedEnrichmentTable(pool, rows, 'mock', mockConfig);
}

/** A table of `rows` rows (`row-0`, `row-1`… in column `input`) and an enrichment column of `provider`. */
export async function seedEnrichmentTable(
  pool: Pool,
  rows: number,
  provider: string,
  config: Record<string, unknown>,
) {
  const { rows: ws } = await pool.query(`insert into workspaces (name) values ('bench') returning id`);
  const table = await createTable(pool, {
    workspaceId: ws[0].id,
    name: `bench ${rows}`,
    inputColumns: ['input'],
  });
  const { rows: cols } = await pool.query(`select id from columns where table_id = $1`, [table.id]);
  const inputId = String(cols[0].id);
  for (let start = 0; start < rows; start += 5000) {
    const batch = Array.from({ length: Math.min(5000, rows - start) }, (_, i) =>
      JSON.stringify({ [inputId]: `row-${start + i}` }),
    );
    await insertRowData(pool, table.id, batch);
  }
  const column = await addColumn(pool, builtinProviders, {
    tableId: table.id,
    name: provider,
    kind: 'enrichment',
    provider,
    config,
  });
  return { workspaceId: ws[0].id as number, table, column };
}

/** Resolves when the run has left `running`, watching its NOTIFY channel (no polling load). */
export async function waitForRunDone(
  pool: Pool,
  runId: number,
  tableId: number,
  timeoutMs = 600_000,
): Promise<void> {
  const client = await pool.connect();
  try {
    let wake: () => void = () => {};
    client.on('notification', () => wake());
    await client.query(`listen ${tableChannel(tableId)}`);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const { rows } = await client.query('select status from runs where id = $1', [runId]);
      if (rows[0]?.status !== 'running') return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 200);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    throw new Error(`run ${runId} did not finish within ${timeoutMs} ms`);
  } finally {
    await client.query('unlisten *').catch(() => {});
    client.release();
  }
}
