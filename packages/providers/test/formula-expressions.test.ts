import { describe, expect, it } from 'vitest';
import { compileExpression, ExpressionError, evaluateExpression } from '../src/expression/compile-expression';
import { formulaProvider } from '../src/formula';
import { okValue, runProvider } from './support/run-provider';

const row = {
  'First Name': 'Ada',
  Last: 'Lovelace',
  Score: 72,
  Tags: ['vip', 'eu'],
  Company: { domain: 'acme.io' },
};

describe('expression language', () => {
  it.each([
    ['row["First Name"] + " " + Last', 'Ada Lovelace'],
    ['Score >= 50 && Company.domain == "acme.io"', true],
    ['Score > 90 ? "hot" : "warm"', 'warm'],
    ['Tags.some(t => t == "vip")', true],
    ['Missing', ''], // a blank or missing column reads as ""
    ['coalesce(Missing, "n/a")', 'n/a'],
    ['Math.round(Score / 7)', 10],
    ['isEmpty(row["Nope"])', true],
    ['`${Last.toUpperCase()} (${Score})`', 'LOVELACE (72)'],
  ])('%s → %j', (source, expected) => {
    expect(evaluateExpression(source, row)).toEqual(expected);
  });

  it('lists the columns an expression reads, not properties, helpers or arrow parameters', () => {
    expect(
      compileExpression('row["First Name"] + Company.domain + Tags.map(t => t + Suffix) + Math.PI').columns,
    ).toEqual(['First Name', 'Company', 'Tags', 'Suffix']);
  });

  it.each([
    ['row["First Name"] + row.Last + Company.domain', false],
    ['Tags.map(row => row + 1)', false], // an arrow parameter named row is not the row
    ['row[Key]', true],
    ['row["Key" + 1]', true],
    ['"Email" in row', true],
    ['({ ...row }).Email', true],
  ])('%s reads the whole row: %s', (source, whole) => {
    // the engine then gives its cells every column, not only `columns`
    expect(compileExpression(source).readsWholeRow).toBe(whole);
  });

  it.each([
    ['Score +', 'unexpected token at 1:7'],
    ['Score = 1', 'assignment is not allowed'],
    ['Score += 1', 'assignment is not allowed'],
    ['Score++', 'increment is not allowed'],
    ['new Date()', '"new" is not allowed'],
    ['delete row.Score', '"delete" is not allowed'],
    ['', 'expression is empty'],
  ])('refuses %j, saying why', (source, why) => {
    expect(() => compileExpression(source)).toThrow(ExpressionError);
    expect(() => compileExpression(source)).toThrow(why);
  });

  it('has no way out to constructors, globals or the process', () => {
    // an unknown name is a column the row does not have: it reads as ""
    expect(evaluateExpression('process', row)).toBe('');
    expect(evaluateExpression('globalThis', row)).toBe('');
    expect(evaluateExpression('Last.constructor', row)).toBeUndefined();
    expect(() => evaluateExpression('Last.constructor.constructor("return process")()', row)).toThrow(
      ExpressionError,
    );
    expect(evaluateExpression('row.__proto__', row)).toBeUndefined();
  });

  it('cannot change the row it reads', () => {
    const shared = { Tags: ['b', 'a'] };
    expect(evaluateExpression('Tags.sort()', shared)).toEqual(['a', 'b']);
    expect(shared.Tags).toEqual(['b', 'a']);
  });
});

describe('formula provider', () => {
  it('computes a value and declares the columns it reads as templates', async () => {
    const config = { expression: 'row["First Name"] + " " + Last' };
    expect(okValue(await runProvider(formulaProvider, config, row))).toBe('Ada Lovelace');
    expect(formulaProvider.templates(formulaProvider.configSchema.parse(config))).toEqual([
      '{{First Name}}',
      '{{Last}}',
    ]);
  });

  it('answers empty for null or blank results and fails permanently on evaluation errors', async () => {
    expect(await runProvider(formulaProvider, { expression: 'Missing ?? null' }, row)).toEqual({
      kind: 'empty',
    });
    expect(await runProvider(formulaProvider, { expression: 'Missing.deep.deeper' }, row)).toMatchObject({
      kind: 'permanent',
      message: expect.stringContaining('expression "Missing.deep.deeper"'),
    });
    expect(await runProvider(formulaProvider, { expression: 'Score / 0' }, row)).toMatchObject({
      kind: 'permanent',
    });
  });

  it('rejects a bad expression at configuration time on the expression field', () => {
    const parsed = formulaProvider.configSchema.safeParse({ expression: 'Score +' });
    expect(parsed.error?.issues[0]).toMatchObject({
      path: ['expression'],
      message: expect.stringContaining('unexpected token'),
    });
  });
});
