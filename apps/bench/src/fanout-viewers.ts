/**
 * The `fanout` scenario's SSE clients, run in a child process of their own so that 1,000 of them do
 * not take the server's CPU inside its own event loop. Each client is a raw HTTP request that reads
 * only what the figures need: the `id:` of each frame and the moment the frame's last byte arrived
 * (no JSON parsing). Driven over IPC by `fanout.ts`:
 *
 * - `open {url, token, windows}` → `opened` once every client has its `ready` frame;
 * - `await {seq}` → `seen {clients}`: how many clients hold a frame with an id ≥ seq (waits up to 2 min);
 * - `lags {seqs, finishedMs, rowIds}` (the run's done cells) → `lags {p50Ms, p99Ms, maxMs, samples, bytes, resets}`.
 */
import { request } from 'node:http';

interface OpenMessage {
  type: 'open';
  url: string;
  token: string;
  /** Per client: the rows it watches, `[from, to]`, or null for the whole table. */
  windows: ([number, number] | null)[];
}

interface Client {
  window: [number, number] | null;
  /** Frame ids in arrival order, and when each frame's last byte arrived (ms since the epoch). */
  ids: number[];
  arrivals: number[];
  pendingId: number;
  tail: string;
  bytes: number;
  resets: number;
}

const clients: Client[] = [];
const now = () => performance.timeOrigin + performance.now();
const lastId = (client: Client) => client.ids[client.ids.length - 1] ?? -1;

/** Finds `id: N` lines and the blank line that ends their frame, across chunk boundaries. */
function read(client: Client, chunk: Buffer): void {
  const at = now();
  client.bytes += chunk.length;
  const text = client.tail + chunk.toString('latin1');
  let from = 0;
  for (;;) {
    if (client.pendingId >= 0) {
      const end = text.indexOf('\n\n', from);
      if (end < 0) break;
      client.ids.push(client.pendingId);
      client.arrivals.push(at);
      client.pendingId = -1;
      from = end + 2;
      continue;
    }
    const id = text.indexOf('\nid: ', from - 1);
    if (id < 0) break;
    const eol = text.indexOf('\n', id + 5);
    if (eol < 0) break;
    client.pendingId = Number(text.slice(id + 5, eol));
    from = eol;
  }
  if (text.includes('event: reset')) client.resets++;
  // Enough to finish a split `id:` line or `\n\n`; frames' data never needs to be kept.
  client.tail = text.slice(Math.max(from, text.length - 32));
}

function open(message: OpenMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    let waiting = message.windows.length;
    for (const window of message.windows) {
      const client: Client = {
        window,
        ids: [],
        arrivals: [],
        pendingId: -1,
        tail: '\n',
        bytes: 0,
        resets: 0,
      };
      clients.push(client);
      const url = window ? `${message.url}?rows=${window[0]}-${window[1]}` : message.url;
      const req = request(url, {
        agent: false,
        headers: { authorization: `Bearer ${message.token}`, accept: 'text/event-stream' },
      });
      req.on('response', (response) => {
        if (response.statusCode !== 200) return reject(new Error(`SSE ${url}: HTTP ${response.statusCode}`));
        let ready = false;
        response.on('data', (chunk: Buffer) => {
          read(client, chunk);
          if (!ready && client.ids.length > 0) {
            ready = true;
            if (--waiting === 0) resolve();
          }
        });
      });
      req.on('error', reject);
      req.end();
    }
  });
}

async function seen(seq: number): Promise<number> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline && clients.some((client) => lastId(client) < seq)) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return clients.filter((client) => lastId(client) >= seq).length;
}

/** Per client and cell in its window: the first frame with an id ≥ the cell's seq carried it. */
function lags(seqs: number[], finishedMs: number[], rowIds: number[]) {
  const histogram = new Uint32Array(600_001); // 0.1 ms buckets up to 60 s
  let samples = 0;
  let maxMs = 0;
  for (const client of clients) {
    let frame = 0;
    for (let i = 0; i < seqs.length; i++) {
      const row = rowIds[i]!;
      if (client.window && (row < client.window[0] || row > client.window[1])) continue;
      while (frame < client.ids.length && client.ids[frame]! < seqs[i]!) frame++;
      if (frame === client.ids.length) break;
      const lag = Math.max(0, client.arrivals[frame]! - finishedMs[i]!);
      maxMs = Math.max(maxMs, lag);
      histogram[Math.min(histogram.length - 1, Math.round(lag * 10))]!++;
      samples++;
    }
  }
  const quantile = (q: number) => {
    let seen = 0;
    for (let bucket = 0; bucket < histogram.length; bucket++) {
      seen += histogram[bucket]!;
      if (seen > q * samples) return bucket / 10;
    }
    return maxMs;
  };
  const bytes = clients.reduce((sum, client) => sum + client.bytes, 0);
  const resets = clients.reduce((sum, client) => sum + client.resets, 0);
  return { p50Ms: quantile(0.5), p99Ms: quantile(0.99), maxMs, samples, bytes, resets };
}

process.on('message', (message: { type: string } & Record<string, unknown>) => {
  const reply = (value: unknown) => process.send?.(value);
  const fail = (error: unknown) => reply({ type: 'error', message: String(error) });
  if (message.type === 'open')
    open(message as unknown as OpenMessage).then(() => reply({ type: 'opened' }), fail);
  else if (message.type === 'await')
    seen(message.seq as number).then((count) => reply({ type: 'seen', clients: count }), fail);
  else if (message.type === 'lags') {
    reply({
      type: 'lags',
      ...lags(message.seqs as number[], message.finishedMs as number[], message.rowIds as number[]),
    });
  } else if (message.type === 'exit') process.exit(0);
});
