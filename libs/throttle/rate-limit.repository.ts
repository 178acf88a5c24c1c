import type { Database } from '../persistence/index.js';

interface CounterRow {
  count: number | string;
  expires_at: Date | string;
}

/*
 * One statement takes a slot: the row lock (PostgreSQL) or the single writer (SQLite) makes
 * concurrent reservations see each other's counts. A full window fails the DO UPDATE's WHERE, so
 * nothing is written and nothing returned. In DO UPDATE every `rate_limits.*` is the row as it was
 * before this statement, on both dialects.
 */
const RESERVE = `
INSERT INTO rate_limits ("key", window_start, "count", expires_at) VALUES ($1, $2, 1, $3)
ON CONFLICT ("key") DO UPDATE SET
  "count" = CASE WHEN rate_limits.expires_at <= excluded.window_start THEN 1 ELSE rate_limits."count" + 1 END,
  window_start = CASE WHEN rate_limits.expires_at <= excluded.window_start
    THEN excluded.window_start ELSE rate_limits.window_start END,
  expires_at = CASE WHEN rate_limits.expires_at <= excluded.window_start
    THEN excluded.expires_at ELSE rate_limits.expires_at END
WHERE rate_limits.expires_at <= excluded.window_start OR rate_limits."count" < $4
RETURNING "count", expires_at`;

const RELEASE = `
UPDATE rate_limits SET "count" = "count" - 1 WHERE "key" = $1 AND "count" > 0 AND expires_at > $2`;

/** The `rate_limits` table: fixed-window counters keyed by a SHA-256 hex digest. */
export class RateLimitRepository {
  private readonly reserveSql: string;
  private readonly releaseSql: string;
  private readonly selectSql: string;

  constructor(private readonly db: Database) {
    this.reserveSql = this.forDialect(RESERVE);
    this.releaseSql = this.forDialect(RELEASE);
    this.selectSql = this.forDialect('SELECT "count", expires_at FROM rate_limits WHERE "key" = $1');
  }

  /** Takes one slot unless `limit` are taken; `reserved: false` leaves the row as it was. */
  async reserve(
    key: string,
    now: Date,
    windowMs: number,
    limit: number,
  ): Promise<{ reserved: boolean; count: number; expiresAt: Date }> {
    const expiresAt = new Date(now.getTime() + windowMs);
    const run = async () => {
      const params = [key, this.timestamp(now), this.timestamp(expiresAt), limit];
      const taken = (await this.db.manager.query(this.reserveSql, params)) as CounterRow[];
      if (taken[0]) return { reserved: true, row: taken[0] };
      const full = (await this.db.manager.query(this.selectSql, [key])) as CounterRow[];
      return { reserved: false, row: full[0] };
    };
    // SQLite has one connection: outside a turn of its own, the count could land in (and roll
    // back with) another request's open transaction.
    const { reserved, row } = this.db.dialect === 'sqlite' ? await this.db.transaction(run) : await run();
    // A full window's row can only vanish if a reset raced this reservation: it is free now.
    if (!row) return { reserved, count: 0, expiresAt: now };
    return { reserved, count: Number(row.count), expiresAt: this.parseTimestamp(row.expires_at) };
  }

  async find(key: string): Promise<{ count: number; expiresAt: Date } | undefined> {
    const [row] = (await this.db.manager.query(this.selectSql, [key])) as CounterRow[];
    return row && { count: Number(row.count), expiresAt: this.parseTimestamp(row.expires_at) };
  }

  async release(key: string, now: Date): Promise<void> {
    const run = () => this.db.manager.query(this.releaseSql, [key, this.timestamp(now)]);
    await (this.db.dialect === 'sqlite' ? this.db.transaction(run) : run());
  }

  async delete(key: string): Promise<void> {
    await this.db.manager.query(this.forDialect('DELETE FROM rate_limits WHERE "key" = $1'), [key]);
  }

  async deleteExpired(now: Date): Promise<void> {
    await this.db.manager.query(this.forDialect('DELETE FROM rate_limits WHERE expires_at <= $1'), [
      this.timestamp(now),
    ]);
  }

  /** Statements are written with `$n` placeholders, each used once and in order. */
  private forDialect(sql: string): string {
    return this.db.dialect === 'postgres' ? sql : sql.replace(/\$\d+/g, '?');
  }

  /** SQLite keeps TypeORM's UTC `YYYY-MM-DD HH:MM:SS.SSS` text, which sorts as it compares. */
  private timestamp(date: Date): Date | string {
    return this.db.dialect === 'postgres' ? date : date.toISOString().slice(0, 23).replace('T', ' ');
  }

  private parseTimestamp(value: Date | string): Date {
    return value instanceof Date ? value : new Date(`${value.replace(' ', 'T')}Z`);
  }
}
