import { describe, expect, it } from 'vitest';
import { createProviderRegistry } from '../src/registry';
import { findMisplacedSecrets, misplacedSecretMessage } from '../src/secrets/secret-fields';

const registry = createProviderRegistry();
const get = (id: string) => {
  const provider = registry.get(id);
  if (!provider) throw new Error(id);
  return provider;
};

describe('findMisplacedSecrets', () => {
  it('accepts secrets in http headers and llm apiKey', () => {
    expect(
      findMisplacedSecrets(get('http'), {
        url: 'https://a.example/{{Domain}}',
        headers: { Authorization: 'Bearer {{secret.KEY}}' },
      }),
    ).toEqual([]);
    expect(
      findMisplacedSecrets(get('llm'), { apiKey: '{{secret.OPENAI_API_KEY}}', prompt: '{{x}}' }),
    ).toEqual([]);
  });

  it('refuses them anywhere else, naming the field and the fields that may hold one', () => {
    const [found] = findMisplacedSecrets(get('http'), {
      url: 'https://a.example/?key={{ secret.KEY }}',
      headers: {},
      body: { nested: ['{{secret.OTHER}}'] },
    });
    expect(found).toEqual({
      path: 'config.url',
      name: 'KEY',
      provider: 'http',
      allowed: ['headers'],
      placed: false,
    });
    expect(found && `${found.path}: ${misplacedSecretMessage(found)}`).toBe(
      'config.url: {{secret.KEY}} may only be used in secret-bearing fields (headers)',
    );
    expect(findMisplacedSecrets(get('http'), { body: { nested: ['{{secret.OTHER}}'] } })[0]?.path).toBe(
      'config.body.nested[0]',
    );
    const [mock] = findMisplacedSecrets(get('mock'), { input: '{{secret.KEY}}' });
    expect(mock && misplacedSecretMessage(mock)).toBe(
      '{{secret.KEY}} may only be used in secret-bearing fields; mock has none (http: headers; llm: apiKey)',
    );
    expect(findMisplacedSecrets(get('llm'), { prompt: 'use {{secret.KEY}}' })[0]?.path).toBe('config.prompt');
  });

  it('checks waterfall steps by their own provider, with the full path', () => {
    const config = {
      steps: [
        { provider: 'http', config: { headers: { Authorization: '{{secret.KEY}}' } } },
        { provider: 'http', config: { url: 'https://x.example/{{secret.KEY}}', headers: {} } },
        {
          provider: 'waterfall',
          config: { steps: [{ provider: 'mock', config: { input: '{{secret.DEEP}}' } }] },
        },
      ],
    };
    expect(findMisplacedSecrets(get('waterfall'), config).map((m) => m.path)).toEqual([
      'config.steps[1].config.url',
      'config.steps[2].config.steps[0].config.input',
    ]);
    // A header template is allowed only where the step's provider allows it.
    expect(
      findMisplacedSecrets(get('waterfall'), {
        steps: [{ provider: 'mock', config: { headers: { Authorization: '{{secret.KEY}}' } } }],
      }).map((m) => m.path),
    ).toEqual(['config.steps[0].config.headers.Authorization']);
  });
});
