import { readFileSync } from 'node:fs';

/** Loads ./sql/<name>.sql next to `base` as a named prepared statement (parsed once per connection). */
export function loadStatement(base: string, name: string): { name: string; text: string } {
  return {
    name: `glaze_${name.replaceAll('-', '_')}`,
    text: readFileSync(new URL(`./sql/${name}.sql`, base), 'utf8'),
  };
}

export const depsStatements = {
  runExtras: loadStatement(import.meta.url, 'run-extras'),
  blockedRows: loadStatement(import.meta.url, 'blocked-rows'),
  parkCells: loadStatement(import.meta.url, 'park-cells'),
} as const;
