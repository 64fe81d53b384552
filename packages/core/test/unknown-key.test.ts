import { expect, it } from 'vitest';
import { z } from 'zod';
import { unknownKey } from '../src/index';

it('names the first key a plain object schema does not take, with the ones it does', () => {
  const schema = z.object({ scope: z.string(), maxAttempts: z.number().optional() });
  expect(unknownKey(schema, { scope: 'all', maxAttemps: 5 })).toEqual({
    key: 'maxAttemps',
    known: ['scope', 'maxAttempts'],
  });
  expect(unknownKey(schema, { scope: 'all', maxAttempts: 5 })).toBeUndefined();
  expect(unknownKey(schema, { scope: 'all', runIf: 'x' }, ['runIf'])).toBeUndefined();
});

it('leaves alone what takes more on purpose, or is not an object', () => {
  expect(unknownKey(z.looseObject({ a: z.string() }), { b: 1 })).toBeUndefined();
  expect(unknownKey(z.object({ a: z.string() }), ['b'])).toBeUndefined();
  expect(unknownKey(z.object({ a: z.string() }), null)).toBeUndefined();
  expect(unknownKey(z.array(z.string()), { b: 1 })).toBeUndefined();
});
