import type { RunTimeline } from '@glaze/core';
import { describe, expect, it } from 'vitest';
import { throttledNote, timelineFacts } from '../src/runs/timeline-facts';

const timeline = (over: Partial<RunTimeline> = {}): RunTimeline => ({
  runId: 7,
  startedAt: '2026-11-30T15:00:00.000Z',
  finishedAt: '2026-11-30T15:00:04.000Z',
  cells: 1200,
  latencyMs: { p50: 412.4, p95: 1830, max: 2400 },
  peakConcurrency: 32,
  callsPerSecond: 301.25,
  retries: 3,
  throttled: 0,
  errors: 2,
  cost: 0.12,
  spans: [],
  ...over,
});

describe('timeline facts', () => {
  it('says each figure in plain units', () => {
    const facts = Object.fromEntries(timelineFacts(timeline()).map((f) => [f.label, f.value]));
    expect(facts).toEqual({
      Cells: '1,200',
      Latency: 'p50 412 ms · p95 1.83 s',
      'Peak in flight': '32',
      'Calls / second': '301.3',
      Retries: '3',
      '429s': '0',
      Errors: '2',
      Cost: '0.12',
    });
  });

  it('shows a dash for figures a run without finished cells has not got', () => {
    const facts = timelineFacts(
      timeline({ cells: 0, latencyMs: { p50: null, p95: null, max: null }, callsPerSecond: null }),
    );
    expect(facts.find((f) => f.label === 'Latency')?.value).toBe('p50 — · p95 —');
    expect(facts.find((f) => f.label === 'Calls / second')?.value).toBe('—');
  });

  it('says "throttled by the provider" only when it answered 429', () => {
    expect(throttledNote(timeline())).toBeUndefined();
    expect(throttledNote(timeline({ throttled: 1 }))).toMatch(
      /^Throttled by the provider: it answered 429 .* to 1 call,/,
    );
    expect(throttledNote(timeline({ throttled: 1500 }))).toContain('to 1,500 calls');
  });
});
