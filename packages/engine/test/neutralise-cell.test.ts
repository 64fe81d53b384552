import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { neutraliseCell } from '../src/index';
import { expected, headerCases, valueCases } from './fixtures/formula-cases';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

describe('neutraliseCell', () => {
  it.each([...valueCases, ...headerCases])('%j', (c) => {
    expect(neutraliseCell(c.value)).toBe(expected(c));
  });

  it('is idempotent: a neutralised field is text already', () => {
    for (const c of valueCases) expect(neutraliseCell(neutraliseCell(c.value))).toBe(expected(c));
  });

  it('guards every CSV writer: only export-csv.ts (which applies it) writes CSV lines; nothing uses csv-stringify', () => {
    const sources = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sources(full);
        return /\.tsx?$/.test(entry.name) ? [full] : [];
      });
    const roots = ['apps', 'packages'].flatMap((top) =>
      readdirSync(path.join(repoRoot, top)).map((name) => path.join(repoRoot, top, name, 'src')),
    );
    const files = roots.flatMap((root) => {
      try {
        return sources(root);
      } catch {
        return [];
      }
    });
    expect(files.length).toBeGreaterThan(100);
    const writers = files
      // a value import of the writer (a type import such as LineEnd writes nothing)
      .filter((file) =>
        /^(import|export) (?!type )[^;]*from ['"](csv-stringify|\.\/csv-line|.*\/csv\/csv-line)['"]/m.test(
          readFileSync(file, 'utf8'),
        ),
      )
      .map((file) => path.relative(repoRoot, file));
    expect(writers).toEqual(['packages/engine/src/csv/export-csv.ts']);
  });
});
