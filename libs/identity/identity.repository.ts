import { Injectable } from '@nestjs/common';
import { In, MoreThan, type EntityTarget, type FindOptionsWhere, type ObjectLiteral } from 'typeorm';
import {
  assertRowsFit,
  Database,
  isUniqueViolation,
  PreparedWrite,
  textProblem,
} from '../persistence/index.js';
import { RecoveryAddressEntity, VerifiableAddressEntity } from './address.entity.js';
import { CredentialEntity, CredentialIdentifierEntity, CredentialsType } from './credential.entity.js';
import { IdentityEntity } from './identity.entity.js';
import { IdentityConflictError, IdentityNotFoundError } from './identity.errors.js';
import { IdentityLookup } from './identity-lookup.js';

const IDENTIFIER_LENGTH = 255;

const RELATIONS = {
  credentials: { identifiers: true },
  verifiableAddresses: true,
  recoveryAddresses: true,
} as const;

export interface IdentityPageQuery {
  pageSize: number;
  /** Keyset: identities with an id greater than this one. */
  after?: string;
  /** Offset pages, for clients still on the legacy `page` parameter. */
  offset?: number;
  ids?: string[];
  organizationId?: string;
  /** Exact identifiers to match (the raw and the normalised form). */
  credentialsIdentifiers?: string[];
}

/** The identity aggregate in the database: identity, credentials with identifiers, addresses. */
@Injectable()
export class IdentityRepository {
  private prepared?: IdentityLookup;
  private readonly writes = new Map<EntityTarget<ObjectLiteral>, PreparedWrite<ObjectLiteral>>();

  constructor(private readonly db: Database) {}

  /** Made on first use: entity metadata is complete once the data source is initialised. */
  private get lookup(): IdentityLookup {
    return (this.prepared ??= new IdentityLookup(this.db));
  }

  /** The whole aggregate in one prepared statement (see IdentityLookup). */
  findById(id: string): Promise<IdentityEntity | null> {
    return this.lookup.byId(id);
  }

  findByExternalId(externalId: string): Promise<IdentityEntity | null> {
    return this.db.repository(IdentityEntity).findOne({ where: { externalId }, relations: RELATIONS });
  }

  /**
   * Just the credential behind an identifier, in one query: a sign-in checks the secret before it
   * loads anything else, so a wrong password costs the same as an unknown identifier.
   */
  async findCredentialByIdentifier(
    type: CredentialsType,
    identifier: string,
  ): Promise<CredentialEntity | null> {
    // No stored identifier holds NUL or exceeds its column; PostgreSQL would fail the query.
    if (textProblem(identifier, IDENTIFIER_LENGTH)) return null;
    return this.lookup.credentialByIdentifier(type, identifier);
  }

  /**
   * The identity one of whose credentials (of any type) has this identifier: identifier_first
   * login's question, as Kratos' FindIdentityByCredentialIdentifier.
   */
  async findByCredentialIdentifier(identifier: string): Promise<IdentityEntity | null> {
    if (textProblem(identifier, IDENTIFIER_LENGTH)) return null;
    const row = await this.db.repository(CredentialIdentifierEntity).findOne({
      // Every type named, so the (type, identifier) index answers.
      where: { type: In(Object.values(CredentialsType)), identifier },
      relations: { credential: true },
    });
    return row?.credential ? this.findById(row.credential.identityId) : null;
  }

  /** One credential of an identity, without loading the rest of the aggregate. */
  async findCredential(identityId: string, type: CredentialsType): Promise<CredentialEntity | null> {
    const [credential] = await this.db.repository(CredentialEntity).find({ where: { identityId, type } });
    return credential ?? null;
  }

  /** The identity's credentials of the given types (identifiers included), and nothing else. */
  findCredentials(identityId: string, types: CredentialsType[]): Promise<CredentialEntity[]> {
    return this.db.repository(CredentialEntity).find({ where: { identityId, type: In(types) } });
  }

