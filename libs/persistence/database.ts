import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, EntityManager, EntityTarget, ObjectLiteral, Repository } from 'typeorm';
import { type Dialect, dialectOf } from './dsn.js';

export type Row = Record<string, unknown>;
interface SqliteStatement {
  readonly reader: boolean;
  all(...values: unknown[]): Row[];
  run(...values: unknown[]): unknown;
}
interface SqliteConnection {
  prepare(sql: string): SqliteStatement;
}
interface PgClient {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: Row[] }>;
}

/** Runs a statement (`run`) given its SQL text: for observing, never changing it. */
export type StatementWrapper = (sql: string, run: () => Promise<Row[]>) => Promise<Row[]>;

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
      const turn = this.sqliteQueue.then(run, run);
      this.sqliteQueue = turn.catch(() => undefined);
      result = await turn;
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

  /** Wraps every `prepared` statement from now on (tracing gives each its span). */
  aroundPrepared(around: StatementWrapper): void {
    this.around = around;
  }

  private async execute(name: string, sql: string, values: unknown[]): Promise<Row[]> {
    if (this.dialect === 'postgres') {
      const driver = this.dataSource.driver as unknown as { master: PgClient };
      const runner = this.scope.getStore()?.manager.queryRunner as unknown as
        { databaseConnection?: PgClient } | undefined;
      const client = runner?.databaseConnection ?? driver.master;
      return (await client.query({ name, text: sql, values })).rows;
    }
    const run = () => {
      const statement = this.sqliteStatement(name, sql);
      return statement.reader ? statement.all(...values) : (statement.run(...values), []);
    };
    if (this.inTransaction) return run();
    const turn = this.sqliteQueue.then(run, run);
    this.sqliteQueue = turn.catch(() => undefined);
    return turn;
  }

  private sqliteStatement(name: string, sql: string): SqliteStatement {
    // better-sqlite3 has one connection: inside or outside a transaction, it is this one.
    const connection = (this.dataSource.driver as unknown as { databaseConnection: SqliteConnection })
      .databaseConnection;
    if (this.sqliteStatements?.connection !== connection) {
      this.sqliteStatements = { connection, byName: new Map() };
    }
    let statement = this.sqliteStatements.byName.get(name);
    if (!statement) {
      statement = connection.prepare(sql);
      this.sqliteStatements.byName.set(name, statement);
    }
    return statement;
  }
}

/** True when a write failed on a UNIQUE constraint, on either dialect. */
export function isUniqueViolation(error: unknown): boolean {
  const driverError =
    (error as { driverError?: { code?: string } })?.driverError ?? (error as { code?: string });
  const code = driverError?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
