import { describe, expect, it } from 'vitest';
import { loadServerConfig } from '../src/index';

describe('server configuration', () => {
  it('has defaults for everything', () => {
    expect(loadServerConfig({})).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      bodyLimit: 5 * 1024 * 1024,
      realtime: 'auto',
      pollMs: 1000,
      viewerLagMs: 100,
    });
    expect(loadServerConfig({ GLAZE_VIEWER_LAG_MS: '0' }).viewerLagMs).toBe(0);
  });

  it('reads sizes with units and blank values as unset', () => {
    const config = loadServerConfig({
      PORT: '8080',
      GLAZE_BODY_LIMIT: '2mb',
      GLAZE_CSV_LIMIT: '1gb',
      GLAZE_ADMIN_TOKEN: '',
    });
    expect(config).toMatchObject({ port: 8080, bodyLimit: 2 * 1024 ** 2, csvLimit: 1024 ** 3 });
    expect(config.adminToken).toBeUndefined();
  });

  it('reads GLAZE_TRUST_PROXY as true, false or the proxy addresses (default: trust nothing)', () => {
    expect(loadServerConfig({}).trustProxy).toBe(false);
    expect(loadServerConfig({ GLAZE_TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadServerConfig({ GLAZE_TRUST_PROXY: 'FALSE' }).trustProxy).toBe(false);
    expect(loadServerConfig({ GLAZE_TRUST_PROXY: '10.0.0.1, 10.0.0.0/8' }).trustProxy).toBe(
      '10.0.0.1, 10.0.0.0/8',
    );
  });

  it.each([
    [
      { GLAZE_TRUST_PROXY: 'yes please' },
      /^GLAZE_TRUST_PROXY: must be true, false, or the proxy's addresses/,
    ],
    [{ PORT: 'eighty' }, /^PORT: /],
    [{ GLAZE_POLL_MS: '5' }, /^GLAZE_POLL_MS: /],
    [{ GLAZE_REALTIME: 'push' }, /^GLAZE_REALTIME: /],
    [{ GLAZE_VIEWER_LAG_MS: '-1' }, /^GLAZE_VIEWER_LAG_MS: must be a whole number of milliseconds/],
    [{ GLAZE_VIEWER_LAG_MS: 'soon' }, /^GLAZE_VIEWER_LAG_MS: must be a whole number of milliseconds/],
    [{ GLAZE_BODY_LIMIT: 'lots' }, /^GLAZE_BODY_LIMIT: must be a size/],
    [{ GLAZE_ADMIN_TOKEN: 'short' }, /^GLAZE_ADMIN_TOKEN: must be at least 16 characters/],
  ])('fails on %o naming the variable', (env, message) => {
    expect(() => loadServerConfig(env)).toThrow(message);
  });
});
