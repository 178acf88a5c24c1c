import type { DataSource } from 'typeorm';

export interface PoolStats {
  /** Connections open, busy or idle. */
  total: number;
  idle: number;
  /** Queries waiting for a connection. */
  waiting: number;
}

interface PgPool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

function isPgPool(value: unknown): value is PgPool {
  const pool = value as Partial<PgPool> | null;
  return (
    typeof pool?.totalCount === 'number' &&
    typeof pool.idleCount === 'number' &&
    typeof pool.waitingCount === 'number'
  );
}

/**
 * The connection pool's counts where the driver keeps a pool (node-postgres); undefined for SQLite,
 * which has one connection. Reads counters the pool already keeps: no query.
 */
export function poolStats(dataSource: DataSource): PoolStats | undefined {
  if (!dataSource.isInitialized || dataSource.options.type !== 'postgres') return undefined;
  const pool: unknown = (dataSource.driver as { master?: unknown }).master;
  if (!isPgPool(pool)) return undefined;
  return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
}
