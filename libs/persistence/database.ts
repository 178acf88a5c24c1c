import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import type { DataSource, EntityManager, EntityTarget, ObjectLiteral, Repository } from 'typeorm';
import { type Dialect, dialectOf } from './dsn.js';

export type Row = Record<string, unknown>;
interface SqliteStatement {
  readonly reader: boolean;
  all(...values: unknown[]): Row[];
  run(...values: unknown[]): unknown;
  raw(toggle: boolean): SqliteStatement;
}
interface SqliteConnection {
  prepare(sql: string): SqliteStatement;
  transaction(work: () => void): () => void;
}
interface PgClient {
  query(config: {
    name: string;
    text: string;
    values: unknown[];
    rowMode?: 'array';
  }): Promise<{ rows: Row[] }>;
}

/** One prepared statement and its values: see `Database.prepared`. */
export interface Statement {
  name: string;
  sql: string;
  values: unknown[];
}

/** Runs a statement (`run`) given its SQL text: for observing, never changing it. */
export type StatementWrapper = <T>(sql: string, run: () => Promise<T>) => Promise<T>;

interface TransactionScope {
  manager: EntityManager;
  afterCommit: (() => void | Promise<void>)[];
}

/**
 * The one handle repositories use. `transaction(fn)` makes every repository call inside `fn`
 * share one transaction through AsyncLocalStorage, so services compose multi-row writes
 * without passing managers around.
 */
export class Database {
  private readonly scope = new AsyncLocalStorage<TransactionScope>();
  /** better-sqlite3 has one connection: transactions must take turns or they nest by accident. */
  private sqliteQueue: Promise<unknown> = Promise.resolve();
  readonly dialect: Dialect;
  /** better-sqlite3's prepared statements by name, for the connection they were prepared on. */
  private sqliteStatements?: { connection: SqliteConnection; byName: Map<string, SqliteStatement> };
  private around?: StatementWrapper;
  /** PostgreSQL: the one statement that runs a list of writes, by the list's names. */
  private readonly combined = new Map<string, { name: string; sql: string }>();

  constructor(readonly dataSource: DataSource) {
    this.dialect = dialectOf(dataSource.options);
  }

  get manager(): EntityManager {
    return this.scope.getStore()?.manager ?? this.dataSource.manager;
  }

  repository<T extends ObjectLiteral>(entity: EntityTarget<T>): Repository<T> {
    return this.manager.getRepository(entity);
  }

  get inTransaction(): boolean {
    return this.scope.getStore() !== undefined;
  }

  /**
   * Runs `work` in one transaction, then its after-commit callbacks. On SQLite the next
   * transaction's turn starts at the commit: a callback (a web hook's HTTP call, a Redis publish)
   * never holds every other writer up.
   */
  async transaction<T>(work: () => Promise<T>): Promise<T> {
    if (this.inTransaction) return work();
    const afterCommit: TransactionScope['afterCommit'] = [];
    const run = () =>
      this.dataSource.transaction((manager) => this.scope.run({ manager, afterCommit }, work));
    let result: T;
    if (this.dialect === 'postgres') {
      result = await run();
    } else {
      result = await this.sqliteTurn(run);
    }
    for (const callback of afterCommit) await callback();
    return result;
  }

  /** Runs `callback` once the surrounding transaction has committed (at once if there is none). */
  async afterCommit(callback: () => void | Promise<void>): Promise<void> {
    const store = this.scope.getStore();
    if (store) store.afterCommit.push(callback);
    else await callback();
  }

  /**
   * One statement, prepared once per connection and run without TypeORM's query building: in the
   * surrounding transaction when there is one, else on its own (PostgreSQL autocommit; on SQLite
   * it waits for the open transaction to commit, and needs no BEGIN/COMMIT of its own). `name`
   * names one SQL text (`?` placeholders on SQLite, `$n` on PostgreSQL); answers the rows the
   * statement returns (none for a write without RETURNING).
   */
  prepared(name: string, sql: string, values: unknown[]): Promise<Row[]> {
    return this.around
      ? this.around(sql, () => this.execute(name, sql, values))
      : this.execute(name, sql, values);
  }

  /**
   * `prepared` for a SELECT read by position: each row is the array of its values in select
   * order (better-sqlite3's raw mode, pg's array row mode), with no object per row and no
   * property name per value.
   */
  preparedValues(name: string, sql: string, values: unknown[]): Promise<unknown[][]> {
    const run = () => this.execute(name, sql, values, true) as unknown as Promise<unknown[][]>;
    return this.around ? this.around(sql, run) : run();
  }

