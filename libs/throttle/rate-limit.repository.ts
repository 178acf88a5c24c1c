import type { Database, Statement } from '../persistence/index.js';

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

/*
 * PostgreSQL: slot n of a guess, taken only when slot n-1 was (`prior` names its CTE), so one
 * statement takes the slots in order and stops at the first full one, as separate reservations
 * would. The parameters are typed: an INSERT … SELECT does not infer them from the columns.
 */
function reserveAfter(prior: string, first: number): string {
  const [key, start, expires, limit] = [first, first + 1, first + 2, first + 3].map((n) => `$${n}`);
  if (!RESERVE.includes('VALUES ($1, $2, 1, $3)') || !RESERVE.includes('"count" < $4')) {
    throw new Error('rate_limits: RESERVE changed shape; update reserveAfter with it.');
  }
  return RESERVE.replace(
    'VALUES ($1, $2, 1, $3)',
    `SELECT ${key}::varchar, ${start}::timestamptz, 1, ${expires}::timestamptz WHERE EXISTS (SELECT 1 FROM ${prior})`,
  ).replace('"count" < $4', `"count" < ${limit}::integer`);
}

const RELEASE = `
UPDATE rate_limits SET "count" = "count" - 1 WHERE "key" = $1 AND "count" > 0 AND expires_at > $2`;

/*
 * PostgreSQL: a settlement as one statement that locks its rows in the order given, as
 * `reserveAll` locks a guess's rows. A statement's WITH parts run in no set order, so each part
 * reads the one before it (its RETURNING rows) before it touches its own row; the final SELECT
 * reads the last part. Out of order, a settlement holding the address row would wait for a
 * reservation holding the pair row, which waits for the address row: a deadlock.
 */
function settleInOrder(kinds: ('delete' | 'release')[]): string {
  let next = 1;
  const parts = kinds.map((kind, n) => {
    const after = n === 0 ? '' : ` AND (SELECT count(*) FROM s${n - 1}) >= 0`;
    const key = `$${next++}`;
    if (kind === 'delete')
      return `s${n} AS (DELETE FROM rate_limits WHERE "key" = ${key}${after} RETURNING 1)`;
    const now = `$${next++}`;
    return `s${n} AS (UPDATE rate_limits SET "count" = "count" - 1
      WHERE "key" = ${key} AND "count" > 0 AND expires_at > ${now}${after} RETURNING 1)`;
  });
  return `WITH ${parts.join(', ')} SELECT count(*) FROM s${kinds.length - 1}`;
}

const SELECT = 'SELECT "count", expires_at FROM rate_limits WHERE "key" = $1';
const DELETE = 'DELETE FROM rate_limits WHERE "key" = $1';
const DELETE_EXPIRED = 'DELETE FROM rate_limits WHERE expires_at <= $1';

/**
 * The `rate_limits` table: fixed-window counters keyed by a SHA-256 hex digest. Every secret check
 * runs several of these statements, so each is prepared once (`Database.prepared`): on SQLite it
 * runs in its own turn, never inside another request's open transaction.
 */
export class RateLimitRepository {
  /** Each statement's text in this dialect, by name. */
  private readonly texts = new Map<string, string>();

  constructor(private readonly db: Database) {}

  /** Takes one slot unless `limit` are taken; `reserved: false` leaves the row as it was. */
  async reserve(
    key: string,
    now: Date,
    windowMs: number,
    limit: number,
  ): Promise<{ reserved: boolean; count: number; expiresAt: Date }> {
    return (await this.reserveAll([{ key, windowMs, limit }], now))[0]!;
  }

  /**
   * Takes one slot in each window in order, stopping at the first full one, as one write: one
   * statement on PostgreSQL (its upserts lock the rows in the order given), one transaction on
   * SQLite. Answers a reservation per window tried; a refusal is the last one, and leaves its row
   * as it was. A full window's row can only vanish if a reset raced the reservation: it is free.
   */
  async reserveAll(
    slots: { key: string; windowMs: number; limit: number }[],
    now: Date,
  ): Promise<{ reserved: boolean; count: number; expiresAt: Date }[]> {
    const params = slots.map(({ key, windowMs, limit }) => {
      const expiresAt = new Date(now.getTime() + windowMs);
      return [key, this.timestamp(now), this.timestamp(expiresAt), limit];
    });
    const taken =
      this.db.dialect === 'postgres'
        ? await this.reserveAllPostgres(params)
        : await this.reserveAllSqlite(params);
    const outcomes = taken.map((row) => ({
      reserved: true,
      count: Number(row.count),
      expiresAt: this.parseTimestamp(row.expires_at),
    }));
    if (outcomes.length === slots.length) return outcomes;
    const refused = await this.find(slots[outcomes.length]!.key);
    return [
      ...outcomes,
      { reserved: false, count: refused?.count ?? 0, expiresAt: refused?.expiresAt ?? now },
    ];
  }

