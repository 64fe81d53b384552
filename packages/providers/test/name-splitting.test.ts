import { describe, expect, it } from 'vitest';
import { nameProvider, splitName } from '../src/name';
import { okValue, runProvider } from './support/run-provider';

describe('name provider', () => {
  it('splits prefix, first, middle, last and suffix', async () => {
    const value = okValue(await runProvider(nameProvider, {}, { name: 'Dr. John Quincy Public Jr.' }));
    expect(value).toEqual({
      prefix: 'Dr.',
      first: 'John',
      middle: 'Quincy',
      last: 'Public',
      suffix: 'Jr.',
      nickname: null,
      order: 'given-first',
    });
  });

  it('reads "Last, First" order', () => {
    expect(splitName('Lovelace, Ada')).toMatchObject({ first: 'Ada', last: 'Lovelace', middle: null });
  });

  it('keeps roman-numeral suffixes and unicode letters', () => {
    expect(splitName('Björn Ångström III')).toMatchObject({
      first: 'Björn',
      last: 'Ångström',
      suffix: 'III',
    });
    expect(splitName('José  María Núñez')).toMatchObject({ first: 'José', middle: 'María', last: 'Núñez' });
  });

  it('keeps family-name particles with the last name', () => {
    expect(splitName('Ludwig van Beethoven')).toMatchObject({ first: 'Ludwig', last: 'van Beethoven' });
  });

  it('files a single name as the first name and keeps case as written', () => {
    expect(splitName('Cher')).toMatchObject({ first: 'Cher', last: null });
    expect(splitName('GRACE HOPPER')).toMatchObject({ first: 'GRACE', last: 'HOPPER' });
    expect(splitName('john mcdonald')).toMatchObject({ first: 'john', last: 'mcdonald' });
  });

  it('reads a nickname in quotes', () => {
    expect(splitName('Robert "Bob" Smith')).toMatchObject({
      first: 'Robert',
      nickname: 'Bob',
      last: 'Smith',
    });
  });
});
