import { describe, expect, it } from 'vitest';
import { evaluateExpression } from '../src/expression/compile-expression';
import { formulaProvider } from '../src/formula';
import { runProvider } from './support/run-provider';

// As a CSV import leaves them: every input is text.
const row = {
  'Deal Size': '12000',
  Qty: '3',
  Blank: '',
  Spaces: '  ',
  Price: '9.5',
  Name: 'Ada',
  Zip: '01234',
  Big: '12,000',
};

describe('formula input coercion', () => {
  it.each([
    ['row["Deal Size"] + Qty', 12003],
    ['row["Deal Size"] * Qty', 36000],
    ['Price * 2', 19],
    ['Qty - 1', 2],
    ['-Qty', -3],
    ['Qty ** 2', 9],
    ['row["Deal Size"] > 9000', true],
    ['Qty < 10', true], // as text "3" < "10" is false
    ['900 * Blank', null],
    ['900 * Spaces', null],
    ['900 * Missing', null],
    ['Qty + Blank', null],
    ['-Blank', null],
    ['Blank > 3', null],
    ['(Blank * 2) + 1', null],
    ['"Hi " + Name', 'Hi Ada'],
    ['"Hi " + Blank', 'Hi '],
    ['Name + " " + Blank', 'Ada '],
    ['"Total: " + Qty', 'Total: 3'],
    ['text(Zip) + text(Qty)', '012343'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the expression's own template string
    ['`${Zip}-${Qty}`', '01234-3'],
    ['Zip.startsWith("0")', true],
    ['num(Big) + 1', 12001],
    ['num(Blank)', null],
    ['num(" 7 ")', 7],
    ['text(Missing)', ''],
    ['text(12)', '12'],
    ['Blank ?? "none"', ''],
    ['isEmpty(Blank)', true],
    ['Tags.map(t => t * 2)', [2, 4]],
  ])('%s → %j', (source, expected) => {
    expect(evaluateExpression(source, { ...row, Tags: [1, 2] })).toEqual(expected);
  });

  it('refuses text that is not a number in num(), naming it', () => {
    expect(() => evaluateExpression('num(Name)', row)).toThrow('num("Ada"): not a number');
  });

  it('gives an empty cell, not 0, when an input of the arithmetic is blank', async () => {
    expect(await runProvider(formulaProvider, { expression: '900 * Qty' }, { Qty: '' })).toEqual({
      kind: 'empty',
    });
    expect(await runProvider(formulaProvider, { expression: '900 * Qty' }, { Qty: '2' })).toEqual({
      kind: 'ok',
      value: 1800,
    });
  });
});
