import { mkdirSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { DataSourceOptions } from 'typeorm';

export type Dialect = 'sqlite' | 'postgres';

/** Connection settings from a Kratos-style DSN: `memory`, `sqlite://<path>?…`, `postgres://…`. */
export function dataSourceOptionsFromDsn(
  dsn: string,
  cwd = process.cwd(),
): DataSourceOptions & { type: string } {
  if (dsn === 'memory' || /^sqlite:\/\/(file:)?:memory:/.test(dsn)) {
    return { type: 'better-sqlite3', database: ':memory:', prepareDatabase: tuneSqlite };
  }
  if (dsn.startsWith('sqlite://')) {
    const path = decodeURIComponent(
      dsn
        .slice('sqlite://'.length)
        .split('?')[0]!
        .replace(/^file:/, ''),
    );
    if (!path) throw new Error('dsn: sqlite:// needs a file path, e.g. sqlite:///var/lib/tessera/db.sqlite');
    const database = isAbsolute(path) ? path : resolve(cwd, path);
    mkdirSync(dirname(database), { recursive: true });
    return { type: 'better-sqlite3', database, enableWAL: true, prepareDatabase: tuneSqlite };
  }
  if (/^(postgres|postgresql|cockroach):\/\//.test(dsn)) {
    const url = new URL(dsn.replace(/^cockroach:/, 'postgres:'));
    const maxConns = Number(url.searchParams.get('max_conns') ?? 10);
    for (const kratosOnly of ['max_conns', 'max_idle_conns', 'max_conn_lifetime', 'max_conn_idle_time']) {
      url.searchParams.delete(kratosOnly);
    }
    return { type: 'postgres', url: url.href, extra: { max: maxConns } };
  }
  throw new Error(`dsn: unsupported database "${dsn.split(':')[0]}" (use memory, sqlite:// or postgres://)`);
}

function tuneSqlite(db: { pragma(source: string): unknown }): void {
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = NORMAL');
}

export function dialectOf(options: { type: string }): Dialect {
  return options.type === 'postgres' ? 'postgres' : 'sqlite';
}
