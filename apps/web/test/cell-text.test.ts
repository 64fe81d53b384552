import { previewValue } from '@glaze/core';
import { describe, expect, it } from 'vitest';
import { cellText } from '../src/grid/cell-text';

const done = (value: unknown) => ({ status: 'done' as const, value, error: null });

describe('cellText', () => {
  it('shows a never-run cell blank and a finished-empty one as no result', () => {
    expect(cellText('email', undefined)).toEqual({ status: 'idle', text: '', noResult: false });
    expect(cellText('email', done(null))).toEqual({ status: 'done', text: '', noResult: true });
    expect(cellText('formula', { status: 'stale', value: null, error: null }).noResult).toBe(true);
    expect(cellText('formula', { status: 'queued', value: null, error: null }).noResult).toBe(false);
    expect(cellText('formula', done(0))).toEqual({ status: 'done', text: '0', noResult: false });
  });

  it('shows a value left out of the page by its size, not as no result', () => {
    expect(
      cellText('http', { status: 'done', value: null, error: null, largeValueBytes: 3_000_034 }),
    ).toEqual({
      status: 'done',
      text: '2.9 MB value · open the cell',
      noResult: false,
    });
  });

  it("uses the provider's display", () => {
    expect(cellText('email', done({ valid: true, freeMail: false, disposable: true })).text).toBe(
      '✓ valid · disposable',
    );
    expect(cellText('email', done({ valid: false, input: 'x', reason: 'missing @' })).text).toBe(
      '✗ invalid: missing @',
    );
    expect(
      cellText('waterfall', done({ provider: 'http', step: 1, value: { domain: 'acme.io' } })).text,
    ).toBe('acme.io · via http (step 2)');
  });

  it('shows the error message of an error cell', () => {
    expect(cellText('http', { status: 'error', value: null, error: 'HTTP 410 Gone' })).toEqual({
      status: 'error',
      text: 'HTTP 410 Gone',
      noResult: false,
    });
  });
});

describe('previewValue (providers without a display of their own)', () => {
  it('shows scalars as they are and nothing for null', () => {
    expect(previewValue('a@b.co')).toBe('a@b.co');
    expect(previewValue(42)).toBe('42');
    expect(previewValue(false)).toBe('false');
    expect(previewValue(null)).toBe('');
  });

  it('summarises objects by their first keys and arrays by length and first items, on one line', () => {
    expect(previewValue({ input: 'x', hash: 'ab12', length: 1, extra: true })).toBe(
      'input: x · hash: ab12 · length: 1 · +1',
    );
    expect(previewValue({ nested: { a: 1 }, list: [1, 2] })).toBe('nested: {…} · list: [2]');
    expect(previewValue(['a', 'b', 'c', 'd'])).toBe('[4] a, b, c, …');
    expect(previewValue('line one\nline two')).toBe('line one line two');
    expect(previewValue('y'.repeat(300))).toHaveLength(80);
  });
});