  /** The rows taken, in slot order: a prefix of the slots. */
  private async reserveAllPostgres(params: unknown[][]): Promise<CounterRow[]> {
    const name = `reserve_${params.length}`;
    let sql = this.texts.get(name);
    if (sql === undefined) {
      const parts = params.map((_, n) => (n === 0 ? RESERVE : reserveAfter(`r${n - 1}`, 4 * n + 1)));
      const selects = params.map((_, n) => `SELECT ${n} AS slot, "count", expires_at FROM r${n}`);
      sql = `WITH ${parts.map((part, n) => `r${n} AS (${part})`).join(', ')} ${selects.join(' UNION ALL ')}`;
      this.texts.set(name, sql);
    }
    const rows = await this.db.prepared(`tessera_rate_limits_${name}`, sql, params.flat());
    return (rows as unknown as (CounterRow & { slot: number })[]).sort((a, b) => a.slot - b.slot);
  }

  private async reserveAllSqlite(params: unknown[][]): Promise<CounterRow[]> {
    const { name, sql } = this.statement('reserve', RESERVE, []);
    return (await this.db.preparedUntil(name, sql, params)) as unknown as CounterRow[];
  }

  async find(key: string): Promise<{ count: number; expiresAt: Date } | undefined> {
    const [row] = await this.run('select', SELECT, [key]);
    return row && { count: Number(row.count), expiresAt: this.parseTimestamp(row.expires_at) };
  }

  async release(key: string, now: Date): Promise<void> {
    await this.run('release', RELEASE, [key, this.timestamp(now)]);
  }

  async delete(key: string): Promise<void> {
    await this.run('delete', DELETE, [key]);
  }

  /**
   * Deletes the `resets` and releases a slot of the `releases` (distinct keys), as one write that
   * takes the rows in the order given: resets, then releases. Callers list them in the order
   * they reserve them.
   */
  async settle(resets: string[], releases: string[], now: Date): Promise<void> {
    if (this.db.dialect === 'postgres' && resets.length + releases.length > 1) {
      const kinds = [...resets.map(() => 'delete' as const), ...releases.map(() => 'release' as const)];
      const name = `settle_${kinds.map((kind) => kind[0]).join('')}`;
      let sql = this.texts.get(name);
      if (sql === undefined) {
        sql = settleInOrder(kinds);
        this.texts.set(name, sql);
      }
      const values = [...resets.map((key) => [key]), ...releases.map((key) => [key, now])];
      await this.db.prepared(`tessera_rate_limits_${name}`, sql, values.flat());
      return;
    }
    await this.db.preparedAll([
      ...resets.map((key) => this.statement('delete', DELETE, [key])),
      ...releases.map((key) => this.statement('release', RELEASE, [key, this.timestamp(now)])),
    ]);
  }

  async deleteExpired(now: Date): Promise<void> {
    await this.run('delete_expired', DELETE_EXPIRED, [this.timestamp(now)]);
  }

  private async run(name: string, sql: string, values: unknown[]): Promise<CounterRow[]> {
    const statement = this.statement(name, sql, values);
    return (await this.db.prepared(statement.name, statement.sql, values)) as unknown as CounterRow[];
  }

  /** Statements are written with `$n` placeholders, each used once and in order. */
  private statement(name: string, sql: string, values: unknown[]): Statement {
    let text = this.texts.get(name);
    if (text === undefined) {
      text = this.db.dialect === 'postgres' ? sql : sql.replace(/\$\d+/g, '?');
      this.texts.set(name, text);
    }
    return { name: `tessera_rate_limits_${name}`, sql: text, values };
  }

  /** SQLite keeps TypeORM's UTC `YYYY-MM-DD HH:MM:SS.SSS` text, which sorts as it compares. */
  private timestamp(date: Date): Date | string {
    return this.db.dialect === 'postgres' ? date : date.toISOString().slice(0, 23).replace('T', ' ');
  }

  private parseTimestamp(value: Date | string): Date {
    return value instanceof Date ? value : new Date(`${value.replace(' ', 'T')}Z`);
  }
}
