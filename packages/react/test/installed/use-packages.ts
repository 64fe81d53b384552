// Type-checked (tsc --noEmit, nodenext) against the installed packages' .d.ts, never run.
import { createGlazeClient, type GlazeError } from '@glaze/client';
import { type RealtimeSnapshot, useRealtimeEnrichment } from '@glaze/react';

const glaze = createGlazeClient({ baseUrl: 'http://127.0.0.1:3000' });
const { tables } = await glaze.listTables();
export const names: string[] = tables.map((table) => table.name);
// @ts-expect-error: a table's name is a string
await glaze.createTable({ body: { name: 7 } });
export const where = (error: GlazeError): string | null => error.path;
export const status = (snapshot: RealtimeSnapshot): 'live' | string => snapshot.status;
export const hook: (tableId: number) => RealtimeSnapshot = (tableId) =>
  useRealtimeEnrichment(tableId, { baseUrl: '/api/v1', rows: { limit: 10 } });
