import { createColumnBody, formatPath, plainIssue } from '@glaze/core';

/**
 * What the form can tell before asking the server: the column's name, checked by the API's own
 * schema, in the words the server would use (`Name is required`). Undefined when it holds.
 * @example checkName('  ') // 'Name is required'
 */
export function checkName(name: string): string | undefined {
  const body = { name, kind: 'enrichment' as const };
  const parsed = createColumnBody.safeParse(body);
  const issue = parsed.error?.issues.find((i) => formatPath(i.path) === 'name');
  return issue ? plainIssue(issue, body) : undefined;
}
