import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata.js';
import type { DataSource, EntityMetadata } from 'typeorm';
import {
  CredentialEntity,
  IdentityEntity,
  RecoveryAddressEntity,
  VerifiableAddressEntity,
} from '../identity/index.js';
import { type Database } from '../persistence/index.js';
import { SessionDeviceEntity, SessionEntity } from './session.entity.js';

/** Credential types that can make an identity's available AAL aal2 (read with the session). */
const SECOND_FACTOR_TYPES = ['totp', 'lookup_secret', 'webauthn', 'code'] as const;

type Row = Record<string, unknown>;
type PreparedSqlite = { get(...params: unknown[]): Row | undefined };
type PgPool = { query(config: object): Promise<{ rows: Row[] }> };

/** One table read as positional JSON arrays inside the session's row. */
interface Nested {
  alias: string;
  metadata: EntityMetadata;
  columns: ColumnMetadata[];
}

const quote = (name: string) => `"${name}"`;

/**
 * The whoami hot path in one indexed statement: the session by its token hash, with its identity,
 * the identity's addresses, the session's devices and the identity's second-factor credentials
 * (as JSON arrays), prepared once. Values are converted by the driver's own per-column rules, so
 * the entities equal what TypeORM's `find` loads, without its query building and hydration.
 */
export class SessionLookup {
  private readonly sql: string;
  private readonly session: ColumnMetadata[];
  private readonly identity: ColumnMetadata[];
  private readonly nested: Nested[];
  private sqlite?: { connection: object; statement: PreparedSqlite };

  constructor(private readonly db: Database) {
    const source = db.dataSource;
    // A column that is also a relation's join column (identity_id) keeps its own property.
    const columnsOf = (metadata: EntityMetadata) => {
      const relations = new Set(metadata.relations.map((r) => r.propertyName));
      return metadata.columns.filter((c) => !relations.has(c.propertyName));
    };
    this.session = columnsOf(source.getMetadata(SessionEntity));
    this.identity = columnsOf(source.getMetadata(IdentityEntity));
    const nested = (alias: string, entity: new () => object) => {
      const metadata = source.getMetadata(entity);
      return { alias, metadata, columns: columnsOf(metadata) };
    };
    this.nested = [
      nested('verifiable', VerifiableAddressEntity),
      nested('recovery', RecoveryAddressEntity),
      nested('devices', SessionDeviceEntity),
      nested('factors', CredentialEntity),
    ];
    this.sql = this.build(db.dialect === 'postgres');
  }

  private build(postgres: boolean): string {
    const parameter = postgres ? '$1' : '?';
    const owner: Record<string, string> = {
      verifiable: 'x.identity_id = i.id',
      recovery: 'x.identity_id = i.id',
      devices: 'x.session_id = s.id',
      factors: `x.identity_id = i.id AND x.type IN (${SECOND_FACTOR_TYPES.map((t) => `'${t}'`).join(', ')})`,
    };
    const arrays = this.nested.map(({ alias, metadata, columns }) => {
      const values = columns.map((c) => `x.${quote(c.databaseName)}`).join(', ');
      const table = quote(metadata.tableName);
      const sql = postgres
        ? `(SELECT coalesce(json_agg(json_build_array(${values}) ORDER BY x.id), '[]') FROM ${table} x WHERE ${owner[alias]})`
        : `(SELECT json_group_array(json_array(${values})) FROM (SELECT * FROM ${table} x WHERE ${owner[alias]} ORDER BY x.id) x)`;
      return `${sql} AS ${alias}`;
    });
    const select = [
      ...this.session.map((c, n) => `s.${quote(c.databaseName)} AS s${n}`),
      ...this.identity.map((c, n) => `i.${quote(c.databaseName)} AS i${n}`),
      ...arrays,
    ];
    return `SELECT ${select.join(', ')} FROM sessions s JOIN identities i ON i.id = s.identity_id WHERE s.token_hash = ${parameter}`;
  }

  /** The session with identity, addresses and devices, and the identity's second-factor credentials. */
  async byTokenHash(
    tokenHash: string,
  ): Promise<{ session: SessionEntity; secondFactors: CredentialEntity[] } | null> {
    const row = await this.row(tokenHash);
    if (!row) return null;
    const source = this.db.dataSource;
    const hydrate = <T extends object>(
      target: T,
      columns: ColumnMetadata[],
      value: (n: number) => unknown,
    ): T => {
      columns.forEach((column, n) => {
        (target as Row)[column.propertyName] = source.driver.prepareHydratedValue(value(n), column);
      });
      return target;
    };
    const list = <T extends object>(index: number, make: () => T): T[] => {
      const { alias, columns } = this.nested[index]!;
      const raw = row[alias];
      const arrays = (typeof raw === 'string' ? JSON.parse(raw) : (raw ?? [])) as unknown[][];
      return arrays.map((values) => hydrate(make(), columns, (n) => values[n]));
    };
    const identity = hydrate(new IdentityEntity(), this.identity, (n) => row[`i${n}`]);
    identity.verifiableAddresses = list(0, () => new VerifiableAddressEntity());
    identity.recoveryAddresses = list(1, () => new RecoveryAddressEntity());
    const session = hydrate(new SessionEntity(), this.session, (n) => row[`s${n}`]);
    session.identity = identity;
    session.devices = list(2, () => new SessionDeviceEntity());
    return { session, secondFactors: list(3, () => new CredentialEntity()) };
  }

  private async row(tokenHash: string): Promise<Row | undefined> {
    const source: DataSource = this.db.dataSource;
    if (this.db.dialect === 'sqlite') {
      // better-sqlite3 has one connection: inside or outside a transaction, it is this one.
      const connection = (
        source.driver as unknown as { databaseConnection: { prepare(sql: string): PreparedSqlite } }
      ).databaseConnection;
      if (this.sqlite?.connection !== connection) {
        this.sqlite = { connection, statement: connection.prepare(this.sql) };
      }
      return this.sqlite.statement.get(tokenHash);
    }
    // Inside a transaction the read goes through its connection; else a named prepared statement.
    if (this.db.inTransaction) return ((await this.db.manager.query(this.sql, [tokenHash])) as Row[])[0];
    const pool = (source.driver as unknown as { master: PgPool }).master;
    const { rows } = await pool.query({
      name: 'tessera_session_by_token',
      text: this.sql,
      values: [tokenHash],
    });
    return rows[0];
  }
}
