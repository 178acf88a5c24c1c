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
  columnValues,
  type Database,
  hydrate,
  jsonRows,
  jsonRowsSql,
  PreparedSelect,
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
    const postgres = db.dialect === 'postgres';
    const owner: Record<string, string> = {
      verifiable: 'x.identity_id = i.id',
      recovery: 'x.identity_id = i.id',
      devices: 'x.session_id = s.id',
      factors: `x.identity_id = i.id AND x.type IN (${SECOND_FACTOR_TYPES.map((t) => `'${t}'`).join(', ')})`,
    };
    this.select = new PreparedSelect(
      db,
      'tessera_session_by_token',
      [
        ...columnValues('s', this.session),
        ...columnValues('i', this.identity),
        ...this.nested.map(({ alias, metadata, columns }) =>
          jsonRowsSql(postgres, metadata, columns, owner[alias]!),
        ),
      ],
      `FROM sessions s JOIN identities i ON i.id = s.identity_id WHERE s.token_hash = ${postgres ? '$1' : '?'}`,
    );
  }

  /** The session with identity, addresses and devices, and the identity's second-factor credentials. */
  async byTokenHash(
    tokenHash: string,
  ): Promise<{ session: SessionEntity; secondFactors: CredentialEntity[] } | null> {
    const values = await this.select.first([tokenHash]);
    if (!values) return null;
    const source = this.db.dataSource;
    const identityAt = this.session.length;
    const nestedAt = identityAt + this.identity.length;
    const list = <T extends object>(index: number, make: () => T): T[] =>
      jsonRows(values[nestedAt + index]).map((row) =>
        hydrate(source, make(), this.nested[index]!.columns, (n) => row[n]),
      );
    const identity = hydrate(source, new IdentityEntity(), this.identity, (n) => values[identityAt + n]);
    identity.verifiableAddresses = list(0, () => new VerifiableAddressEntity());
    identity.recoveryAddresses = list(1, () => new RecoveryAddressEntity());
    const session = hydrate(source, new SessionEntity(), this.session, (n) => values[n]);
    session.identity = identity;
    session.devices = list(2, () => new SessionDeviceEntity());
    return { session, secondFactors: list(3, () => new CredentialEntity()) };
  }
}
