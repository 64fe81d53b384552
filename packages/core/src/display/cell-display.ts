import { displayEmail, displayNameParts, displayPhone, displayUrl } from './display-check';
import { oneLine, previewAnswer, previewValue } from './preview-value';

/** One line (≤ 80 characters) for a cell's value, as its provider shows it. */
export type CellDisplay = (value: unknown) => string;

/**
 * A `waterfall` value `{ provider, step, value }`: the answer as its step's provider shows it,
 * then which step answered.
 * @example displayWaterfall({ provider: 'http', step: 1, value: { domain: 'acme.io' } }) // 'acme.io · via http (step 2)'
 */
export function displayWaterfall(value: unknown): string {
  const answer = (value ?? {}) as { provider?: unknown; step?: unknown; value?: unknown };
  if (typeof answer.provider !== 'string') return previewValue(value);
  const via = ` · via ${answer.provider}${typeof answer.step === 'number' ? ` (step ${answer.step + 1})` : ''}`;
  const shown = displayCell(answer.provider, answer.value);
  return oneLine(shown, 80 - via.length) + via;
}

/**
 * Each built-in provider's display, by provider id; the web grid and the providers read this one
 * table (each provider declares its entry as `display`, and the catalog test holds them equal).
 */
export const cellDisplays: Readonly<Record<string, CellDisplay>> = {
  email: displayEmail,
  url: displayUrl,
  phone: displayPhone,
  name: displayNameParts,
  waterfall: displayWaterfall,
  http: previewAnswer,
  llm: previewAnswer,
  extract: previewValue,
  formula: previewValue,
  mock: previewValue,
};

/**
 * A cell's value in one line, by the display of the provider that made it (a preview for a
 * provider without one). '' for no value: the grid draws "no result" for that itself.
 * @example displayCell('email', { valid: false, input: 'x', reason: 'missing @' }) // '✗ invalid: missing @'
 */
export function displayCell(provider: string | null | undefined, value: unknown): string {
  if (value === null || value === undefined) return '';
  const display = (provider && cellDisplays[provider]) || previewValue;
  return display(value);
}
