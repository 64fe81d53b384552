import type { RowValues } from '@glaze/core';
import { type CompiledExpression, compileExpression } from '@glaze/providers';

/** A cell a `runIf` decided about without a provider call. */
export interface RunIfOutcome {
  status: 'skipped' | 'error';
  error: string;
}

/** Compiles a column's runIf once per run (undefined: always run). */
export function compileRunIf(source: string | undefined): CompiledExpression | undefined {
  return source === undefined ? undefined : compileExpression(source);
}

/**
 * Evaluates a runIf against one row: undefined when the cell should run; `skipped` when the
 * condition is falsy (no call, no cost); `error` when evaluating it failed (e.g. a method of a
 * missing value), naming `config.runIf`.
 */
export function checkRunIf(runIf: CompiledExpression | undefined, row: RowValues): RunIfOutcome | undefined {
  if (!runIf) return undefined;
  let value: unknown;
  try {
    value = runIf.evaluate(row);
  } catch (error) {
    return { status: 'error', error: `config.runIf: ${(error as Error).message}` };
  }
  return value ? undefined : { status: 'skipped', error: `runIf is false: ${runIf.source}` };
}
