import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from './enrich/usage-error';

/**
 * `parseArgs` for a command: an unknown or malformed option becomes a UsageError that carries the
 * command's help, so main prints it on one line instead of a stack.
 */
export function parseCommandLine<T extends ParseArgsConfig>(
  config: T,
  help: string,
): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${help}`);
  }
}
