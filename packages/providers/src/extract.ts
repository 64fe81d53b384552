import { defineProvider, type Json, lookup, previewValue, readPath } from '@glaze/core';
import { z } from 'zod';

const configSchema = z.object({
  source: z.string().min(1).default('input').describe('Name of the column whose JSON value to read'),
  path: z
    .string()
    .regex(/^[^.[\]]*(?:(?:\.[^.[\]]+)|\[\d+\])*$/, 'must look like a.b[0].c')
    .default('')
    .describe('Path into that value, e.g. company.domain or people[0].email; empty keeps the whole value'),
});

/**
 * Reads one field of another column's JSON value, e.g. the domain out of an `http` column's
 * answer. A column that holds JSON as text (imported from CSV) is parsed first.
 */
export const extractProvider = defineProvider({
  id: 'extract',
  group: 'transform',
  description: "Reads a field out of another column's JSON value",
  configSchema,
  display: previewValue,
  // A blank source column means nothing to extract: the cell is skipped, not failed.
  templates: (config) => [`{{${config.source}}}`],
  skipWhenInputEmpty: true,
  async enrich({ config, row }) {
    let value = lookup(row, config.source);
    if (typeof value === 'string' && /^\s*[[{]/.test(value)) {
      try {
        value = JSON.parse(value);
      } catch (error) {
        return {
          kind: 'permanent',
          message: `config.source: column "${config.source}" holds text that is not valid JSON (${(error as Error).message})`,
        };
      }
    }
    const found = readPath(value, config.path);
    if (found === undefined || found === null || found === '') return { kind: 'empty' };
    return { kind: 'ok', value: found as Json };
  },
});
