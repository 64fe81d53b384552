import { oneLine } from './preview-value';

type Check = Record<string, unknown> & { valid?: unknown; reason?: unknown };

/** `✗ invalid: <reason>` for a validator's `{ valid: false, reason }`; undefined for anything else. */
function invalid(value: unknown): string | undefined {
  const check = value as Check | null;
  if (check === null || typeof check !== 'object' || check.valid !== false) return undefined;
  return oneLine(`✗ invalid: ${String(check.reason ?? 'no reason given')}`);
}

const flags = (check: Check, names: Record<string, string>) =>
  Object.entries(names)
    .filter(([key]) => check[key] === true)
    .map(([, label]) => ` · ${label}`)
    .join('');

/**
 * The `email` provider's result in one line.
 * @example displayEmail({ valid: true, freeMail: true, … }) // '✓ valid · free mail'
 * @example displayEmail({ valid: false, reason: 'domain "x" does not end in a known top-level domain' }) // '✗ invalid: domain "x" does not …'
 */
export function displayEmail(value: unknown): string {
  const check = value as Check;
  return (
    invalid(value) ??
    `✓ valid${flags(check, { disposable: 'disposable', freeMail: 'free mail', reserved: 'reserved domain' })}`
  );
}

/** The `url` provider's result: `✓ https://acme.io/about`, or why not. */
export function displayUrl(value: unknown): string {
  return invalid(value) ?? oneLine(`✓ ${String((value as Check).url ?? '')}`);
}

/** The `phone` provider's result: `✓ +44 7400 123456 · mobile`, or why not. */
export function displayPhone(value: unknown): string {
  const check = value as Check;
  if (invalid(value)) return invalid(value) as string;
  const type = typeof check.lineType === 'string' ? ` · ${check.lineType.replace(/_/g, ' ')}` : '';
  return oneLine(`✓ ${String(check.international ?? check.e164 ?? '')}${type}`);
}

/** The `name` provider's parts, labelled: `first: Ada · last: Lovelace`. */
export function displayNameParts(value: unknown): string {
  const parts = (value ?? {}) as Record<string, unknown>;
  const shown = ['prefix', 'first', 'middle', 'last', 'suffix', 'nickname']
    .filter((key) => typeof parts[key] === 'string' && parts[key] !== '')
    .map((key) => `${key}: ${parts[key]}`);
  return oneLine(shown.length > 0 ? shown.join(' · ') : '—');
}
