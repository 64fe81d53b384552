import { AppError } from '@glaze/core';

const namePattern = /^[A-Za-z_][A-Za-z0-9_]{0,99}$/;

/** A secret's name as templates use it (`{{secret.OPENAI_API_KEY}}`); throws naming the rule. */
export function checkSecretName(name: string): string {
  if (!namePattern.test(name)) {
    throw new AppError(
      'validation_failed',
      `"${name}" is not a valid secret name: use letters, digits and _, not starting with a digit, at most 100 characters`,
      'name',
    );
  }
  return name;
}

/** Bound into each ciphertext as associated data, so a value copied to another row does not decrypt. */
export function secretContext(workspaceId: number, name: string): string {
  return `workspace:${workspaceId}/secret:${name}`;
}
