import { domainToASCII } from 'node:url';
import { defineProvider, type Json } from '@glaze/core';
import { getDomain } from 'tldts';
import { z } from 'zod';
import { isDisposableDomain, isFreeMailDomain } from './support/domain-lists';

const configSchema = z.object({
  input: z.string().default('{{email}}').describe('Template for the email address to check'),
});

export type EmailCheck =
  | { valid: true; email: string; local: string; domain: string; freeMail: boolean; disposable: boolean }
  | { valid: false; input: string; reason: string };

// RFC 5322 dot-atom characters. Quoted local parts ("john doe"@x.com) are legal but almost never
// real addresses in a lead list, so they are reported invalid rather than half-supported.
const atom = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~\u0080-\uFFFF-]+$/;
const label = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * Checks an address's syntax and normalises it: trimmed, domain lower-cased and punycoded,
 * local part kept as written (some servers treat it case-sensitively).
 * @example checkEmail(' Ada@Example.COM ') // { valid: true, email: 'Ada@example.com', … }
 */
export function checkEmail(raw: string): EmailCheck {
  const input = raw.trim().replace(/^mailto:/i, '');
  const invalid = (reason: string): EmailCheck => ({ valid: false, input, reason });
  const at = input.lastIndexOf('@');
  if (at < 0) return invalid('missing "@"');
  const local = input.slice(0, at);
  const rawDomain = input.slice(at + 1);
  if (local === '') return invalid('nothing before "@"');
  if (local.length > 64) return invalid('part before "@" is longer than 64 characters');
  if (local.split('.').some((part) => !atom.test(part))) {
    return invalid(`part before "@" ("${local}") has a character that is not allowed or a misplaced dot`);
  }
  if (rawDomain === '') return invalid('nothing after "@"');
  // domainToASCII lower-cases and punycodes (bücher.de → xn--bcher-kva.de); '' means not a hostname.
  const domain = domainToASCII(rawDomain.replace(/\.$/, ''));
  if (domain === '') return invalid(`domain "${rawDomain}" is not a valid host name`);
  if (domain.length > 253) return invalid('domain is longer than 253 characters');
  const labels = domain.split('.');
  if (labels.length < 2) return invalid(`domain "${rawDomain}" has no top-level domain`);
  if (!labels.every((l) => label.test(l))) return invalid(`domain "${rawDomain}" is not a valid host name`);
  if (!/^(?:[a-z]{2,63}|xn--[a-z0-9-]+)$/.test(labels.at(-1) ?? '')) {
    return invalid(`domain "${rawDomain}" does not end in a top-level domain`);
  }
  // Lists name the mail domain; also try the registrable domain so mail.yahoo.co.uk counts as yahoo.co.uk.
  const registrable = getDomain(domain) ?? domain;
  return {
    valid: true,
    email: `${local}@${domain}`,
    local,
    domain,
    freeMail: isFreeMailDomain(domain) || isFreeMailDomain(registrable),
    disposable: isDisposableDomain(domain),
  };
}

/** Email syntax check and classification. Offline: no DNS or SMTP probe. */
export const emailProvider = defineProvider({
  id: 'email',
  description: 'Validates and normalises an email address; flags free-mail and disposable domains',
  configSchema,
  templates: (config) => [config.input],
  async enrich({ config, render }) {
    const text = render(config.input);
    if (text.trim() === '') return { kind: 'empty' };
    // An invalid address is an answer, not a failure: the cell shows why.
    return { kind: 'ok', value: checkEmail(text) as Json };
  },
});
