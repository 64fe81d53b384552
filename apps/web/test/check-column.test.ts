import { describe, expect, it } from 'vitest';
import { checkName } from '../src/column-form/check-column';

describe('the column form checks the name as the server does', () => {
  it('says an empty or blank name is required, in plain words', () => {
    expect(checkName('')).toBe('Name is required');
    expect(checkName('   ')).toBe('Name is required');
  });
  it('names the limit of a name too long', () => {
    expect(checkName('x'.repeat(5000))).toMatch(/^Name must be at most \d+ characters$/);
  });
  it('accepts a name', () => {
    expect(checkName('Email check')).toBeUndefined();
  });
});
