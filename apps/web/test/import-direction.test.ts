import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = join(dirname(fileURLToPath(import.meta.url)), '../src');

/** Every relative import of every file under src/, as `folder/file.ts -> folder/file`. */
function imports(): { from: string; to: string }[] {
  const out: { from: string; to: string }[] = [];
  for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.tsx?$/.test(entry.name)) continue;
    const path = join(entry.parentPath, entry.name);
    for (const match of readFileSync(path, 'utf8').matchAll(/from '(\.[^']*)'/g))
      out.push({ from: relative(src, path), to: relative(src, join(entry.parentPath, match[1] ?? '')) });
  }
  return out;
}

/** Folders each folder must not import: the realtime layer is below the store and the UI. */
const forbidden: Record<string, string[]> = {
  realtime: ['store', 'table', 'tables', 'grid', 'column-form'],
  store: ['table', 'tables', 'grid', 'column-form'],
  grid: ['table', 'tables', 'column-form'],
  'column-form': ['table', 'tables', 'grid'],
  edit: ['realtime', 'store', 'table', 'tables', 'grid', 'column-form', 'runs', 'limits'],
  ui: ['realtime', 'store', 'table', 'tables', 'grid', 'column-form', 'runs', 'limits'],
  runs: ['realtime', 'store', 'table', 'tables', 'grid', 'column-form', 'limits'],
  limits: ['realtime', 'store', 'table', 'tables', 'grid', 'column-form', 'runs'],
};

describe('web imports point one way', () => {
  it('finds imports to check', () => {
    expect(imports().length).toBeGreaterThan(50);
  });

  it.each(Object.entries(forbidden))('%s/ imports none of its users', (folder, users) => {
    const wrong = imports().filter(
      ({ from, to }) => from.startsWith(`${folder}/`) && users.some((user) => to.startsWith(`${user}/`)),
    );
    expect(wrong).toEqual([]);
  });
});
