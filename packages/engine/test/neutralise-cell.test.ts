import { describe, expect, it } from 'vitest';
import { neutraliseCell } from '../src/index';
import { expected, headerCases, valueCases } from './fixtures/formula-cases';

describe('neutraliseCell', () => {
  it.each([...valueCases, ...headerCases])('%j', (c) => {
    expect(neutraliseCell(c.value)).toBe(expected(c));
  });

  it('is idempotent: a neutralised field is text already', () => {
    for (const c of valueCases) expect(neutraliseCell(neutraliseCell(c.value))).toBe(expected(c));
  });
});
