import type { Pool } from '@glaze/db';
import { boot } from './boot';

/** Runs one short command's work against the database (migrated), then closes it: exit code 0. */
export async function withDatabase(work: (pool: Pool) => Promise<void>): Promise<number> {
  const glaze = await boot({ migrate: true, poolSize: 2 });
  try {
    await work(glaze.pool);
    return 0;
  } finally {
    await glaze.close();
  }
}
