import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata.js';
import type { EntityMetadata } from 'typeorm';
import {
  CredentialEntity,
  IdentityEntity,
  RecoveryAddressEntity,
  VerifiableAddressEntity,
} from '../identity/index.js';
import {
  columnReaders,
  type Database,
  isoDateReader,
  jsonRows,
  PreparedSelect,
  quote,
} from '../persistence/index.js';
import { type Aal, SessionDeviceEntity, SessionEntity } from './session.entity.js';

/** What whoami needs of a session to decide, and its answer already written as JSON. */
export interface WhoamiRow {
  identityId: string;
  aal: Aal;
  /** The session is active, unexpired at `now`, and its identity active. */
  usable: boolean;
  /** The identity's second-factor credentials, as `isSecondFactor` reads them. */
  factors: Pick<CredentialEntity, 'type' | 'config'>[];
  /** The contract's `session` object, byte for byte what SessionPresenter's would serialise to. */
  json: string;
}

/** One table's chosen columns, read by their entity's own column readers. */
class Part {
  readonly columns: ColumnMetadata[];
  readonly read: ((value: unknown) => unknown)[];
  private readonly isoOf: ((value: unknown) => string | null)[];

  constructor(
    readonly metadata: EntityMetadata,
    properties: readonly string[],
  ) {
    this.columns = properties.map((p) => {
      const column = metadata.findColumnWithPropertyName(p);
      if (!column) throw new Error(`${metadata.name} has no column ${p}`);
      return column;
    });
    this.read = columnReaders(metadata.connection, this.columns);
    this.isoOf = this.columns.map((c) =>
      c.type === Date ? isoDateReader(metadata.connection, c) : () => null,
    );
  }

  values(alias: string): string[] {
    return this.columns.map((c) => `${alias}.${quote(c.databaseName)}`);
  }

  /** The value of the property at `index` of `properties`, converted as TypeORM would. */
  at(row: readonly unknown[], offset: number, index: number): unknown {
    return this.read[index]!(row[offset + index]);
  }

  /** An ISO date, as `Date.toISOString` gives it; null for a null column. */
  iso(row: readonly unknown[], offset: number, index: number): string | null {
    return this.isoOf[index]!(row[offset + index]);
  }
}

const SESSION = [
  'identityId',
  'id',
  'active',
  'aal',
  'authenticationMethods',
  'expiresAt',
  'authenticatedAt',
  'issuedAt',
] as const;
const IDENTITY = [
  'schemaId',
  'state',
  'stateChangedAt',
  'traits',
  'metadataPublic',
  'createdAt',
  'updatedAt',
  'organizationId',
  'externalId',
] as const;
const VERIFIABLE = [
  'id',
  'value',
  'verified',
  'via',
  'status',
  'verifiedAt',
  'createdAt',
  'updatedAt',
] as const;
const RECOVERY = ['id', 'value', 'via', 'createdAt', 'updatedAt'] as const;
const DEVICE = ['id', 'ipAddress', 'userAgent', 'location', 'createdAt'] as const;
const FACTOR = ['type', 'config'] as const;

/** Each property's position in its list: `S.expiresAt` is where the session's expiry was selected. */
function positions<const P extends readonly string[]>(properties: P): Record<P[number], number> {
  return Object.fromEntries(properties.map((p, n) => [p, n])) as Record<P[number], number>;
}
const S = positions(SESSION);
const I = positions(IDENTITY);
const V = positions(VERIFIABLE);
const R = positions(RECOVERY);
const D = positions(DEVICE);
const F = positions(FACTOR);

/** Credential types that never make a session's identity aal2; their configs are the largest. */
const FIRST_FACTOR_TYPES = ['password', 'oidc', 'saml', 'passkey'] as const;

const q = JSON.stringify;
/** A stored simple-json column as JSON text: written by JSON.stringify, it is already its answer. */
const rawJson = (value: unknown): string =>
  value === null || value === undefined ? 'null' : typeof value === 'string' ? value : q(value);

