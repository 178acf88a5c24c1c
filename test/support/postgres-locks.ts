import pg from 'pg';
import { sleep } from './self-service.js';

/** A connection of our own to a server's PostgreSQL database, to hold rows and watch waits. */
export async function connectTo(dsn: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: dsn });
  await client.connect();
  return client;
}

/** Backends of this database waiting for a lock, other than `client`'s own. */
export async function lockWaits(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity
     WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
  );
  return rows[0]!.n;
}

/**
 * Waits (up to 5 s) until another backend waits for a lock, or `done()` says the request that
 * should wait has already been answered; the number of waiting backends.
 */
export async function someoneWaits(client: pg.Client, done: () => boolean): Promise<number> {
  let waits = 0;
  for (let n = 0; n < 200 && waits === 0 && !done(); n++) {
    await sleep(25);
    waits = await lockWaits(client);
  }
  return waits;
}