  /**
   * Writes (no RETURNING) that land together or not at all, without a transaction's round trips
   * when none is open: on PostgreSQL one statement (`WITH w0 AS (…), w1 AS (…) last`; every part
   * sees the same snapshot, so no part may touch a row another part writes, and foreign keys are
   * checked at its end); on SQLite one native transaction in its turn. Inside a transaction, the
   * statements run one by one in it. PostgreSQL runs the parts in no set order (the last one
   * first): rows that other statements lock in a set order must not be written through it, or
   * the two can deadlock.
   */
  async preparedAll(statements: Statement[]): Promise<void> {
    if (statements.length <= 1 || this.inTransaction) {
      for (const s of statements) await this.prepared(s.name, s.sql, s.values);
      return;
    }
    if (this.dialect === 'postgres') {
      const { name, sql } = this.combinedStatement(statements);
      await this.prepared(
        name,
        sql,
        statements.flatMap((s) => s.values),
      );
      return;
    }
    const run = () => {
      this.sqliteConnection().transaction(() => {
        for (const s of statements) this.sqliteStatement(s.name, s.sql).run(...s.values);
      })();
      return [];
    };
    const sql = statements.map((s) => s.sql).join(';\n');
    const queued = () => this.sqliteTurn(run);
    await (this.around ? this.around(sql, queued) : queued());
  }

  /**
   * One statement (a write with RETURNING) run with each list of values in turn, until a run
   * returns no row; answers the rows returned. On SQLite the runs are one native transaction in
   * its turn (one commit, no other writer in between); on PostgreSQL, or inside a transaction,
   * they are separate statements.
   */
  async preparedUntil(name: string, sql: string, valueLists: unknown[][]): Promise<Row[]> {
    const rows: Row[] = [];
    if (this.dialect === 'postgres' || this.inTransaction) {
      for (const values of valueLists) {
        const found = await this.prepared(name, sql, values);
        if (found.length === 0) break;
        rows.push(...found);
      }
      return rows;
    }
    const run = () => {
      const statement = this.sqliteStatement(name, sql);
      this.sqliteConnection().transaction(() => {
        for (const values of valueLists) {
          const found = statement.all(...values);
          if (found.length === 0) break;
          rows.push(...found);
        }
      })();
      return rows;
    };
    const queued = () => this.sqliteTurn(run);
    return this.around ? this.around(sql, queued) : queued();
  }

  private combinedStatement(statements: Statement[]): { name: string; sql: string } {
    const key = statements.map((s) => s.name).join(' ');
    let found = this.combined.get(key);
    if (!found) {
      let offset = 0;
      const parts = statements.map((s) => {
        const shifted = s.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);
        offset += s.values.length;
        return shifted;
      });
      const last = parts.pop()!;
      const sql = `WITH ${parts.map((part, n) => `w${n} AS (${part})`).join(', ')} ${last}`;
      // PostgreSQL keeps 63 bytes of a statement's name: a digest keeps distinct lists apart.
      const digest = createHash('sha256').update(sql).digest('hex').slice(0, 24);
      found = { name: `tessera_all_${digest}`, sql };
      this.combined.set(key, found);
    }
    return found;
  }

  /** Wraps every `prepared` statement from now on (tracing gives each its span). */
  aroundPrepared(around: StatementWrapper): void {
    this.around = around;
  }

  private async execute(name: string, sql: string, values: unknown[], arrays = false): Promise<Row[]> {
    if (this.dialect === 'postgres') {
      const driver = this.dataSource.driver as unknown as { master: PgClient };
      const runner = this.scope.getStore()?.manager.queryRunner as unknown as
        { databaseConnection?: PgClient } | undefined;
      const client = runner?.databaseConnection ?? driver.master;
      const query = { name, text: sql, values, ...(arrays ? { rowMode: 'array' as const } : {}) };
      return (await client.query(query)).rows;
    }
    const run = () => {
      const statement = this.sqliteStatement(name, sql, arrays);
      return statement.reader ? statement.all(...values) : (statement.run(...values), []);
    };
    return this.inTransaction ? run() : this.sqliteTurn(run);
  }

  /** Runs `work` when the SQLite work queued before it has finished, whether it failed or not. */
  private sqliteTurn<T>(work: () => T | Promise<T>): Promise<T> {
    const turn = this.sqliteQueue.then(work, work);
    this.sqliteQueue = turn.catch(() => undefined);
    return turn;
  }

  /** better-sqlite3 has one connection: inside or outside a transaction, it is this one. */
  private sqliteConnection(): SqliteConnection {
    return (this.dataSource.driver as unknown as { databaseConnection: SqliteConnection }).databaseConnection;
  }

  /** `arrays`: a statement of its own, in raw mode (rows as arrays). */
  private sqliteStatement(name: string, sql: string, arrays = false): SqliteStatement {
    const connection = this.sqliteConnection();
    if (this.sqliteStatements?.connection !== connection) {
      this.sqliteStatements = { connection, byName: new Map() };
    }
    const key = arrays ? `${name} as arrays` : name;
    let statement = this.sqliteStatements.byName.get(key);
    if (!statement) {
      statement = connection.prepare(sql);
      if (arrays) statement.raw(true);
      this.sqliteStatements.byName.set(key, statement);
    }
    return statement;
  }
}

function driverCode(error: unknown): string | undefined {
  const driverError =
    (error as { driverError?: { code?: string } })?.driverError ?? (error as { code?: string });
  return driverError?.code;
}

/** True when a write failed on a UNIQUE constraint, on either dialect. */
export function isUniqueViolation(error: unknown): boolean {
  const code = driverCode(error);
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** True when a write failed on a FOREIGN KEY constraint (the row it references is gone). */
export function isForeignKeyViolation(error: unknown): boolean {
  const code = driverCode(error);
  return code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}
