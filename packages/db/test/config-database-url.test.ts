import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config';

/** DATABASE_URL as libpq reads it: a host or a socket directory, and sslmode with libpq's meaning. */
describe('DATABASE_URL', () => {
  const url = (value: string) => loadConfig({ DATABASE_URL: value }).databaseUrl;

  it('takes a host, or a socket directory in libpq form', () => {
    expect(url('postgres://glaze@127.0.0.1:5432/glaze')).toBe('postgres://glaze@127.0.0.1:5432/glaze');
    expect(url('postgresql:///glaze?host=/var/run/postgresql')).toBe(
      'postgresql:///glaze?host=/var/run/postgresql',
    );
    expect(url('postgresql://glaze@%2Fvar%2Frun%2Fpostgresql/glaze')).toBeDefined();
  });

  it('refuses a URL that names neither, saying both forms', () => {
    for (const value of ['postgresql:///glaze', 'postgresql:///glaze?host=relative/dir', 'mysql://h/db']) {
      expect(() => url(value), value).toThrow(ConfigError);
      expect(() => url(value), value).toThrow(/DATABASE_URL: .*127\.0\.0\.1.*host=\/var\/run\/postgresql/);
    }
  });

  it('reads sslmode as libpq does: uselibpqcompat is added unless the URL sets it', () => {
    expect(url('postgres://h/db?sslmode=require')).toBe(
      'postgres://h/db?sslmode=require&uselibpqcompat=true',
    );
    expect(url('postgres://h/db?sslmode=verify-full&uselibpqcompat=false')).toBe(
      'postgres://h/db?sslmode=verify-full&uselibpqcompat=false',
    );
    expect(url('postgres://h/db')).toBe('postgres://h/db');
    // node-postgres's own mode (Heroku's docs give it) keeps its meaning: encrypted, not verified
    expect(url('postgres://h/db?sslmode=no-verify')).toBe('postgres://h/db?sslmode=no-verify');
    expect(url('postgres://h/db?sslmode=verify-full')).toBe('postgres://h/db?sslmode=verify-full');
    expect(url('postgres://h/db?sslmode=disable')).toBe('postgres://h/db?sslmode=disable');
    expect(
      loadConfig({ WORKER_DATABASE_URL: 'postgres://h/db?sslmode=require' }).workerDatabaseUrl,
    ).toContain('uselibpqcompat=true');
  });
});
