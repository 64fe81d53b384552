import { describe, expect, it } from 'vitest';
import { exportUrl } from '../src/api/tables';

describe('exportUrl', () => {
  it('is the plain export without a query, with excel=true when asked', () => {
    expect(exportUrl(7)).toBe('/api/v1/tables/7/export');
    expect(exportUrl(7, { excel: true })).toBe('/api/v1/tables/7/export?excel=true');
  });

  it('carries the search, filter and sort as the rows API takes them', () => {
    const url = new URL(
      exportUrl(7, {
        excel: true,
        query: {
          q: 'zürich & co',
          filter: { and: [{ column: 3, op: 'status', value: ['error'] }] },
          sort: { column: 2, direction: 'desc' },
        },
      }),
      'http://glaze.test',
    );
    expect(url.pathname).toBe('/api/v1/tables/7/export');
    expect(url.searchParams.get('q')).toBe('zürich & co');
    expect(JSON.parse(url.searchParams.get('filter') ?? '')).toEqual({
      and: [{ column: 3, op: 'status', value: ['error'] }],
    });
    expect(JSON.parse(url.searchParams.get('sort') ?? '')).toEqual({ column: 2, direction: 'desc' });
    expect(url.searchParams.get('excel')).toBe('true');
  });
});
