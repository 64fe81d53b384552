import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { builtinProviders, createProviderRegistry } from '../src/registry';

const minimalConfigs: Record<string, unknown> = { waterfall: { steps: [{ provider: 'email' }] } };

describe('builtin provider registry', () => {
  it('registers each provider under its own id', () => {
    for (const [id, provider] of builtinProviders) expect(provider.id).toBe(id);
    expect([...builtinProviders.keys()]).toEqual(
      expect.arrayContaining([
        'mock',
        'email',
        'url',
        'name',
        'phone',
        'http',
        'llm',
        'formula',
        'extract',
        'waterfall',
      ]),
    );
  });

  it('builds the http and llm providers with the allow list, and refuses a bad entry by index', () => {
    expect(() => createProviderRegistry({ httpAllow: ['127.0.0.1', 'bad host'] })).toThrow('allow[1]');
    expect(createProviderRegistry({ httpAllow: ['127.0.0.1'] }).get('http')).not.toBe(
      builtinProviders.get('http'),
    );
  });

  it.each([...builtinProviders.values()].map((p) => [p.id, p] as const))(
    '%s: config has defaults, a JSON Schema for the form and described fields',
    (_id, provider) => {
      // Only the waterfall has a required field: a waterfall without steps has no sensible default.
      const config = provider.configSchema.parse(minimalConfigs[provider.id] ?? {});
      expect(provider.templates(config).length).toBeGreaterThan(0);
      const schema = z.toJSONSchema(provider.configSchema, { io: 'input' }) as {
        properties: Record<string, { description?: string }>;
      };
      for (const [field, property] of Object.entries(schema.properties)) {
        expect(property.description, `${provider.id}.${field} has no description`).toBeTruthy();
      }
    },
  );
});
