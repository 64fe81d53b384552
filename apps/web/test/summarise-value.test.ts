import { describe, expect, it } from 'vitest';
import { summariseValue } from '../src/ui/summarise-value';

describe('summariseValue', () => {
  it('shows scalars as they are and nothing for null', () => {
    expect(summariseValue('a@b.co')).toBe('a@b.co');
    expect(summariseValue(42)).toBe('42');
    expect(summariseValue(false)).toBe('false');
    expect(summariseValue(null)).toBe('');
  });

  it('summarises objects by their first keys', () => {
    expect(summariseValue({ input: 'x', hash: 'ab12', length: 1, extra: true })).toBe(
      'input: x · hash: ab12 · length: 1 · +1',
    );
    expect(summariseValue({ nested: { a: 1 }, list: [1, 2] })).toBe('nested: {…} · list: [2]');
  });

  it('summarises arrays by length and first items', () => {
    expect(summariseValue(['a', 'b', 'c', 'd'])).toBe('[4] a, b, c, …');
  });
});
