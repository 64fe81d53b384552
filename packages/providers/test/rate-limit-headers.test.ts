import { describe, expect, it } from 'vitest';
import { parseDuration, quotaWaitMs } from '../src/net/quota-wait';
import { templateHost } from '../src/support/template-host';

describe('quota headers on a successful answer', () => {
  const now = Date.parse('2026-11-30T12:00:00Z');
  it('waits for the reset once no calls remain, in OpenAI, GitHub and IETF spellings', () => {
    const wait = (headers: Record<string, string>) => quotaWaitMs(new Headers(headers), now);
    expect(wait({ 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '6m0s' })).toBe(
      360_000,
    );
    expect(wait({ 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '20ms' })).toBe(20);
    expect(wait({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 30) })).toBe(30_000);
    expect(wait({ 'ratelimit-remaining': '0', 'ratelimit-reset': '2' })).toBe(2000);
  });

  it('does not wait while calls remain, or when the headers are missing or unreadable', () => {
    const wait = (headers: Record<string, string>) => quotaWaitMs(new Headers(headers), now);
    expect(
      wait({ 'x-ratelimit-remaining-requests': '12', 'x-ratelimit-reset-requests': '1s' }),
    ).toBeUndefined();
    expect(wait({})).toBeUndefined();
    expect(wait({ 'x-ratelimit-remaining': '0' })).toBeUndefined(); // no reset: nothing to wait for
    expect(
      wait({ 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': 'soon' }),
    ).toBeUndefined();
  });

  it('reads Go durations as OpenAI sends them, capped at an hour', () => {
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration('1h2m3s')).toBe(3_600_000);
    expect(parseDuration('2m30s')).toBe(150_000);
    expect(parseDuration('')).toBeUndefined();
    expect(parseDuration('5')).toBeUndefined();
  });
});

describe('the host a URL template always calls', () => {
  it('is the literal host, lower case, with a port unless it is the default', () => {
    expect(templateHost('https://API.Example.com/v1/people?email={{Email}}')).toBe('api.example.com');
    expect(templateHost('http://localhost:8080/x')).toBe('localhost:8080');
    expect(templateHost('https://api.example.com:443/x')).toBe('api.example.com');
    expect(templateHost('https://api.example.com')).toBe('api.example.com');
  });

  it('is unknown when the row decides the host', () => {
    expect(templateHost('{{Website}}/about')).toBeUndefined();
    expect(templateHost('https://{{Domain}}/x')).toBeUndefined();
    expect(templateHost('https://api.{{Region}}.example.com/x')).toBeUndefined();
    expect(templateHost('https://user:pw@api.example.com/x')).toBeUndefined();
  });
});
