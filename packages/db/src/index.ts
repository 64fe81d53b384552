export { ConfigError, type GlazeConfig, loadConfig } from './config';
export { createDataDir, ensurePostgresCanEnter, firstClosedDirectory, postgresOsUser } from './data-dir';
export { isDatabaseUnavailable } from './database-errors';
export { DatabaseHealth, type DatabaseHealthOptions } from './database-health';
export { detectTransactionPooler } from './detect-pooler';
export { type EmbeddedPostgresHandle, startEmbeddedPostgres } from './embedded';
export { createLogger, type Logger, silentLogger } from './logger';
export { type MigrationStatus, migrate, migrationStatus, quietGraphileLogger } from './migrate';
export { createPool, type Pool, type PoolClient, type PoolOptions, withTransaction } from './pool';
