import { describe, expect, it } from 'vitest';
import { previewText } from '../src/column-form/preview-text';

describe('a previewed cell in one line', () => {
  it('summarises a value as the grid does', () => {
    expect(previewText({ status: 'done', value: { email: 'a@b.co', valid: true }, error: null })).toBe(
      'email: a@b.co · valid: true',
    );
    expect(previewText({ status: 'done', value: null, error: null })).toBe('(no result)');
  });
  it('names the waterfall step that answered', () => {
    expect(
      previewText({
        status: 'done',
        value: { provider: 'email', step: 1, value: { valid: true } },
        error: null,
      }),
    ).toBe('via step 2 (email): valid: true');
  });
  it('shows the error of a failed or skipped cell', () => {
    expect(
      previewText({ status: 'error', value: null, error: 'mock: input "x" is configured to fail' }),
    ).toBe('mock: input "x" is configured to fail');
    expect(previewText({ status: 'skipped', value: null, error: 'no input: Email is empty' })).toBe(
      'no input: Email is empty',
    );
  });
});
