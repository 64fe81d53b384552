import { defineProvider, type Json, previewValue } from '@glaze/core';
import { z } from 'zod';
import { compileExpression, ExpressionError } from './expression/compile-expression';

const configSchema = z
  .object({
    expression: z
      .string()
      .min(1)
      .default('input')
      .describe('Expression over the row, e.g. row["First Name"] + " " + row["Last Name"] or Score >= 50'),
  })
  .superRefine((config, ctx) => {
    try {
      compileExpression(config.expression);
    } catch (error) {
      ctx.addIssue({ code: 'custom', path: ['expression'], message: (error as Error).message });
    }
  });

/**
 * Computes a value from other columns with the safe expression language of
 * `compileExpression`. A result of null, undefined or '' is "no result".
 */
export const formulaProvider = defineProvider({
  id: 'formula',
  group: 'transform',
  description: 'Computes a value from other columns with a safe expression',
  configSchema,
  display: previewValue,
  // Column references as templates, so Glaze knows what a formula reads; a formula may still
  // answer for blank inputs (`coalesce(Email, "none")`), hence no skipping.
  templates: (config) => compileExpression(config.expression).columns.map((name) => `{{${name}}}`),
  readsWholeRow: (config) => compileExpression(config.expression).readsWholeRow,
  skipWhenInputEmpty: false,
  expressionFields: ['expression'],
  async enrich({ config, row }) {
    let value: unknown;
    try {
      value = compileExpression(config.expression).evaluate(row);
    } catch (error) {
      if (error instanceof ExpressionError) return { kind: 'permanent', message: error.message };
      throw error;
    }
    if (value === undefined || value === null || value === '') return { kind: 'empty' };
    if (typeof value === 'number' && !Number.isFinite(value)) {
      return { kind: 'permanent', message: `expression "${config.expression}" gave ${value}` };
    }
    if (typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') {
      return {
        kind: 'permanent',
        message: `expression "${config.expression}" gave a ${typeof value}, not a value`,
      };
    }
    return { kind: 'ok', value: value as Json };
  },
});
