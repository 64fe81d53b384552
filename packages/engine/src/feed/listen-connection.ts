import { randomBytes } from 'node:crypto';
import type { DatabaseHealth, Logger, Pool } from '@glaze/db';
import pg from 'pg';

export interface ListenConnectionOptions {
  url: string;
  logger: Logger;
  /** Told when the connection drops for want of a database, which it then logs (once per outage). */
  health?: DatabaseHealth;
  onNotify(channel: string, payload: string | undefined): void;
  /** The connection dropped (notifications may be missed) or came back (re-LISTENed; catch up now). */
  onState(live: boolean): void;
}

/**
 * The one session connection a process LISTENs on. Channels are added and removed as tables gain
 * their first and lose their last watcher; after a drop it reconnects with backoff and LISTENs again.
 */
export class ListenConnection {
  private client: pg.Client | undefined;
  private readonly channels = new Set<string>();
  private closed = false;
  private retryMs = 250;
  private reconnectTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: ListenConnectionOptions) {}

  /** Connects; rejects when the database cannot be reached. */
  async connect(): Promise<void> {
    // A plain session connection, not a pooled one: LISTEN lives as long as the session.
    const client = new pg.Client({ connectionString: this.options.url, application_name: 'glaze-listen' });
    client.on('notification', (message) => this.options.onNotify(message.channel, message.payload));
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('Connection terminated: the LISTEN session ended')));
    try {
      await client.connect();
      for (const channel of this.channels) await client.query(`listen ${quote(channel)}`);
      if (this.closed) throw new Error('the LISTEN connection was closed while it connected');
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
    this.client = client;
  }

  /**
   * Whether NOTIFY reaches this connection. Behind a transaction-mode pooler LISTEN "succeeds" but
   * nothing ever arrives, so the only honest test is to send one and wait for it.
   */
  async probe(pool: Pool, timeoutMs = 2000): Promise<boolean> {
    const client = this.client;
    if (!client) return false;
    const channel = `glaze_probe_${randomBytes(6).toString('hex')}`;
    await client.query(`listen ${quote(channel)}`);
    try {
      const arrived = new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutMs);
        const onMessage = (message: { channel: string }) => {
          if (message.channel !== channel) return;
          clearTimeout(timer);
          client.off('notification', onMessage);
          resolve(true);
        };
        client.on('notification', onMessage);
      });
      await pool.query('select pg_notify($1, $2)', [channel, 'probe']);
      return await arrived;
    } finally {
      await client.query(`unlisten ${quote(channel)}`).catch(() => {});
    }
  }

  async listen(channel: string): Promise<void> {
    this.channels.add(channel);
    await this.command(`listen ${quote(channel)}`);
  }

  async unlisten(channel: string): Promise<void> {
    this.channels.delete(channel);
    await this.command(`unlisten ${quote(channel)}`);
  }

  /**
   * Runs a LISTEN or UNLISTEN on the live connection. One cut short by `close()` (the last watcher
   * left as the server stopped) is not a failure: the session and its LISTENs end anyway.
   */
  private async command(sql: string): Promise<void> {
    try {
      await this.client?.query(sql);
    } catch (error) {
      if (!this.closed) throw error;
    }
  }

  /** Stops waiting out the backoff and reconnects now (someone found the database back). */
  retryNow(): void {
    if (this.reconnectTimer === undefined || this.closed) return;
    this.retryMs = 250;
    this.scheduleReconnect(0);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => {});
  }

  private lost(client: pg.Client, error: Error): void {
    if (this.client !== client || this.closed) return;
    this.client = undefined;
    client.end().catch(() => {});
    if (!this.options.health?.failed(error))
      this.options.logger.warn({ err: error }, 'realtime LISTEN connection lost; reconnecting');
    this.options.onState(false);
    this.scheduleReconnect();
  }

  /** Reconnects after `delayMs`, backing off from 250 ms to 10 s while the database stays away. */
  private scheduleReconnect(delayMs = this.retryMs): void {
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.connect().then(
        () => {
          this.retryMs = 250;
          this.options.onState(true);
        },
        () => {
          this.retryMs = Math.min(this.retryMs * 2, 10_000);
          if (!this.closed) this.scheduleReconnect();
        },
      );
    }, delayMs);
    this.reconnectTimer.unref();
  }
}

/** Channel names are ours (tableChannel), but quote them anyway: LISTEN takes no parameters. */
function quote(channel: string): string {
  return `"${channel.replaceAll('"', '""')}"`;
}
