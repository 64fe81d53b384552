import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createColumnBody } from '../src/api/column';
import { fieldLabel, humanizeKey, plainIssue } from '../src/plain-issue';
import { parseOrThrow } from '../src/zod-issues';

/** The plain message of the first issue `schema` finds in `input`. */
function message(schema: z.ZodType, input: unknown): string {
  const parsed = schema.safeParse(input);
  if (parsed.success) throw new Error('expected a failure');
  return plainIssue(parsed.error.issues[0] as z.core.$ZodIssue, input);
}

describe('plain messages from zod issues', () => {
  it('says a missing or empty field is required, with its label', () => {
    expect(message(createColumnBody, { kind: 'enrichment' })).toBe('Name is required');
    expect(message(createColumnBody, { name: '   ', kind: 'enrichment' })).toBe('Name is required');
    expect(message(z.object({ apiKey: z.string() }), {})).toBe('API key is required');
  });

  it('names the type a value must have', () => {
    expect(message(z.object({ latencyMs: z.number() }), { latencyMs: 'soon' })).toBe(
      'Latency ms must be a number',
    );
    expect(message(z.object({ on: z.boolean() }), { on: 'yes' })).toBe('On must be true or false');
    expect(message(z.object({ rows: z.array(z.string()) }), { rows: 'a' })).toBe('Rows must be a list');
    expect(message(z.object({ n: z.number().int() }), { n: 1.5 })).toMatch(
      /^N must be (a whole number|an integer)/,
    );
  });

  it('gives bounds in words: numbers, text length, list items', () => {
    expect(message(z.object({ latencyMs: z.number().min(0) }), { latencyMs: -5 })).toBe(
      'Latency ms must be at least 0',
    );
    expect(message(z.object({ rate: z.number().max(1) }), { rate: 2 })).toBe('Rate must be at most 1');
    expect(message(z.object({ code: z.string().max(3) }), { code: 'abcd' })).toBe(
      'Code must be at most 3 characters',
    );
    expect(message(z.object({ steps: z.array(z.string()).min(1) }), { steps: [] })).toBe(
      'Steps must have at least 1 step',
    );
    expect(message(z.object({ price: z.number().positive() }), { price: 0 })).toBe(
      'Price must be more than 0',
    );
  });

  it('explains URLs, emails, choices and unknown fields', () => {
    expect(message(z.object({ url: z.url({ protocol: /^https?$/ }) }), { url: 'ftp:/x' })).toBe(
      'URL must be a URL starting with http:// or https://',
    );
    expect(message(z.object({ email: z.email() }), { email: 'nope' })).toBe('Email must be an email address');
    expect(message(z.object({ method: z.enum(['GET', 'POST']) }), { method: 'PUT' })).toBe(
      'Method must be one of: "GET", "POST"',
    );
    expect(message(z.strictObject({ a: z.string() }), { a: 'x', b: 1 })).toBe(
      'The request has an unknown field: "b"',
    );
  });

  it('keeps messages our schemas wrote, after the label', () => {
    const id = z.object({ id: z.string().regex(/^\d+$/, 'must be digits') });
    expect(message(id, { id: 'x' })).toBe('ID must be digits');
  });

  it('labels fields inside list items by their item', () => {
    expect(fieldLabel(['steps', 1, 'config', 'url'])).toBe('Step 2 URL');
    expect(fieldLabel(['steps', 0, 'config', 'latencyMs'])).toBe('Step 1 latency ms');
    expect(fieldLabel(['rows', 2])).toBe('Row 3');
    expect(fieldLabel([])).toBe('The request');
    expect(humanizeKey('maxTokens')).toBe('Max tokens');
  });

  it('is what parseOrThrow answers, with the path kept apart', () => {
    const schema = z.object({ steps: z.array(z.object({ provider: z.string().min(1) })).min(1) });
    expect(() => parseOrThrow(schema, { steps: [{}] }, 'config')).toThrow(
      'config.steps[0].provider: Step 1 provider is required',
    );
    expect(() => parseOrThrow(schema, { steps: [] }, 'config')).toThrow(
      'config.steps: Steps must have at least 1 step',
    );
  });
});
