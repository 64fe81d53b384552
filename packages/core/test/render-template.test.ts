import { describe, expect, it } from 'vitest';
import { renderTemplate } from '../src/template';

describe('renderTemplate', () => {
  const row = {
    Name: 'Ada',
    'First name': 'Ada',
    Company: { domain: 'x.com', tags: ['a', 'b'] },
    n: 0,
    blank: null,
  };

  it('fills each placeholder, trimmed, by column name or path, and keeps the text around them', () => {
    expect(renderTemplate('Hi {{Name}}!', row)).toBe('Hi Ada!');
    expect(renderTemplate('{{ First name }}@{{Company.domain}}', row)).toBe('Ada@x.com');
    expect(renderTemplate('{{Name}}{{Name}}', row)).toBe('AdaAda');
    expect(renderTemplate('{{Company.tags[1]}} {{n}}', row)).toBe('b 0');
    expect(renderTemplate('no placeholder', row)).toBe('no placeholder');
    expect(renderTemplate('', row)).toBe('');
  });

  it('renders missing and null values as empty text, secrets from the secrets, and `$` patterns literally', () => {
    expect(renderTemplate('[{{Missing}}][{{blank}}]', row)).toBe('[][]');
    expect(renderTemplate('key={{secret.API}};other={{secret.NONE}}', row, { API: 'k$&1' })).toBe(
      'key=k$&1;other=',
    );
    expect(renderTemplate('{{Name}}', { Name: "$' and $1" })).toBe("$' and $1");
    // an unclosed or empty placeholder is text
    expect(renderTemplate('{{Name} {{}} {{ Name }}', row)).toBe('{{Name} {{}} Ada');
  });

  it('renders the same template for many rows (split once, cached)', () => {
    const rows = Array.from({ length: 3 }, (_, i) => ({ Name: `r${i}` }));
    expect(rows.map((r) => renderTemplate('<{{Name}}>', r))).toEqual(['<r0>', '<r1>', '<r2>']);
  });
});