/** Sorted as the presenters sort: by creation, then id (ISO dates of equal width compare as text). */
const byCreation = (a: { created: string; id: string }, b: { created: string; id: string }) =>
  a.created < b.created ? -1 : a.created > b.created ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/**
 * whoami without entities, for the uncached path: one prepared statement with exactly the
 * columns the answer needs (the session by its token hash, its identity, the identity's
 * addresses, the session's devices and the identity's second-factor credentials, nested as JSON
 * arrays), written straight into the answer's JSON text. Stored JSON (traits, metadata, the
 * authentication methods) goes into the answer as stored, without a parse and a stringify. The
 * JSON equals SessionPresenter's, field order included (test/e2e/flows/whoami-answers.spec.ts
 * compares the two byte for byte).
 */
export class WhoamiView {
  private readonly session: Part;
  private readonly identity: Part;
  private readonly nested: [Part, Part, Part, Part];
  private readonly select: PreparedSelect;

  constructor(
    db: Database,
    private readonly schemaUrl: (schemaId: string) => string,
  ) {
    const source = db.dataSource;
    const part = (entity: new () => object, properties: readonly string[]) =>
      new Part(source.getMetadata(entity), properties);
    this.session = part(SessionEntity, SESSION);
    this.identity = part(IdentityEntity, IDENTITY);
    this.nested = [
      part(VerifiableAddressEntity, VERIFIABLE),
      part(RecoveryAddressEntity, RECOVERY),
      part(SessionDeviceEntity, DEVICE),
      part(CredentialEntity, FACTOR),
    ];
    const postgres = db.dialect === 'postgres';
    const owners = [
      'x.identity_id = i.id',
      'x.identity_id = i.id',
      'x.session_id = s.id',
      // One range of the (identity_id, type) index instead of a lookup per second-factor type;
      // isSecondFactor passes over any other type. The first factors' configs are not read.
      `x.identity_id = i.id AND x.type NOT IN (${FIRST_FACTOR_TYPES.map((t) => `'${t}'`).join(', ')})`,
    ];
    // Unordered: the rows are sorted here, as the presenters sort them.
    const nested = this.nested.map((p, n) => {
      const values = p.values('x').join(', ');
      const table = quote(p.metadata.tableName);
      return postgres
        ? `(SELECT coalesce(json_agg(json_build_array(${values})), '[]') FROM ${table} x WHERE ${owners[n]})`
        : `(SELECT json_group_array(json_array(${values})) FROM ${table} x WHERE ${owners[n]})`;
    });
    this.select = new PreparedSelect(
      db,
      'tessera_whoami_by_token',
      [...this.session.values('s'), ...this.identity.values('i'), ...nested],
      `FROM sessions s JOIN identities i ON i.id = s.identity_id WHERE s.token_hash = ${postgres ? '$1' : '?'}`,
    );
  }

