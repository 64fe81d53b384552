import { Readable } from 'node:stream';
import { builtinProviders } from '@glaze/providers';
import { describe, expect, it } from 'vitest';
import { addColumn, getRun, importCsv, startRun } from '../src/index';
import { cellsOf, createWorkspace, startTestWorker, useTestDatabase, waitForRun } from './helpers';

const db = useTestDatabase();

const rows = 2000;

/** A CRM export: every third Work Email blank, some only spaces, some Websites blank, a trailing empty field. */
function crmCsv(): string {
  const lines = ['Name,Work Email,Website,Notes'];
  for (let i = 0; i < rows; i++) {
    const email = i % 3 === 0 ? '' : i % 11 === 0 ? '   ' : `Person.${i}@Company${i % 40}.example`;
    const site = i % 5 === 0 ? '' : `https://www.company${i % 40}.example/about`;
    lines.push(`Person ${i},${email},${site},`);
  }
  return `${lines.join('\r\n')}\r\n`;
}

describe('a formula over an imported CSV with blank cells', () => {
  it('finishes 2,000 rows with 0 errors, blank inputs reading as ""', async () => {
    const workspaceId = await createWorkspace(db);
    const imported = await importCsv(db.pool, {
      workspaceId,
      name: 'crm',
      stream: Readable.from([Buffer.from(crmCsv(), 'utf8')]),
    });
    expect(imported.rows).toBe(rows);
    const column = await addColumn(db.pool, builtinProviders, {
      tableId: imported.table.id,
      name: 'Domain',
      kind: 'enrichment',
      provider: 'formula',
      config: {
        expression:
          'coalesce(row["Work Email"].split("@")[1], domain(Website), "none").toLowerCase() + " " + lower(Notes)',
      },
    });
    const worker = await startTestWorker(db);
    try {
      const run = await startRun(db.pool, { columnId: column.id, scope: 'all' });
      await waitForRun(db, run.id, 60_000);
      const progress = await getRun(db.pool, run.id);
      expect(progress?.counts).toMatchObject({ done: rows, error: 0 });
      const values = (await cellsOf(db, column.id)).map((c) => c.value);
      expect(values[1]).toBe('company1.example ');
      expect(values[0]).toBe('none '); // no email, no website
      expect(values[3]).toBe('company3.example '); // no email: the website's domain
    } finally {
      await worker.stop();
    }
  });
});
