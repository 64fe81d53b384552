import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestDatabase } from '@glaze/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../../packages/engine/test/helpers';
import { finished, startGlaze, waitForLine } from './support/glaze-process';

/**
 * `glaze start` under a low open-file limit (`ulimit -n`): each event stream holds a socket. Node
 * raises a low soft limit to the hard one as it starts; beyond what the hard limit leaves room for,
 * streams are refused with 503 `server_busy` and further connections dropped at once (the client
 * retries either), and the rest of the API keeps working: no request fails for want of a file
 * descriptor. Before, 300 viewers under 256 files made requests fail with a logged 500 (connect EMFILE).
 */
let db: TestDatabase;
let dir: string;
beforeAll(async () => {
  db = await testDatabase();
  dir = await mkdtemp(path.join(tmpdir(), 'glaze-nofile-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await db.drop();
});

const token = 'open-file-limit-test-token-0123456789';
const auth = { authorization: `Bearer ${token}` };

async function startLimited(openFiles: { soft: number; hard?: number }, name: string) {
  const glaze = startGlaze(
    ['start', '--port', '0', '--no-worker'],
    {
      DATABASE_URL: db.url,
      GLAZE_DATA_DIR: path.join(dir, name),
      GLAZE_ADMIN_TOKEN: token,
      GLAZE_LOG_LEVEL: 'info',
      GLAZE_WEB_DIR: dir,
    },
    undefined,
    openFiles,
  );
  const exited = finished(glaze);
  const origin = /http:\/\/\S+/.exec(await waitForLine(glaze, /^glaze listening on /))?.[0] as string;
  return { glaze, exited, origin };
}

/** A new table's event stream URL. */
async function eventsOfNewTable(origin: string, name: string): Promise<string> {
  const created = await fetch(`${origin}/api/v1/tables`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ name, columns: ['name'] }),
  });
  const { table } = await created.json();
  return `${origin}/api/v1/tables/${table.id}/events`;
}

/** Opens `count` event streams at once: how many got `ready`, and every other outcome by status or error. */
async function openStreams(url: string, count: number) {
  const outcomes: Record<string, number> = {};
  const requests: http.ClientRequest[] = [];
  const note = (what: string) => {
    outcomes[what] = (outcomes[what] ?? 0) + 1;
  };
  await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<void>((resolve) => {
          const request = http.get(url, { headers: auth, agent: false }, (response) => {
            if (response.statusCode !== 200) {
              let body = '';
              response.on('data', (chunk) => {
                body += chunk;
              });
              response.on('end', () => {
                note(
                  `${response.statusCode} ${JSON.parse(body).error.code} retry-after ${response.headers['retry-after']}`,
                );
                resolve();
              });
              return;
            }
            response.on('data', (chunk) => {
              if (String(chunk).includes('event: ready')) {
                note('ready');
                resolve();
              }
            });
          });
          request.on('error', (error: Error & { code?: string }) => {
            note(error.code ?? error.message);
            resolve();
          });
          requests.push(request);
        }),
    ),
  );
  const close = () => {
    for (const request of requests) request.destroy();
  };
  return { outcomes, close };
}

describe('glaze start under a low open-file limit', () => {
  it('takes as many event streams as the limit leaves room for, answers the rest 503 server_busy, and keeps serving', async () => {
    // the hard limit too: nothing to raise
    const { glaze, exited, origin } = await startLimited({ soft: 256, hard: 256 }, 'hard');
    try {
      const events = await eventsOfNewTable(origin, 'Watched');
      const streams = await openStreams(events, 300);
      // 256 less the process's own ~100 files and its pools' 20 + 14 connections: 122 connections,
      // of which streams take 106; the other clients get a 503 or, past 122 at once, a dropped
      // connection
      const { ready = 0, ECONNRESET = 0, ...others } = streams.outcomes;
      expect(ready).toBe(106);
      expect(Object.keys(others)).toEqual(['503 server_busy retry-after 5']);
      expect(ready + ECONNRESET + (others['503 server_busy retry-after 5'] ?? 0)).toBe(300);
      const rows = await fetch(events.replace(/events$/, 'rows'), {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ rows: [{ name: 'Ada' }] }),
      });
      expect(rows.status).toBe(201);
      streams.close();
      await new Promise((resolve) => setTimeout(resolve, 500));
      const again = await openStreams(events, 1);
      expect(again.outcomes).toEqual({ ready: 1 });
      again.close();
    } finally {
      glaze.kill('SIGINT');
    }
    const { code, stderr } = await exited;
    expect(code).toBe(0);
    expect(stderr).toContain(
      'event streams: at most 106 open at once, connections 122 (open-file limit 256;',
    );
    expect(stderr).not.toContain('EMFILE');
  });

  it('runs with the hard limit when the soft one is lower (Node raises it)', async () => {
    const { glaze, exited, origin } = await startLimited({ soft: 256, hard: 4096 }, 'soft');
    try {
      const streams = await openStreams(await eventsOfNewTable(origin, 'Raised'), 300);
      expect(streams.outcomes).toEqual({ ready: 300 });
      streams.close();
    } finally {
      glaze.kill('SIGINT');
    }
    const { code, stderr } = await exited;
    expect(code).toBe(0);
    expect(stderr).toContain(
      'event streams: at most 3898 open at once, connections 3962 (open-file limit 4096;',
    );
  });
});