  async byTokenHash(tokenHash: string, now: Date): Promise<WhoamiRow | null> {
    const row = await this.select.first([tokenHash]);
    if (!row) return null;
    const s = this.session;
    const i = this.identity;
    const at = SESSION.length;
    const nestedAt = at + IDENTITY.length;
    const identityId = s.at(row, 0, S.identityId) as string;
    const expiresAt = s.at(row, 0, S.expiresAt) as Date;
    const state = i.at(row, at, I.state) as string;
    const usable = s.at(row, 0, S.active) === true && expiresAt > now && state === 'active';
    const [verifiable, recovery, devices, factors] = this.nested;

    const stateChangedAt = i.iso(row, at, I.stateChangedAt);
    const externalId = i.at(row, at, I.externalId) as string | null;
    const organizationId = i.at(row, at, I.organizationId) as string | null;
    const schemaId = i.at(row, at, I.schemaId) as string;
    const addresses = this.verifiable(jsonRows(row[nestedAt]), verifiable);
    const recoveries = this.recovery(jsonRows(row[nestedAt + 1]), recovery);
    const identity =
      `{"id":${q(identityId)},"schema_id":${q(schemaId)},"schema_url":${q(this.schemaUrl(schemaId))}` +
      `,"state":${q(state)}` +
      (stateChangedAt ? `,"state_changed_at":"${stateChangedAt}"` : '') +
      `,"traits":${rawJson(row[at + I.traits])}` +
      (addresses ? `,"verifiable_addresses":${addresses}` : '') +
      (recoveries ? `,"recovery_addresses":${recoveries}` : '') +
      `,"metadata_public":${rawJson(row[at + I.metadataPublic])}` +
      `,"created_at":"${i.iso(row, at, I.createdAt)}","updated_at":"${i.iso(row, at, I.updatedAt)}"` +
      `,"organization_id":${organizationId ? q(organizationId) : 'null'}` +
      (externalId ? `,"external_id":${q(externalId)}` : '') +
      '}';
    const json =
      `{"id":${q(s.at(row, 0, S.id))},"active":${usable}` +
      `,"expires_at":"${s.iso(row, 0, S.expiresAt)}","authenticated_at":"${s.iso(row, 0, S.authenticatedAt)}"` +
      `,"authenticator_assurance_level":${q(s.at(row, 0, S.aal))}` +
      `,"authentication_methods":${rawJson(row[S.authenticationMethods])}` +
      `,"issued_at":"${s.iso(row, 0, S.issuedAt)}"` +
      `,"identity":${identity},"devices":${this.devices(jsonRows(row[nestedAt + 2]), devices)}}`;
    return {
      identityId,
      aal: s.at(row, 0, S.aal) as Aal,
      usable,
      factors: jsonRows(row[nestedAt + 3]).map((r) => ({
        type: factors.at(r, 0, F.type) as CredentialEntity['type'],
        config: factors.at(r, 0, F.config) as CredentialEntity['config'],
      })),
      json,
    };
  }

  /** The verifiable addresses as their JSON array, or '' for none (the identity then leaves it out). */
  private verifiable(rows: unknown[][], p: Part): string {
    return list(rows, p, V.id, V.createdAt, (r, id, created) => {
      const verifiedAt = p.iso(r, 0, V.verifiedAt);
      return (
        `{"id":${q(id)},"value":${q(p.at(r, 0, V.value))},"verified":${p.at(r, 0, V.verified) ? 'true' : 'false'}` +
        `,"via":${q(p.at(r, 0, V.via))},"status":${q(p.at(r, 0, V.status))}` +
        (verifiedAt ? `,"verified_at":"${verifiedAt}"` : '') +
        `,"created_at":"${created}","updated_at":"${p.iso(r, 0, V.updatedAt)}"}`
      );
    });
  }

  /** The recovery addresses as their JSON array, or '' for none. */
  private recovery(rows: unknown[][], p: Part): string {
    return list(
      rows,
      p,
      R.id,
      R.createdAt,
      (r, id, created) =>
        `{"id":${q(id)},"value":${q(p.at(r, 0, R.value))},"via":${q(p.at(r, 0, R.via))}` +
        `,"created_at":"${created}","updated_at":"${p.iso(r, 0, R.updatedAt)}"}`,
    );
  }

  private devices(rows: unknown[][], p: Part): string {
    const items = list(
      rows,
      p,
      D.id,
      D.createdAt,
      (r, id) =>
        `{"id":${q(id)},"ip_address":${q(p.at(r, 0, D.ipAddress) ?? '')}` +
        `,"user_agent":${q(p.at(r, 0, D.userAgent) ?? '')},"location":${q(p.at(r, 0, D.location))}}`,
    );
    return items || '[]';
  }
}

/** Rows as a JSON array in the presenters' order (creation, then id); '' for no rows. */
function list(
  rows: unknown[][],
  p: Part,
  idAt: number,
  createdAt: number,
  write: (row: unknown[], id: string, created: string) => string,
): string {
  if (rows.length === 0) return '';
  const sorted = rows
    .map((r) => ({ r, id: p.at(r, 0, idAt) as string, created: p.iso(r, 0, createdAt)! }))
    .sort(byCreation);
  return `[${sorted.map(({ r, id, created }) => write(r, id, created)).join(',')}]`;
}
