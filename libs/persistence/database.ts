import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, EntityManager, EntityTarget, ObjectLiteral, Repository } from 'typeorm';
import { type Dialect, dialectOf } from './dsn.js';

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

  /**
   * One statement that needs no transaction of its own (it is atomic): on PostgreSQL at once, on
   * SQLite in its turn (without BEGIN/COMMIT), so it never lands inside another request's open
   * transaction on the one connection. Inside a transaction, part of it.
   */
  async statement<T>(work: () => Promise<T>): Promise<T> {
    if (this.dialect === 'postgres' || this.inTransaction) return work();
    const turn = this.sqliteQueue.then(work, work);
    this.sqliteQueue = turn.catch(() => undefined);
    return turn;
  }

  /** Runs `callback` once the surrounding transaction has committed (at once if there is none). */
  async afterCommit(callback: () => void | Promise<void>): Promise<void> {
    const store = this.scope.getStore();
    if (store) store.afterCommit.push(callback);
    else await callback();
  }
}

/** True when a write failed on a UNIQUE constraint, on either dialect. */
export function isUniqueViolation(error: unknown): boolean {
  const driverError =
    (error as { driverError?: { code?: string } })?.driverError ?? (error as { code?: string });
  const code = driverError?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
