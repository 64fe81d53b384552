import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPool } from '@glaze/db';
import { startStoppableCluster } from '@glaze/db/testing';
import { parse } from 'csv-parse/sync';
import { expect, it } from 'vitest';
import { finished, startGlaze } from './support/glaze-process';

// `glaze enrich` is a long-lived process too: its progress polls, worker and export wait out a
// database that goes away mid-run, and the CSV it writes is complete.
it('glaze enrich rides out a 5 s database shutdown mid-run and writes every row', async () => {
  const cluster = await startStoppableCluster();
  const dir = await mkdtemp(path.join(tmpdir(), 'glaze-enrich-outage-'));
  try {
    const input = path.join(dir, 'leads.csv');
    const output = path.join(dir, 'out.csv');
    await writeFile(input, ['name', ...Array.from({ length: 3_000 }, (_, i) => `lead-${i}`)].join('\n'));
    const child = startGlaze(
      ['enrich', input, '--column', 'm=mock:{"input":"{{name}}","latencyMs":300}', '-o', output],
      { DATABASE_URL: cluster.url, GLAZE_DATA_DIR: path.join(dir, '.glaze') },
    );
    const exit = finished(child);
    // ~5 s of work at 200 calls in flight: stop the database once a tenth is done, for 5 s.
    const watcher = createPool({ connectionString: cluster.url, max: 1 });
    try {
      for (let done = 0; done < 300; await new Promise((r) => setTimeout(r, 50))) {
        const { rows } = await watcher.query(`select count(*)::int as n from cells where status = 'done'`);
        done = rows[0].n;
      }
    } finally {
      await watcher.end();
    }
    await cluster.stopFast();
    await new Promise((r) => setTimeout(r, 5_000));
    await cluster.start();
    const result = await exit;
    expect(result.code, result.stderr).toBe(0);
    const rows = parse(await readFile(output, 'utf8'), { columns: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(3_000);
    expect(rows.every((row) => row['m.input'] === row.name)).toBe(true);
    // One line when it went, one when it came back (per pool that noticed), no stack traces.
    expect(result.stderr).toMatch(/database unreachable/);
    expect(result.stderr).toMatch(/database is back/);
    expect(result.stderr).not.toMatch(/"level":50/);
  } finally {
    await cluster.close();
    await rm(dir, { recursive: true, force: true });
  }
}, 90_000);