  /**
   * Compare-and-set on a credential's config: written only if nobody changed the row since it was
   * read at `version`. False when another request won (a TOTP step or backup code used twice).
   */
  async updateCredentialConfig(
    credential: CredentialEntity,
    config: Record<string, unknown>,
    now: Date,
  ): Promise<boolean> {
    const result = await this.db
      .repository(CredentialEntity)
      .update({ id: credential.id, version: credential.version }, {
        config,
        version: credential.version + 1,
        updatedAt: now,
      } as never);
    return (result.affected ?? 0) === 1;
  }

  async list(query: IdentityPageQuery): Promise<{ identities: IdentityEntity[]; total?: number }> {
    const where: FindOptionsWhere<IdentityEntity> = {};
    if (query.ids) where.id = In(query.ids);
    if (query.organizationId) where.organizationId = query.organizationId;
    if (query.after && query.offset === undefined) where.id = MoreThan(query.after);
    if (query.credentialsIdentifiers) {
      const matches = await this.db
        .repository(CredentialIdentifierEntity)
        .find({ where: { identifier: In(query.credentialsIdentifiers) }, relations: { credential: true } });
      const identityIds = [...new Set(matches.map((m) => m.credential!.identityId))];
      where.id = query.after ? In(identityIds.filter((id) => id > query.after!)) : In(identityIds);
    }
    const repository = this.db.repository(IdentityEntity);
    const page = await repository.find({
      where,
      order: { id: 'ASC' },
      take: query.pageSize,
      skip: query.offset,
      relations: RELATIONS,
    });
    const total = query.offset !== undefined ? await repository.count({ where }) : undefined;
    return { identities: page, total };
  }

  /** Inserts a new aggregate with plain INSERTs: no existence checks on the hot create path. */
  async insert(identity: IdentityEntity): Promise<void> {
    this.assertFits(identity);
    const { credentials = [], verifiableAddresses = [], recoveryAddresses = [], ...row } = identity;
    await this.guardConflicts(() =>
      this.db.transaction(async () => {
        await this.insertRows(IdentityEntity, [row]);
        await this.insertRows(
          CredentialEntity,
          credentials.map(({ identifiers: _, ...c }) => c),
        );
        await this.insertRows(
          CredentialIdentifierEntity,
          credentials.flatMap((c) => c.identifiers ?? []),
        );
        await this.insertRows(VerifiableAddressEntity, verifiableAddresses);
        await this.insertRows(RecoveryAddressEntity, recoveryAddresses);
      }),
    );
  }

  /**
   * Writes the whole aggregate: rows no longer present are deleted, the rest upserted. Updates of
   * one identity take turns on its row, and each compares with the rows as the one before left
   * them, so the stored aggregate is always one writer's whole (never one writer's addresses
   * beside another's). An identity deleted meanwhile stays deleted: IdentityNotFoundError.
   */
  async update(identity: IdentityEntity): Promise<void> {
    this.assertFits(identity);
    await this.guardConflicts(() =>
      this.db.transaction(async () => {
        if (!(await this.hold(identity.id, 'NO KEY UPDATE'))) throw new IdentityNotFoundError();
        const stored = await this.removeOrphans(identity);
        versionChangedConfigs(identity.credentials ?? [], stored);
        await this.db.repository(IdentityEntity).save(identity);
      }),
    );
  }

  /** Every string of the aggregate fits its column (length, no NUL): a 400 instead of a database error. */
  private assertFits(identity: IdentityEntity): void {
    const fit = (entity: EntityTarget<ObjectLiteral>, rows: readonly object[]) =>
      assertRowsFit(this.db.dataSource.getMetadata(entity), rows);
    const credentials = identity.credentials ?? [];
    fit(IdentityEntity, [identity]);
    fit(CredentialEntity, credentials);
    fit(
      CredentialIdentifierEntity,
      credentials.flatMap((c) => c.identifiers ?? []),
    );
    fit(VerifiableAddressEntity, identity.verifiableAddresses ?? []);
    fit(RecoveryAddressEntity, identity.recoveryAddresses ?? []);
  }

