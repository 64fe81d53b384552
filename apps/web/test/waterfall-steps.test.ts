import type { ProviderInfo } from '@glaze/core';
import { describe, expect, it } from 'vitest';
import {
  moveStep,
  newStep,
  stepFieldOfPath,
  stepsConfig,
  stepsFromConfig,
} from '../src/column-form/waterfall-steps';

const providers: ProviderInfo[] = [
  {
    id: 'http',
    group: 'api',
    description: 'calls',
    hostLimits: true,
    configSchema: {
      type: 'object',
      properties: {
        url: { type: 'string', default: '{{url}}' },
        timeoutMs: { type: 'integer', default: 10000 },
        headers: { type: 'object' },
      },
    },
  },
  {
    id: 'mock',
    group: 'testing',
    description: 'fake',
    hostLimits: false,
    configSchema: {
      type: 'object',
      properties: {
        input: { type: 'string', default: '{{input}}' },
        failRate: { type: 'number', default: 0 },
      },
    },
  },
];

describe('waterfall step builder', () => {
  it('builds the same steps config the JSON box held', () => {
    const first = newStep(providers, 'mock');
    first.texts.input = '{{email}}';
    first.texts.failRate = '1';
    const second = newStep(providers, 'http');
    second.texts.url = 'https://api.example/{{email}}';
    second.texts.headers = '';
    expect(stepsConfig(providers, [first, second])).toEqual([
      { provider: 'mock', config: { input: '{{email}}', failRate: 1 } },
      { provider: 'http', config: { url: 'https://api.example/{{email}}', timeoutMs: 10000 } },
    ]);
  });

  it('reads a stored config back into steps, and round-trips it', () => {
    const stored = [
      { provider: 'http', config: { url: 'https://x.example/{{d}}', timeoutMs: 500 } },
      { provider: 'mock', config: { input: '{{d}}', failRate: 0 } },
    ];
    const drafts = stepsFromConfig(providers, stored);
    expect(drafts.map((d) => d.provider)).toEqual(['http', 'mock']);
    expect(stepsConfig(providers, drafts)).toEqual(stored);
    expect(new Set(drafts.map((d) => d.key)).size).toBe(2);
    expect(stepsFromConfig(providers, 'not a list')).toEqual([]);
    expect(stepsFromConfig(providers, [null, { provider: 3 }, { provider: 'mock' }])).toHaveLength(1);
  });

  it('moves a step up and down, clamped at the ends', () => {
    expect(moveStep(['a', 'b', 'c'], 2, 0)).toEqual(['c', 'a', 'b']);
    expect(moveStep(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moveStep(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(moveStep(['a', 'b', 'c'], 2, 5)).toEqual(['a', 'b', 'c']);
  });

  it('finds the step and field a server error names', () => {
    expect(stepFieldOfPath('config.steps[1].config.url')).toEqual({ step: 1, field: 'url' });
    expect(stepFieldOfPath('config.steps[0].provider')).toEqual({ step: 0, field: 'provider' });
    expect(stepFieldOfPath('config.steps')).toBeUndefined();
    expect(stepFieldOfPath(undefined)).toBeUndefined();
  });
});
