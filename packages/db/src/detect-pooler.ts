import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * Whether `url` goes through a transaction-mode pooler (pgbouncer `pool_mode = transaction`, Neon's
 * `-pooler` host, Supabase's port 6543, RDS Proxy), found the only way that does not depend on the
 * pooler's name: one connection LISTENs, a second NOTIFYs, and the notification never arrives. A
 * direct connection (or a session-mode pooler) answers in a millisecond; a pooler costs `timeoutMs`
 * once, at boot. Connects without startup options, which pgbouncer refuses.
 *
 * Rejects with the server's own error when the database cannot be reached.
 * @example const pooled = await detectTransactionPooler(process.env.WORKER_DATABASE_URL);
 */
export async function detectTransactionPooler(url: string, timeoutMs = 1000): Promise<boolean> {
  const listener = new pg.Client({ connectionString: url, application_name: 'glaze-probe' });
  const sender = new pg.Client({ connectionString: url, application_name: 'glaze-probe' });
  // A dropped probe connection must reject the probe, not crash the process.
  listener.on('error', () => {});
  sender.on('error', () => {});
  try {
    await listener.connect();
    await sender.connect();
    const channel = `glaze_probe_${randomBytes(6).toString('hex')}`;
    await listener.query(`listen ${channel}`);
    let timer: NodeJS.Timeout | undefined;
    const arrived = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
      listener.on('notification', (message) => {
        if (message.channel === channel) resolve(true);
      });
    });
    await sender.query('select pg_notify($1, $2)', [channel, 'probe']);
    const direct = await arrived;
    clearTimeout(timer);
    return !direct;
  } finally {
    await Promise.all([listener.end().catch(() => {}), sender.end().catch(() => {})]);
  }
}
