import type { Cell } from '@glaze/core';
import { describe, expect, it } from 'vitest';
import { cellHistory } from '../src/table/cell-history';
import { highlightJson } from '../src/ui/highlight-json';

describe('highlightJson', () => {
  it('gives back the pretty-printed JSON and tells keys from string values', () => {
    const value = {
      email: 'ada@acme.io',
      'a "quoted": key': 'x:y',
      valid: true,
      score: -1.5e3,
      none: null,
      list: [1, 'two'],
    };
    const tokens = highlightJson(value);
    expect(tokens.map((t) => t.text).join('')).toBe(JSON.stringify(value, null, 2));
    const kinds = (kind: string) => tokens.filter((t) => t.kind === kind).map((t) => t.text);
    expect(kinds('key')).toEqual([
      '"email"',
      '"a \\"quoted\\": key"',
      '"valid"',
      '"score"',
      '"none"',
      '"list"',
    ]);
    expect(kinds('string')).toEqual(['"ada@acme.io"', '"x:y"', '"two"']);
    expect(kinds('boolean')).toEqual(['true']);
    expect(kinds('number')).toEqual(['-1500', '1']);
    expect(kinds('null')).toEqual(['null']);
  });

  it('handles scalars and a string holding JSON-looking text', () => {
    expect(highlightJson('{"a": 1}')).toEqual([{ kind: 'string', text: '"{\\"a\\": 1}"' }]);
    expect(highlightJson(42)).toEqual([{ kind: 'number', text: '42' }]);
  });
});

const base: Cell = {
  id: 1,
  status: 'done',
  value: null,
  error: null,
  attempt: 1,
  tries: 1,
  runId: 3,
  cost: null,
  meta: null,
  startedAt: '2026-11-30T10:00:00.000Z',
  finishedAt: '2026-11-30T10:00:01.250Z',
  seq: 9,
  largeValueBytes: null,
};

describe('cellHistory', () => {
  it('reads waterfall steps, throttling, tries and duration from the cell', () => {
    const history = cellHistory({
      ...base,
      value: { provider: 'email', step: 1, value: {} },
      tries: 2,
      meta: {
        throttled: 3,
        attempts: [
          { step: 0, provider: 'http', outcome: 'failed', message: 'HTTP 410 Gone' },
          { step: 1, provider: 'email', outcome: 'ok' },
          { nonsense: true },
        ],
      },
    });
    expect(history).toEqual({
      tries: '2 tries (attempt 1)',
      seconds: 1.25,
      throttled: 3,
      steps: [
        { step: 1, provider: 'http', outcome: 'failed', message: 'HTTP 410 Gone' },
        { step: 2, provider: 'email', outcome: 'ok' },
      ],
      noResult: false,
    });
  });

  it('tells a finished cell with no value (no result) from one not finished', () => {
    expect(cellHistory({ ...base, meta: { empty: true } }).noResult).toBe(true);
    expect(cellHistory({ ...base, status: 'queued', finishedAt: null }).noResult).toBe(false);
    expect(cellHistory({ ...base, status: 'queued', finishedAt: null }).seconds).toBeUndefined();
  });
});

describe('cellHistory tries', () => {
  it('says a skipped cell was not called', () => {
    expect(cellHistory({ ...base, status: 'skipped', tries: 0 }).tries).toBe('not called');
    expect(cellHistory({ ...base, tries: 1 }).tries).toBe('1 try');
  });
});
