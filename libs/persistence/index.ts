export {
  Database,
  isForeignKeyViolation,
  isUniqueViolation,
  type Row,
  type Statement,
  type StatementWrapper,
} from './database.js';
export { dataSourceOptionsFromDsn, dialectOf, type Dialect } from './dsn.js';
export { pingDatabase } from './health.js';
export { notMigratedReason, pendingMigrations } from './migration-status.js';
export {
  createDataSource,
  MIGRATIONS_TABLE,
  PersistenceModule,
  type PersistenceOptions,
} from './persistence.module.js';
export { columns } from './migration-columns.js';
export { Clock } from './clock.js';
export { isUuid, newId } from './ids.js';
export { assertQueryText, assertRowsFit, textProblem } from './stored-text.js';
export { poolStats, type PoolStats } from './pool-stats.js';
export {
  columnsOf,
  columnValues,
  hydrate,
  jsonRows,
  jsonRowsSql,
  PreparedSelect,
  quote,
} from './prepared-select.js';
export { PreparedWrite } from './prepared-write.js';
export { columnReaders, isoDateReader } from './column-readers.js';
