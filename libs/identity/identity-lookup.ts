import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata.js';
import {
  columnsOf,
  columnValues,
  type Database,
  hydrate,
  jsonRows,
  jsonRowsSql,
  PreparedSelect,
} from '../persistence/index.js';
import { RecoveryAddressEntity, VerifiableAddressEntity } from './address.entity.js';
import { CredentialEntity, CredentialIdentifierEntity } from './credential.entity.js';
import { IdentityEntity } from './identity.entity.js';

/**
 * The identity aggregate (credentials with their identifiers, both address lists) by id in one
 * prepared statement, the one-to-many parts as JSON arrays: what `find` with those relations
 * loads, without its joined row product and hydration. Sign-ins and callbacks read it every time.
 */
export class IdentityLookup {
  private readonly identity: ColumnMetadata[];
  private readonly credential: ColumnMetadata[];
  private readonly identifier: ColumnMetadata[];
  private readonly verifiable: ColumnMetadata[];
  private readonly recovery: ColumnMetadata[];
  private readonly select: PreparedSelect;
  private readonly byIdentifier: PreparedSelect;

  constructor(private readonly db: Database) {
    const source = db.dataSource;
    const postgres = db.dialect === 'postgres';
    const metadata = (entity: new () => object) => source.getMetadata(entity);
    this.identity = columnsOf(metadata(IdentityEntity));
    this.credential = columnsOf(metadata(CredentialEntity));
    this.identifier = columnsOf(metadata(CredentialIdentifierEntity));
    this.verifiable = columnsOf(metadata(VerifiableAddressEntity));
    this.recovery = columnsOf(metadata(RecoveryAddressEntity));
    const ofIdentity = 'x.identity_id = i.id';
    const arrays = [
      jsonRowsSql(postgres, metadata(CredentialEntity), this.credential, ofIdentity),
      jsonRowsSql(
        postgres,
        metadata(CredentialIdentifierEntity),
        this.identifier,
        'x.identity_credential_id IN (SELECT c.id FROM identity_credentials c WHERE c.identity_id = i.id)',
      ),
      jsonRowsSql(postgres, metadata(VerifiableAddressEntity), this.verifiable, ofIdentity),
      jsonRowsSql(postgres, metadata(RecoveryAddressEntity), this.recovery, ofIdentity),
    ];
    this.select = new PreparedSelect(
      db,
      'tessera_identity_by_id',
      [...columnValues('i', this.identity), ...arrays],
      `FROM identities i WHERE i.id = ${postgres ? '$1' : '?'}`,
    );
    const [type, identifier] = postgres ? ['$1', '$2'] : ['?', '?'];
    this.byIdentifier = new PreparedSelect(
      db,
      'tessera_credential_by_identifier',
      columnValues('c', this.credential),
      `FROM identity_credential_identifiers x JOIN identity_credentials c ON c.id = x.identity_credential_id WHERE x.identity_credential_type = ${type} AND x.identifier = ${identifier}`,
    );
  }

  /** The credential behind a login identifier, without its identifiers or identity. */
  async credentialByIdentifier(type: string, identifier: string): Promise<CredentialEntity | null> {
    const values = await this.byIdentifier.first([type, identifier]);
    if (!values) return null;
    return hydrate(this.db.dataSource, new CredentialEntity(), this.credential, (n) => values[n]);
  }

  async byId(id: string): Promise<IdentityEntity | null> {
    const values = await this.select.first([id]);
    return values ? this.entity(values) : null;
  }

  /** The identity's columns, then its credentials, identifiers and both address lists. */
  private entity(values: unknown[]): IdentityEntity {
    const source = this.db.dataSource;
    const [credentials, identifiersRaw, verifiable, recovery] = values.slice(this.identity.length);
    const list = <T extends object>(raw: unknown, columns: ColumnMetadata[], make: () => T): T[] =>
      jsonRows(raw).map((row) => hydrate(source, make(), columns, (n) => row[n]));
    const identity = hydrate(source, new IdentityEntity(), this.identity, (n) => values[n]);
    const identifiers = list(identifiersRaw, this.identifier, () => new CredentialIdentifierEntity());
    identity.credentials = list(credentials, this.credential, () => new CredentialEntity());
    for (const credential of identity.credentials) {
      credential.identifiers = identifiers.filter((i) => i.credentialId === credential.id);
    }
    identity.verifiableAddresses = list(verifiable, this.verifiable, () => new VerifiableAddressEntity());
    identity.recoveryAddresses = list(recovery, this.recovery, () => new RecoveryAddressEntity());
    return identity;
  }
}
