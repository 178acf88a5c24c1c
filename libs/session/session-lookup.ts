import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata.js';
import type { EntityMetadata } from 'typeorm';
import {
  CredentialEntity,
  IdentityEntity,
  RecoveryAddressEntity,
  VerifiableAddressEntity,
} from '../identity/index.js';
import {
  columnsOf,
  type Database,
  hydrate,
  jsonRows,
  jsonRowsSql,
  PreparedSelect,
  quote,
  selectList,
} from '../persistence/index.js';
import { SessionDeviceEntity, SessionEntity } from './session.entity.js';

/** Credential types that can make an identity's available AAL aal2 (read with the session). */
const SECOND_FACTOR_TYPES = ['totp', 'lookup_secret', 'webauthn', 'code'] as const;

/** One table read as positional JSON arrays inside the session's row. */
interface Nested {
  alias: string;
  metadata: EntityMetadata;
  columns: ColumnMetadata[];
}

/**
 * The whoami hot path in one indexed statement: the session by its token hash, with its identity,
 * the identity's addresses, the session's devices and the identity's second-factor credentials
 * (as JSON arrays), prepared once. Values are converted by the driver's own per-column rules, so
 * the entities equal what TypeORM's `find` loads, without its query building and hydration.
 */
export class SessionLookup {
  private readonly session: ColumnMetadata[];
  private readonly identity: ColumnMetadata[];
  private readonly nested: Nested[];
  private readonly select: PreparedSelect;

  constructor(private readonly db: Database) {
    const source = db.dataSource;
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
    this.select = new PreparedSelect(db, 'tessera_session_by_token', this.build(db.dialect === 'postgres'));
  }

  private build(postgres: boolean): string {
    const parameter = postgres ? '$1' : '?';
    const owner: Record<string, string> = {
      verifiable: 'x.identity_id = i.id',
      recovery: 'x.identity_id = i.id',
      devices: 'x.session_id = s.id',
      factors: `x.identity_id = i.id AND x.type IN (${SECOND_FACTOR_TYPES.map((t) => `'${t}'`).join(', ')})`,
    };
    const arrays = this.nested.map(
      ({ alias, metadata, columns }) =>
        `${jsonRowsSql(postgres, metadata, columns, owner[alias]!)} AS ${alias}`,
    );
    const from = `FROM sessions s JOIN identities i ON i.id = s.identity_id WHERE s.token_hash = ${parameter}`;
    if (postgres) {
      // One JSON value, parsed once, instead of a field per column with its own type parser.
      const values = [
        ...this.session.map((c) => `s.${quote(c.databaseName)}`),
        ...this.identity.map((c) => `i.${quote(c.databaseName)}`),
        ...this.nested.map(({ metadata, columns }, n) =>
          jsonRowsSql(postgres, metadata, columns, owner[this.nested[n]!.alias]!),
        ),
      ];
      return `SELECT json_build_array(${values.join(', ')}) AS r ${from}`;
    }
    const select = [selectList('s', this.session, 's'), selectList('i', this.identity, 'i'), ...arrays];
    return `SELECT ${select.join(', ')} ${from}`;
  }

  /** PostgreSQL's one positional array, named as the columns of the SQLite row. */
  private named(values: unknown[]): Record<string, unknown> {
    const row: Record<string, unknown> = {};
    let at = 0;
    this.session.forEach((_, n) => (row[`s${n}`] = values[at++]));
    this.identity.forEach((_, n) => (row[`i${n}`] = values[at++]));
    for (const { alias } of this.nested) row[alias] = values[at++];
    return row;
  }

  /** The session with identity, addresses and devices, and the identity's second-factor credentials. */
  async byTokenHash(
    tokenHash: string,
  ): Promise<{ session: SessionEntity; secondFactors: CredentialEntity[] } | null> {
    const found = await this.select.first([tokenHash]);
    if (!found) return null;
    const row = found['r'] ? this.named(found['r'] as unknown[]) : found;
    const source = this.db.dataSource;
    const list = <T extends object>(index: number, make: () => T): T[] => {
      const { alias, columns } = this.nested[index]!;
      return jsonRows(row[alias]).map((values) => hydrate(source, make(), columns, (n) => values[n]));
    };
    const identity = hydrate(source, new IdentityEntity(), this.identity, (n) => row[`i${n}`]);
    identity.verifiableAddresses = list(0, () => new VerifiableAddressEntity());
    identity.recoveryAddresses = list(1, () => new RecoveryAddressEntity());
    const session = hydrate(source, new SessionEntity(), this.session, (n) => row[`s${n}`]);
    session.identity = identity;
    session.devices = list(2, () => new SessionDeviceEntity());
    return { session, secondFactors: list(3, () => new CredentialEntity()) };
  }
}
