import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { builtinProviders } from '../src/registry';

describe('builtin provider registry', () => {
  it('registers each provider under its own id', () => {
    for (const [id, provider] of builtinProviders) expect(provider.id).toBe(id);
    expect([...builtinProviders.keys()]).toEqual(
      expect.arrayContaining(['mock', 'email', 'url', 'name', 'phone']),
    );
  });

  it.each([...builtinProviders.values()].map((p) => [p.id, p] as const))(
    '%s: config has defaults, a JSON Schema for the form and described fields',
    (_id, provider) => {
      const config = provider.configSchema.parse({});
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
