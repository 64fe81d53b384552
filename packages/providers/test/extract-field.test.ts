import { describe, expect, it } from 'vitest';
import { extractProvider } from '../src/extract';
import { runProvider } from './support/run-provider';

const row = {
  Lookup: { company: { domain: 'acme.io' }, people: [{ email: 'ada@acme.io' }, { email: 'bob@acme.io' }] },
  Raw: '{"score": 7}',
  Broken: '{"score": ',
};

describe('extract provider', () => {
  it('reads a nested field and an array element of another column', async () => {
    expect(await runProvider(extractProvider, { source: 'Lookup', path: 'company.domain' }, row)).toEqual({
      kind: 'ok',
      value: 'acme.io',
    });
    expect(await runProvider(extractProvider, { source: 'Lookup', path: 'people[1].email' }, row)).toEqual({
      kind: 'ok',
      value: 'bob@acme.io',
    });
  });

  it('parses a column holding JSON text', async () => {
    expect(await runProvider(extractProvider, { source: 'Raw', path: 'score' }, row)).toEqual({
      kind: 'ok',
      value: 7,
    });
  });

  it('answers empty for a missing field and fails naming config.source for broken JSON', async () => {
    expect(await runProvider(extractProvider, { source: 'Lookup', path: 'company.ceo' }, row)).toEqual({
      kind: 'empty',
    });
    expect(await runProvider(extractProvider, { source: 'Broken', path: 'score' }, row)).toMatchObject({
      kind: 'permanent',
      message: expect.stringContaining('config.source: column "Broken"'),
    });
  });

  it('declares the source column as its template so a blank source skips the cell', () => {
    const config = extractProvider.configSchema.parse({ source: 'Lookup', path: 'a' });
    expect(extractProvider.templates(config)).toEqual(['{{Lookup}}']);
    expect(extractProvider.skipWhenInputEmpty).toBe(true);
  });

  it('rejects a malformed path', () => {
    expect(
      extractProvider.configSchema.safeParse({ source: 'X', path: 'a..b' }).error?.issues[0]?.path,
    ).toEqual(['path']);
  });
});
