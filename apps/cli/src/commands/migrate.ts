import { migrationStatus } from '@glaze/db';
import { boot } from '../boot';

/** glaze migrate: applies pending migrations and lists what is applied. */
export async function run(argv: string[]): Promise<number> {
  if (argv.includes('--help')) {
    console.log(
      'usage: glaze migrate\n\nApplies pending SQL migrations to DATABASE_URL (or the embedded Postgres).',
    );
    return 0;
  }
  const glaze = await boot({ migrate: true });
  try {
    const status = await migrationStatus(glaze.pool);
    console.log(
      `database ${glaze.databaseLabel}: ${status.applied.length} migrations applied, ${status.pending.length} pending`,
    );
    return 0;
  } finally {
    await glaze.close();
  }
}
