/** A piece of pretty-printed JSON and what it is, for colouring. */
export interface JsonToken {
  kind: 'key' | 'string' | 'number' | 'boolean' | 'null' | 'punct' | 'space';
  text: string;
}

// One alternative per token kind; `key` is a string followed by a colon. JSON.stringify's output
// only, so no comments, single quotes or trailing commas to handle.
const token =
  /("(?:[^"\\]|\\.)*")(\s*:)?|(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)|(true|false)|(null)|([{}[\],:])|(\s+)/g;

/**
 * Pretty-prints a value as JSON (2-space indent) split into tokens: a small highlighter, so the
 * detail panel needs no syntax-highlighting library. Joining the texts gives the JSON back.
 * @example highlightJson({ a: 1 }) // [{kind:'punct',text:'{'}, {kind:'space',…}, {kind:'key',text:'"a"'}, …]
 */
export function highlightJson(value: unknown): JsonToken[] {
  const json = JSON.stringify(value, null, 2) ?? 'undefined';
  const tokens: JsonToken[] = [];
  for (const match of json.matchAll(token)) {
    const [, string, colon, number, boolean, nil, punct, space] = match;
    if (string !== undefined) {
      tokens.push({ kind: colon ? 'key' : 'string', text: string });
      if (colon) tokens.push({ kind: 'punct', text: colon });
    } else if (number !== undefined) tokens.push({ kind: 'number', text: number });
    else if (boolean !== undefined) tokens.push({ kind: 'boolean', text: boolean });
    else if (nil !== undefined) tokens.push({ kind: 'null', text: nil });
    else if (punct !== undefined) tokens.push({ kind: 'punct', text: punct });
    else tokens.push({ kind: 'space', text: space ?? '' });
  }
  return tokens;
}
