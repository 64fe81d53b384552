import { type AnyProvider, defineProvider, type ProviderResult } from '@glaze/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createProviderRegistry } from '../src/registry';
import { createWaterfallProvider } from '../src/waterfall';
import { runProvider } from './support/run-provider';

/** A provider that answers whatever its config says, and counts its calls. */
function scripted(id: string, result: ProviderResult) {
  const calls: unknown[] = [];
  const provider = defineProvider({
    id,
    group: 'testing',
    description: 'scripted',
    configSchema: z.object({ input: z.string().default('{{domain}}'), n: z.number().default(0) }),
    templates: (config) => [config.input],
    async enrich({ config }) {
      calls.push(config);
      return result;
    },
  });
  return { provider: provider as AnyProvider, calls };
}

function waterfallOf(...providers: AnyProvider[]) {
  const map = new Map(providers.map((p) => [p.id, p]));
  return createWaterfallProvider((id) => map.get(id));
}

describe('waterfall provider', () => {
  it('stops at the first non-empty answer, says which step answered and sums the costs', async () => {
    const first = scripted('cheap', { kind: 'empty', cost: 1 });
    const blank = scripted('blank', { kind: 'ok', value: {}, cost: 2 });
    const second = scripted('pricey', { kind: 'ok', value: { ceo: 'Ada' }, cost: 5 });
    const never = scripted('never', { kind: 'ok', value: 'x' });
    const waterfall = waterfallOf(first.provider, blank.provider, second.provider, never.provider);
    const steps = ['cheap', 'blank', 'pricey', 'never'].map((provider) => ({ provider, config: { n: 1 } }));
    const result = await runProvider(waterfall, { steps }, { domain: 'acme.io' });
    expect(result).toEqual({
      kind: 'ok',
      value: { provider: 'pricey', step: 2, value: { ceo: 'Ada' } },
      cost: 8,
      meta: {
        answeredBy: 'pricey',
        step: 2,
        attempts: [
          { step: 0, provider: 'cheap', outcome: 'empty', message: 'no result' },
          { step: 1, provider: 'blank', outcome: 'empty', message: 'answered with a blank value' },
          { step: 2, provider: 'pricey', outcome: 'ok' },
        ],
      },
    });
    expect(never.calls).toHaveLength(0);
    expect(first.calls).toEqual([{ input: '{{domain}}', n: 1 }]);
  });

  it('falls through permanent failures and reports each when no step answers', async () => {
    const a = scripted('a', { kind: 'permanent', message: 'HTTP 403', cost: 1 });
    const b = scripted('b', { kind: 'permanent', message: 'bad input', cost: 1 });
    const result = await runProvider(
      waterfallOf(a.provider, b.provider),
      { steps: [{ provider: 'a' }, { provider: 'b' }] },
      { domain: 'x' },
    );
    expect(result).toEqual({
      kind: 'permanent',
      message: 'steps[0] (a): HTTP 403; steps[1] (b): bad input',
      cost: 2,
      meta: {
        attempts: [
          { step: 0, provider: 'a', outcome: 'failed', message: 'HTTP 403' },
          { step: 1, provider: 'b', outcome: 'failed', message: 'bad input' },
        ],
      },
    });
  });

  it('keeps why a failed step failed when a later step answers nothing (410 then empty)', async () => {
    const gone = scripted('gone', { kind: 'permanent', message: 'GET api.example: HTTP 410 Gone' });
    const nothing = scripted('nothing', { kind: 'empty' });
    const result = await runProvider(
      waterfallOf(gone.provider, nothing.provider),
      { steps: [{ provider: 'gone' }, { provider: 'nothing' }] },
      { domain: 'x' },
    );
    expect(result).toEqual({
      kind: 'empty',
      cost: 0,
      meta: {
        attempts: [
          { step: 0, provider: 'gone', outcome: 'failed', message: 'GET api.example: HTTP 410 Gone' },
          { step: 1, provider: 'nothing', outcome: 'empty', message: 'no result' },
        ],
      },
    });
  });

  it('lists skipped steps too when the others failed', async () => {
    const a = scripted('a', { kind: 'permanent', message: 'HTTP 403' });
    const b = scripted('b', { kind: 'ok', value: 'never' });
    const steps = [{ provider: 'a' }, { provider: 'b', config: { input: '{{Missing}}' } }];
    const result = await runProvider(waterfallOf(a.provider, b.provider), { steps }, { domain: 'x' });
    expect(result).toMatchObject({
      kind: 'permanent',
      message: 'steps[0] (a): HTTP 403; steps[1] (b): skipped, its input columns are blank',
      meta: {
        attempts: [{ outcome: 'failed' }, { outcome: 'skipped', message: 'its input columns are blank' }],
      },
    });
  });

  it('makes the whole cell retryable when a step is, keeping the cost so far', async () => {
    const a = scripted('a', { kind: 'empty', cost: 1 });
    const b = scripted('b', { kind: 'retryable', message: 'HTTP 429', retryAfterMs: 500, cost: 0 });
    const c = scripted('c', { kind: 'ok', value: 'late' });
    const steps = [{ provider: 'a' }, { provider: 'b' }, { provider: 'c' }];
    const result = await runProvider(
      waterfallOf(a.provider, b.provider, c.provider),
      { steps },
      { domain: 'x' },
    );
    expect(result).toEqual({
      kind: 'retryable',
      message: 'steps[1] (b): HTTP 429',
      retryAfterMs: 500,
      cost: 1,
      meta: {
        attempts: [
          { step: 0, provider: 'a', outcome: 'empty', message: 'no result' },
          { step: 1, provider: 'b', outcome: 'retryable', message: 'HTTP 429' },
        ],
      },
    });
    expect(c.calls).toHaveLength(0);
  });

  it('skips a step whose input columns are blank', async () => {
    const a = scripted('a', { kind: 'ok', value: 'from a' });
    const b = scripted('b', { kind: 'ok', value: 'from b' });
    const steps = [{ provider: 'a', config: { input: '{{Missing}}' } }, { provider: 'b' }];
    const result = await runProvider(waterfallOf(a.provider, b.provider), { steps }, { domain: 'x' });
    expect(result).toMatchObject({ kind: 'ok', value: { provider: 'b', value: 'from b' } });
    expect(a.calls).toHaveLength(0);
  });

  it("validates each step's config with that provider's schema, naming the path", () => {
    const waterfall = createProviderRegistry().get('waterfall')!;
    const parsed = waterfall.configSchema.safeParse({
      steps: [{ provider: 'formula', config: { expression: 'Score +' } }, { provider: 'nope' }],
    });
    expect(parsed.error?.issues.map((i) => i.path)).toEqual([
      ['steps', 0, 'config', 'expression'],
      ['steps', 1, 'provider'],
    ]);
  });

  it('runs real built-ins from the registry: extract finds nothing, formula answers', async () => {
    const waterfall = createProviderRegistry().get('waterfall')!;
    const steps = [
      { provider: 'extract', config: { source: 'Lookup', path: 'company.domain' } },
      { provider: 'formula', config: { expression: 'Email.split("@")[1]' } },
    ];
    const result = await runProvider(waterfall, { steps }, { Lookup: { company: {} }, Email: 'ada@acme.io' });
    expect(result).toMatchObject({ kind: 'ok', value: { provider: 'formula', step: 1, value: 'acme.io' } });
    expect(waterfall.templates(waterfall.configSchema.parse({ steps }))).toEqual(['{{Lookup}}', '{{Email}}']);
  });
});
