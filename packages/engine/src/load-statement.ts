import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface Statement {
  name: string;
  text: string;
}

const loaded = new Map<string, string>();

/**
 * The one statement loader: `sql/<name>.sql` beside the folder of `base` (pass `import.meta.url`),
 * run as the named prepared statement `glaze_<name>` (parsed once per connection). Names are global
 * per connection, so two folders cannot both have a `<name>.sql`: the second throws at load.
 *
 * @example export const statements = { startRun: loadStatement(import.meta.url, 'start-run') };
 */
export function loadStatement(base: string, name: string): Statement {
  const url = new URL(`./sql/${name}.sql`, base);
  const file = fileURLToPath(url);
  const statementName = `glaze_${name.replaceAll('-', '_')}`;
  const other = loaded.get(statementName);
  if (other !== undefined && other !== file) {
    throw new Error(
      `sql/${name}.sql: statement name ${statementName} is taken by ${other}; rename one of them`,
    );
  }
  loaded.set(statementName, file);
  return { name: statementName, text: readFileSync(url, 'utf8') };
}
