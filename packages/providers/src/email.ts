import { domainToASCII, domainToUnicode } from 'node:url';
import { defineProvider, displayEmail, type Json } from '@glaze/core';
import { analyzeEmail } from '@hapi/address';
import { z } from 'zod';
import { isDisposableDomain, isFreeMailDomain } from './support/domain-lists';
import { parseDomain } from './support/parse-domain';
import { isReservedDomain } from './support/reserved-domains';

const configSchema = z.object({
  input: z.string().default('{{email}}').describe('Template for the email address to check'),
});

export type EmailCheck =
  | {
      valid: true;
      email: string;
      local: string;
      domain: string;
      freeMail: boolean;
      disposable: boolean;
      reserved: boolean;
    }
  | { valid: false; input: string; reason: string };

/**
 * Checks an address with `@hapi/address` (RFC 5321 lengths, RFC 5322 dot-atoms, RFC 6531 UTF-8
 * local parts and IDN domains), then requires a top-level domain on the public suffix list (tldts),
 * and normalises it: trimmed, a `mailto:` prefix dropped, domain lower-cased and punycoded, local
 * part kept as written (some servers treat it case-sensitively). Nothing is cut off: `ada@acme.io/evil` is invalid, not
 * `ada@acme.io`.
 * @example checkEmail(' Ada@Example.COM ') // { valid: true, email: 'Ada@example.com', reserved: true, … }
 */
export function checkEmail(raw: string): EmailCheck {
  const input = raw.trim().replace(/^mailto:/i, '');
  const problem = analyzeEmail(input);
  if (problem) return { valid: false, input, reason: reasonFor(problem.error, input) };
  const at = input.lastIndexOf('@');
  const local = input.slice(0, at);
  const written = input.slice(at + 1);
  // Lower-cases and punycodes (bücher.de → xn--bcher-kva.de). IDNA mapping also deletes some
  // characters (a zero-width space) and folds others (full-width letters): that would be a rewrite.
  const domain = domainToASCII(written);
  if (domain === '' || idnaRewrites(written, domain)) {
    return { valid: false, input, reason: `domain "${written}" has characters that IDNA removes or maps` };
  }
  const parsed = parseDomain(domain);
  if (!parsed.isIcann) {
    return { valid: false, input, reason: `domain "${written}" does not end in a known top-level domain` };
  }
  // Lists name the mail domain; also try the registrable domain so mail.yahoo.co.uk counts as yahoo.co.uk.
  const registrable = parsed.domain ?? domain;
  const reserved = isReservedDomain(domain);
  return {
    valid: true,
    email: `${local}@${domain}`,
    local,
    domain,
    freeMail: !reserved && (isFreeMailDomain(domain) || isFreeMailDomain(registrable)),
    disposable: !reserved && isDisposableDomain(domain),
    reserved,
  };
}

/** Whether punycoding changed more than case and NFC: each label must come back as written. */
function idnaRewrites(written: string, ascii: string): boolean {
  const expected = written.toLowerCase().normalize('NFC').split('.');
  const labels = ascii.split('.');
  if (labels.length !== expected.length) return true;
  return labels.some((label, i) => label !== expected[i] && domainToUnicode(label) !== expected[i]);
}

/** The library's message ("Domain contains invalid character"), lower-cased and with the domain named. */
function reasonFor(message: string, input: string): string {
  const text = message.charAt(0).toLowerCase() + message.slice(1);
  const at = input.lastIndexOf('@');
  const domain = at >= 0 ? input.slice(at + 1) : '';
  return text.startsWith('domain') && domain !== '' ? `${text}: "${domain}"` : text;
}

/** Email syntax check and classification. Offline: no DNS or SMTP probe. */
export const emailProvider = defineProvider({
  id: 'email',
  group: 'validate',
  description: 'Validates and normalises an email address; flags free-mail and disposable domains',
  configSchema,
  display: displayEmail,
  templates: (config) => [config.input],
  async enrich({ config, render }) {
    const text = render(config.input);
    if (text.trim() === '') return { kind: 'empty' };
    // An invalid address is an answer, not a failure: the cell shows why.
    return { kind: 'ok', value: checkEmail(text) as Json };
  },
});
