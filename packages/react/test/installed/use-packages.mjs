// Plain Node ESM (no tsx), run in a project that installed the packed tarballs: one operation,
// subscribe() and @glaze/react's RealtimeTable against the Glaze at GLAZE_URL. Prints what it saw as JSON.
import { createGlazeClient, GlazeError } from '@glaze/client';
import { RealtimeTable, useRealtimeEnrichment } from '@glaze/react';

const baseUrl = process.env.GLAZE_URL;
const token = process.env.GLAZE_TOKEN;
const glaze = createGlazeClient({ baseUrl, token });

const { table } = await glaze.importTable({ params: { query: { name: 'Packed' } }, body: 'name\nAda\n' });
const id = String(table.id);

const stop = new AbortController();
let changedRows = 0;
await glaze.subscribe(table.id, {
  signal: stop.signal,
  onEvent: async (event) => {
    if (event.event === 'ready')
      await glaze.insertRows({ params: { path: { id } }, body: { rows: [{ name: 'Bo' }] } });
  },
  onChanges: (changes) => {
    changedRows += changes.rows.length;
    stop.abort();
  },
});

const failed = await glaze.createTable({ body: { name: '' } }).catch((error) => error);

const live = new RealtimeTable({ baseUrl, token }, table.id, { limit: 10 });
const heldRows = await new Promise((resolve) => {
  const off = live.subscribe(() => {
    const snapshot = live.getSnapshot();
    if (snapshot.status !== 'live' || !snapshot.loaded) return;
    off();
    resolve(snapshot.rows.length);
  });
  live.start();
});
live.stop();

console.log(
  JSON.stringify({
    changedRows,
    glazeError: failed instanceof GlazeError ? { status: failed.status, path: failed.path } : String(failed),
    heldRows,
    hook: typeof useRealtimeEnrichment,
  }),
);