  /** Prepared INSERTs, a row each: no query building and no read-back of defaults. */
  private async insertRows<T extends ObjectLiteral>(entity: EntityTarget<T>, rows: object[]): Promise<void> {
    if (rows.length === 0) return;
    let write = this.writes.get(entity);
    if (!write) this.writes.set(entity, (write = PreparedWrite.insert(this.db, entity)));
    for (const row of rows) await write.run(row);
  }

  private async guardConflicts(write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } catch (error) {
      if (isUniqueViolation(error)) throw new IdentityConflictError();
      throw error;
    }
  }

  /**
   * Inside a transaction: keeps the identity from being deleted until it ends, and answers
   * whether it still exists. On PostgreSQL the row's KEY SHARE lock, which the foreign key check
   * of a row referencing the identity would take anyway; taken first, the transaction waits for
   * a delete before it locks the identity's other rows (the order the delete's cascade locks
   * them in) instead of deadlocking with it. SQLite has one writer: a read is enough.
   */
  holdForReference(id: string): Promise<boolean> {
    return this.hold(id, 'KEY SHARE');
  }

  /** The row lock (PostgreSQL) of an identity that exists, inside a transaction; false if it does not. */
  private async hold(id: string, lock: 'KEY SHARE' | 'NO KEY UPDATE'): Promise<boolean> {
    const postgres = this.db.dialect === 'postgres';
    const rows = await this.db.prepared(
      `tessera_identity_hold_${lock.replaceAll(' ', '_').toLowerCase()}`,
      `SELECT 1 FROM identities WHERE id = ${postgres ? `$1 FOR ${lock}` : '?'}`,
      [id],
    );
    return rows.length > 0;
  }

  async delete(id: string): Promise<boolean> {
    return this.db.transaction(async () => {
      const result = await this.db.repository(IdentityEntity).delete({ id });
      return (result.affected ?? 0) > 0;
    });
  }

  /** Deletes the rows the aggregate no longer has; answers its credentials as they were stored. */
  private async removeOrphans(identity: IdentityEntity): Promise<CredentialEntity[]> {
    const keep = (rows: { id: string }[] | undefined) => new Set((rows ?? []).map((row) => row.id));
    const credentials = keep(identity.credentials);
    const identifiers = keep(identity.credentials?.flatMap((c) => c.identifiers ?? []));
    const verifiable = keep(identity.verifiableAddresses);
    const recovery = keep(identity.recoveryAddresses);
    const existing = await this.db.repository(CredentialEntity).find({ where: { identityId: identity.id } });
    const gone = <T extends { id: string }>(rows: T[], kept: Set<string>) =>
      rows.filter((row) => !kept.has(row.id)).map((row) => row.id);
    const staleIdentifiers = gone(
      existing.flatMap((c) => c.identifiers ?? []),
      identifiers,
    );
    if (staleIdentifiers.length)
      await this.db.repository(CredentialIdentifierEntity).delete({ id: In(staleIdentifiers) });
    const staleCredentials = gone(existing, credentials);
    if (staleCredentials.length)
      await this.db.repository(CredentialEntity).delete({ id: In(staleCredentials) });
    for (const [entity, kept] of [
      [VerifiableAddressEntity, verifiable],
      [RecoveryAddressEntity, recovery],
    ] as const) {
      const rows = await this.db
        .repository<{ id: string; identityId: string }>(entity)
        .find({ where: { identityId: identity.id } });
      const stale = gone(rows, kept);
      if (stale.length) await this.db.repository<{ id: string }>(entity).delete({ id: In(stale) });
    }
    return existing;
  }
}

/**
 * A credential whose config differs from the stored one gets the next version, whatever version
 * its writer read, so a compare-and-set prepared from an earlier read (a TOTP step, a security
 * key's counter) fails instead of writing that earlier config back over this change.
 */
function versionChangedConfigs(credentials: CredentialEntity[], stored: CredentialEntity[]): void {
  const before = new Map(stored.map((credential) => [credential.id, credential]));
  for (const credential of credentials) {
    const was = before.get(credential.id);
    if (!was) continue;
    const same = JSON.stringify(was.config) === JSON.stringify(credential.config);
    credential.version = same ? was.version : was.version + 1;
  }
}
