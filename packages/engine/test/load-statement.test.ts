import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadStatement } from '../src/load-statement';

/** A folder with sql/<name>.sql; returns a URL of a file in it, as import.meta.url would be. */
function folderWith(name: string, text: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'glaze-sql-'));
  mkdirSync(path.join(dir, 'sql'));
  writeFileSync(path.join(dir, 'sql', `${name}.sql`), text);
  return pathToFileURL(path.join(dir, 'statements.ts')).href;
}

describe('loadStatement', () => {
  it('names a statement after its file and reads it from the sql/ folder beside the caller', () => {
    const statement = loadStatement(folderWith('probe-one', 'select 1'), 'probe-one');
    expect(statement).toEqual({ name: 'glaze_probe_one', text: 'select 1' });
  });

  it('refuses a second file with a name another folder took: prepared statement names are per connection', () => {
    const first = folderWith('probe-two', 'select 2');
    loadStatement(first, 'probe-two');
    expect(loadStatement(first, 'probe-two').text).toBe('select 2');
    expect(() => loadStatement(folderWith('probe-two', 'select 3'), 'probe-two')).toThrow(
      /sql\/probe-two\.sql: statement name glaze_probe_two is taken by .*; rename one of them/,
    );
  });
});
