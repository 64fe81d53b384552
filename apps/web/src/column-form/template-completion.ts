/** An open `{{…` before the caret, and the column names that match what was typed after it. */
export interface Completion {
  /** Index of the `{{` that opened the placeholder. */
  start: number;
  query: string;
  options: string[];
}

/**
 * What to suggest while typing a template: after `{{` with no closing `}}` yet, the column names
 * containing the typed text (prefix matches first).
 * @example templateCompletion('Hi {{Fi', 7, ['First Name', 'Email']) // { start: 3, query: 'Fi', options: ['First Name'] }
 */
export function templateCompletion(
  text: string,
  caret: number,
  names: readonly string[],
): Completion | undefined {
  const before = text.slice(0, caret);
  const start = before.lastIndexOf('{{');
  if (start < 0 || before.indexOf('}}', start) >= 0) return undefined;
  const query = before.slice(start + 2).trimStart();
  if (query.includes('\n')) return undefined;
  const needle = query.toLowerCase();
  const prefix = names.filter((n) => n.toLowerCase().startsWith(needle));
  const inner = names.filter((n) => !n.toLowerCase().startsWith(needle) && n.toLowerCase().includes(needle));
  const options = [...prefix, ...inner].slice(0, 8);
  return options.length ? { start, query, options } : undefined;
}

/** Replaces the open placeholder with `{{name}}` (eating a `}}` already after the caret). */
export function applyCompletion(text: string, caret: number, completion: Completion, name: string) {
  const rest = text.slice(caret);
  const after = rest.replace(/^[^{}\n]*\}\}/, '');
  const inserted = `{{${name}}}`;
  return {
    text: text.slice(0, completion.start) + inserted + after,
    caret: completion.start + inserted.length,
  };
}
