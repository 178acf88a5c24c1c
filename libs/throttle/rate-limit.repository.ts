import type { Database } from '../persistence/index.js';

interface CounterRow {
  count: number | string;
  expires_at: Date | string;
}

/*
 * One statement does the whole fixed-window step, so the row lock (PostgreSQL) or the single
 * writer (SQLite) makes concurrent increments return distinct counts. In DO UPDATE every
 * `rate_limits.*` is the row as it was before this statement, on both dialects.
 */
const INCREMENT = `
INSERT INTO rate_limits ("key", window_start, "count", expires_at) VALUES ($1, $2, 1, $3)
ON CONFLICT ("key") DO UPDATE SET
  "count" = CASE WHEN rate_limits.expires_at <= excluded.window_start THEN 1 ELSE rate_limits."count" + 1 END,
  window_start = CASE WHEN rate_limits.expires_at <= excluded.window_start
    THEN excluded.window_start ELSE rate_limits.window_start END,
  expires_at = CASE WHEN rate_limits.expires_at <= excluded.window_start
    THEN excluded.expires_at ELSE rate_limits.expires_at END
RETURNING "count", expires_at`;

/** The `rate_limits` table: fixed-window counters keyed by a SHA-256 hex digest. */
export class RateLimitRepository {
  private readonly incrementSql: string;

  constructor(private readonly db: Database) {
    this.incrementSql = this.forDialect(INCREMENT);
  }

  async increment(key: string, now: Date, windowMs: number): Promise<{ count: number; expiresAt: Date }> {
    const expiresAt = new Date(now.getTime() + windowMs);
    const run = async () =>
      (await this.db.manager.query(this.incrementSql, [
        key,
        this.timestamp(now),
        this.timestamp(expiresAt),
      ])) as CounterRow[];
    // SQLite has one connection: outside a turn of its own, the count could land in (and roll
    // back with) another request's open transaction.
    const rows = this.db.dialect === 'sqlite' ? await this.db.transaction(run) : await run();
    const row = rows[0];
    if (!row) throw new Error('rate_limits: the upsert returned no row.');
    return { count: Number(row.count), expiresAt: this.parseTimestamp(row.expires_at) };
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
