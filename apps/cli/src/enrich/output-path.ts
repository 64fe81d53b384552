import { realpathSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '@glaze/core';

/**
 * Where the enriched CSV goes: `-o` if given, else `<name>.enriched.csv` next to the input.
 * Refuses any path that is the input itself (also through a symlink): the input is never modified.
 */
export function outputPath(input: string, output: string | undefined): string {
  const parsed = path.parse(path.resolve(input));
  const base = parsed.ext.toLowerCase() === '.csv' ? parsed.name : parsed.base;
  const target = path.resolve(output ?? path.join(parsed.dir, `${base}.enriched.csv`));
  if (real(target) === real(path.resolve(input))) {
    throw new AppError(
      'validation_failed',
      `-o ${output ?? target} is the input file; Glaze never overwrites its input`,
      'output',
    );
  }
  return target;
}

/** The real path of a file, or of its directory plus its name when it does not exist yet. */
function real(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    try {
      return path.join(realpathSync(path.dirname(file)), path.basename(file));
    } catch {
      return file;
    }
  }
}
