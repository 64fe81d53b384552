import { describe, expect, it } from 'vitest';
import { compileExpression, evaluateExpression } from '../src/expression/compile-expression';
import { renameExpressionColumns } from '../src/expression/rename-columns';
import { formulaProvider } from '../src/formula';
import { readCorpus } from './support/read-corpus';
import { runProvider } from './support/run-provider';

describe('text helpers', () => {
  it.each([
    ['lower(Name)', { Name: 'Ada LOVELACE' }, 'ada lovelace'],
    ['upper(Name)', { Name: 'Ada' }, 'ADA'],
    ['trim(Name)', { Name: '  Ada \t' }, 'Ada'],
    ['len(Name)', { Name: 'Ada' }, 3],
    ['len(Tags)', { Tags: ['a', 'b'] }, 2],
    ['domain(Email)', { Email: ' Ada@Acme.IO ' }, 'acme.io'],
    ['domain(Email)', { Email: 'mailto:ada@mail.acme.io' }, 'mail.acme.io'],
    ['domain(Site)', { Site: 'https://www.Acme.io:8443/about?x=1#top' }, 'acme.io'],
    ['domain(Site)', { Site: 'acme.io/pricing' }, 'acme.io'],
    ['domain(Site)', { Site: 'http://user:pw@acme.io/' }, 'acme.io'],
    ['split(Name, " ", 0)', { Name: 'Ada Lovelace' }, 'Ada'],
    ['split(Name, " ", -1)', { Name: 'Ada King Lovelace' }, 'Lovelace'],
    ['split(Name, " ", 5)', { Name: 'Ada' }, ''],
    ['split(Tags, ";")', { Tags: 'a;b;c' }, ['a', 'b', 'c']],
    ['join(Tags, "/")', { Tags: ['a', '', null, 'b'] }, 'a/b'],
    ['join(split(Tags, ";"))', { Tags: 'x;y' }, 'x, y'],
    ['coalesce(Work, Home, "none")', { Work: ' ', Home: 'h@x.io' }, 'h@x.io'],
    ['coalesce(Work, Home, "none")', {}, 'none'],
  ])('%s over %j → %j', (source, row, expected) => {
    expect(evaluateExpression(source, row)).toEqual(expected);
  });

  it.each(['lower(X)', 'upper(X)', 'trim(X)', 'domain(X)', 'split(X, "@", 1)', 'join(X)', 'coalesce(X)'])(
    '%s over a blank, null or missing input gives "" without an error',
    (source) => {
      for (const row of [{ X: '' }, { X: null }, {}]) expect(evaluateExpression(source, row)).toBe('');
      expect(evaluateExpression('trim(X)', { X: ' \t ' })).toBe('');
    },
  );

  it('reads blank and missing columns as "" in every form', () => {
    for (const row of [{}, { 'Work Email': null }, { 'Work Email': '' }]) {
      expect(evaluateExpression('row["Work Email"].split("@")[0]', row)).toBe('');
      expect(evaluateExpression('row["Work Email"].toLowerCase()', row)).toBe('');
      expect(evaluateExpression('row["Work Email"] == ""', row)).toBe(true);
    }
    // arithmetic still treats a blank as no number: the formula answers "no result"
    expect(evaluateExpression('Score * 2', {})).toBeNull();
  });
});

describe('formulas over a messy 2,000-row list', () => {
  interface EmailCase {
    input: string;
  }
  const { cases } = readCorpus<EmailCase>('hapi-address-email.json');
  // Every fourth field blank, every fourth missing, some only spaces: what a CSV export of a CRM holds.
  const rows = Array.from({ length: 2000 }, (_, i) => {
    const email = cases[i % cases.length]?.input ?? '';
    const row: Record<string, unknown> = { Name: i % 7 === 0 ? '' : `Person ${i} Smith` };
    if (i % 4 === 1) row['Work Email'] = '';
    else if (i % 4 === 2) row['Work Email'] = i % 8 === 2 ? '   ' : null;
    else if (i % 4 === 0) row['Work Email'] = email;
    if (i % 3 !== 0) row.Website = i % 5 === 0 ? '' : `https://www.site${i}.example/path`;
    return row;
  });

  it.each([
    'row["Work Email"].split("@")[1]',
    'lower(row["Work Email"])',
    'domain(row["Work Email"])',
    'coalesce(domain(row["Work Email"]), domain(Website), "unknown")',
    'split(Name, " ", 0) + " at " + domain(Website)',
    'row["Work Email"].trim().toLowerCase() + "|" + upper(Name)',
    'len(row["Work Email"]) > 0 ? "has email" : "no email"',
    'join([Name, row["Work Email"], Website], "; ")',
  ])('%s: 0 errors', async (expression) => {
    const outcomes = { ok: 0, empty: 0, error: [] as string[] };
    for (const row of rows) {
      const result = await runProvider(formulaProvider, { expression }, row);
      if (result.kind === 'ok') outcomes.ok++;
      else if (result.kind === 'empty') outcomes.empty++;
      else outcomes.error.push(result.kind === 'permanent' ? result.message : result.kind);
    }
    expect(outcomes.error).toEqual([]);
    expect(outcomes.ok).toBeGreaterThan(0);
  });
});

describe('renameExpressionColumns', () => {
  const rename = (from: string, to: string) => (reference: string) => (reference === from ? to : undefined);

  it.each([
    ['Web + Website', 'Site + Website'],
    ['row["Web"] + row.Web + row?.Web + row?.["Web"]', 'row["Site"] + row.Site + row?.Site + row?.["Site"]'],
    ['"Web" + ({ Web: 1 }).Web + Company.Web', '"Web" + ({ Web: 1 }).Web + Company.Web'],
    ['Web ? Web : 0', 'Site ? Site : 0'],
  ])('%s → %s', (source, expected) => {
    expect(renameExpressionColumns(source, rename('Web', 'Site'))).toBe(expected);
  });

  it('writes a name that is not an identifier as row["…"], and refuses what it cannot rewrite', () => {
    expect(renameExpressionColumns('lower(Email)', rename('Email', 'Work Email'))).toBe(
      'lower(row["Work Email"])',
    );
    expect(renameExpressionColumns('Email', rename('Email', 'join'))).toBe('row["join"]');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the expression's own template string
    expect(() => renameExpressionColumns('`${Email}`', rename('Email', 'Mail'))).toThrow(
      'cannot rewrite its column names safely',
    );
  });
});

describe('helpers and columns with the same name', () => {
  const row = { domain: 'from-column.io', Email: 'Ada@Acme.IO', lower: 'x' };

  it('reads a bare helper name as the column and a call as the helper', () => {
    expect(evaluateExpression('domain', row)).toBe('from-column.io');
    expect(evaluateExpression('domain(Email)', row)).toBe('acme.io');
    expect(evaluateExpression('domain + " / " + domain(Email) + " / " + lower', row)).toBe(
      'from-column.io / acme.io / x',
    );
    expect(compileExpression('domain(Email) + lower(domain)').columns).toEqual(['Email', 'domain']);
    expect(evaluateExpression('lower', {})).toBe(''); // a missing column, not the function
  });

  it('renames a column named like a helper without touching the calls', () => {
    const rename = (reference: string) => (reference === 'domain' ? 'Company domain' : undefined);
    expect(renameExpressionColumns('domain(Email) + domain', rename)).toBe(
      'domain(Email) + row["Company domain"]',
    );
  });
});
