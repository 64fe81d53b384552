import { GlazeError } from '@glaze/client';
import { describe, expect, it } from 'vitest';
import { withRetryKey } from '../src/api/retry-key';

/** Records each key a start was sent with, answering as told. */
function server(...answers: Array<'ok' | Error>) {
  const keys: string[] = [];
  const start = async (key: string) => {
    keys.push(key);
    const answer = answers.shift();
    if (answer instanceof Error) throw answer;
    return { run: keys.length };
  };
  return { keys, start };
}

describe('a click that starts runs keeps its Idempotency-Key until the start is settled', () => {
  it('after an outage or a dropped connection, the next click of the same thing sends the same key', async () => {
    const { keys, start } = server(
      new GlazeError(503, 'database_unavailable', 'the database is unreachable'),
      new TypeError('Failed to fetch'),
      'ok',
      'ok',
    );
    await expect(withRetryKey('column:1:2:"all"', start)).rejects.toThrow('unreachable');
    await expect(withRetryKey('column:1:2:"all"', start)).rejects.toThrow('Failed to fetch');
    await withRetryKey('column:1:2:"all"', start);
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).toBe(keys[0]);
    expect(keys[0]).toMatch(/^[0-9a-f]{32}$/);
    // answered: the next click is a new request
    await withRetryKey('column:1:2:"all"', start);
    expect(keys[3]).not.toBe(keys[0]);
  });

  it('an answer the server meant (a 4xx) settles the click; other actions have keys of their own', async () => {
    const { keys, start } = server(
      new GlazeError(400, 'validation_failed', 'matches no rows', 'scope.filter'),
      new GlazeError(503, 'database_unavailable', 'the database is unreachable'),
      'ok',
      'ok',
    );
    await expect(withRetryKey('table:1:"all"', start)).rejects.toThrow('matches no rows');
    await expect(withRetryKey('table:1:"all"', start)).rejects.toThrow('unreachable');
    await withRetryKey('table:1:"empty"', start);
    await withRetryKey('table:1:"all"', start);
    expect(keys[1]).not.toBe(keys[0]);
    expect(keys[2]).not.toBe(keys[1]);
    expect(keys[3]).toBe(keys[1]);
  });
});
