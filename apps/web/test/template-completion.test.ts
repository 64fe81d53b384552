import { describe, expect, it } from 'vitest';
import { applyCompletion, templateCompletion } from '../src/column-form/template-completion';

const names = ['First Name', 'Email', 'Company domain', 'Name score'];

describe('template completion', () => {
  it('suggests column names after an open {{, prefix matches first', () => {
    const text = 'Hi {{na';
    expect(templateCompletion(text, text.length, names)).toEqual({
      start: 3,
      query: 'na',
      options: ['Name score', 'First Name'],
    });
  });

  it('suggests every column right after {{ and nothing once closed', () => {
    expect(templateCompletion('{{', 2, names)?.options).toEqual(names);
    expect(templateCompletion('{{Email}} ', 10, names)).toBeUndefined();
    expect(templateCompletion('plain', 5, names)).toBeUndefined();
  });

  it('inserts the chosen name and closes the placeholder once', () => {
    const text = 'Hi {{Fi}} there';
    const completion = templateCompletion(text, 7, names)!;
    expect(applyCompletion(text, 7, completion, 'First Name')).toEqual({
      text: 'Hi {{First Name}} there',
      caret: 17,
    });
  });
});
