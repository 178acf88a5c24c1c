import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '../config/index.js';
import { Clock, newId } from '../persistence/index.js';
import { IdentitySchemaRegistry, type LoadedIdentitySchema } from '../schema/index.js';
import { AdminPasswordHasher, type PasswordHashing } from './admin-password-hasher.js';
import { CredentialEntity, CredentialIdentifierEntity, type CredentialsType } from './credential.entity.js';
import { availableAal, isSecondFactor } from './identity-aal.js';
import { reconcileAddresses } from './identity-addresses.js';
import {
  importCredentials,
  putBuiltCredential,
  setPasswordCredential,
  syncCredentialIdentifiers,
} from './identity-credentials.js';
import { IdentityEntity } from './identity.entity.js';
import { takeBeforeIdentityWrite } from './identity-write-gate.js';
import { IdentityNotFoundError, InvalidIdentityError } from './identity.errors.js';
import { type BuiltCredential, type IdentityInput } from './identity.input.js';
import { IdentityRepository, type IdentityPageQuery } from './identity.repository.js';

/** Credentials that sign someone in on their own. `code` is derived from the traits, not removable. */
const FIRST_FACTORS: readonly CredentialsType[] = ['password', 'oidc', 'saml', 'passkey'];

/** Identities as the admin API and the flows change them: validated, derived rows in step. */
@Injectable()
export class IdentityService {
  private readonly changeListeners = new Set<(identityId: string) => void>();

  constructor(
    private readonly repository: IdentityRepository,
    private readonly schemas: IdentitySchemaRegistry,
    @Inject(AdminPasswordHasher) private readonly hasher: PasswordHashing,
    private readonly clock: Clock,
    private readonly config: ConfigService,
  ) {}

  /** Called after an identity was changed or deleted (caches of sessions listen). */
  onChanged(listener: (identityId: string) => void): void {
    this.changeListeners.add(listener);
  }

  private changed(identityId: string): void {
    for (const listener of this.changeListeners) listener(identityId);
  }

  async create(input: IdentityInput): Promise<IdentityEntity> {
    const now = this.clock.now();
    const schema = this.schemaFor(input.schemaId);
    const traits = this.validTraits(schema, input.traits);
    const identity = Object.assign(new IdentityEntity(), {
      id: input.id ?? newId(now.getTime()),
      schemaId: schema.id,
      traits,
      state: input.state ?? 'active',
      stateChangedAt: now,
      metadataPublic: input.metadataPublic ?? null,
      metadataAdmin: input.metadataAdmin ?? null,
      externalId: input.externalId || null,
      organizationId: input.organizationId ?? null,
      createdAt: now,
      updatedAt: now,
      credentials: [],
      verifiableAddresses: [],
      recoveryAddresses: [],
    });
    if (input.credentials) await importCredentials(identity, input.credentials, this.hasher, now);
    for (const built of input.builtCredentials ?? []) putBuiltCredential(identity, built, now);
    syncCredentialIdentifiers(identity, schema, now);
    reconcileAddresses(identity, schema, now, input.verifiableAddresses);
    await this.write(identity, 'insert');
    return identity;
  }

  /** PUT semantics: traits, metadata and external id are replaced; omitted metadata is cleared. */
  async update(id: string, input: IdentityInput): Promise<IdentityEntity> {
    const identity = await this.get(id);
    const now = this.clock.now();
    const schema = this.schemaFor(input.schemaId || identity.schemaId);
    identity.schemaId = schema.id;
    identity.traits = this.validTraits(schema, input.traits);
    if (input.state && input.state !== identity.state) {
      identity.state = input.state;
      identity.stateChangedAt = now;
    }
    identity.metadataPublic = input.metadataPublic ?? null;
    identity.metadataAdmin = input.metadataAdmin ?? null;
    identity.externalId = input.externalId || null;
    if (input.organizationId !== undefined) identity.organizationId = input.organizationId;
    identity.updatedAt = now;
    if (input.credentials) await importCredentials(identity, input.credentials, this.hasher, now);
    syncCredentialIdentifiers(identity, schema, now);
    reconcileAddresses(identity, schema, now, input.verifiableAddresses);
    await this.write(identity, 'update');
    this.changed(identity.id);
    return identity;
  }

  async get(id: string): Promise<IdentityEntity> {
    const identity = await this.repository.findById(id);
    if (!identity) throw new IdentityNotFoundError();
    return identity;
  }

  async getByExternalId(externalId: string): Promise<IdentityEntity> {
    const identity = await this.repository.findByExternalId(externalId);
    if (!identity) throw new IdentityNotFoundError();
    return identity;
  }

  list(query: IdentityPageQuery) {
    return this.repository.list(query);
  }

  /** See `IdentityRepository.holdForReference`: false when the identity is gone. */
  holdForReference(id: string): Promise<boolean> {
    return this.repository.holdForReference(id);
  }

  async delete(id: string): Promise<void> {
    if (!(await this.repository.delete(id))) throw new IdentityNotFoundError();
    this.changed(id);
  }

  /**
   * Removes one credential type. The last first factor stays, so nobody is locked out by an
   * admin call; for OIDC/SAML an `identifier` (`provider:subject`) removes just that link.
   */
  async deleteCredentials(id: string, type: string, identifier?: string): Promise<void> {
    const deletable = ['password', 'oidc', 'saml', 'totp', 'lookup_secret', 'webauthn', 'passkey'];
    if (!deletable.includes(type))
      throw new InvalidIdentityError(`Credentials type ${type} cannot be deleted.`);
    const identity = await this.get(id);
    const credential = identity.credentials?.find((c) => c.type === type);
    if (!credential) throw new IdentityNotFoundError();
    const firstFactors = (identity.credentials ?? []).filter((c) => FIRST_FACTORS.includes(c.type));
    const now = this.clock.now();
    if ((type === 'oidc' || type === 'saml') && identifier) {
      const providers = (credential.config['providers'] as { provider: string; subject: string }[]) ?? [];
      const rest = providers.filter((p) => `${p.provider}:${p.subject}` !== identifier);
      if (rest.length === providers.length) throw new IdentityNotFoundError();
      if (rest.length === 0 && firstFactors.length < 2) throw lastFirstFactor();
      credential.config = { ...credential.config, providers: rest };
      if (rest.length === 0) identity.credentials = identity.credentials!.filter((c) => c !== credential);
    } else {
      if (FIRST_FACTORS.includes(credential.type) && firstFactors.length < 2) throw lastFirstFactor();
      identity.credentials = identity.credentials!.filter((c) => c !== credential);
    }
    identity.updatedAt = now;
    syncCredentialIdentifiers(identity, this.schemaFor(identity.schemaId), now);
    await this.write(identity, 'update');
    this.changed(id);
  }

  /**
   * Sets (replaces) a credential that the identity keeps apart from its traits (TOTP, lookup
   * secrets). Its identifier is the identity id, as in Kratos.
   */
  async putCredential(
    id: string,
    type: CredentialsType,
    config: Record<string, unknown>,
  ): Promise<IdentityEntity> {
    const identity = await this.get(id);
    const now = this.clock.now();
    const existing = identity.credentials?.find((c) => c.type === type);
    const credential =
      existing ??
      Object.assign(new CredentialEntity(), {
        id: newId(now.getTime()),
        identityId: id,
        type,
        version: 0,
        createdAt: now,
        identifiers: [],
      });
    credential.config = config;
    credential.updatedAt = now;
    if (credential.identifiers.length === 0) {
      credential.identifiers = [
        Object.assign(new CredentialIdentifierEntity(), {
          id: newId(now.getTime()),
          credentialId: credential.id,
          type,
          identifier: id,
          createdAt: now,
          updatedAt: now,
        }),
      ];
    }
    if (!existing) identity.credentials = [...(identity.credentials ?? []), credential];
    identity.updatedAt = now;
    await this.write(identity, 'update');
    this.changed(id);
    return identity;
  }

  /**
   * Adds one OIDC connection (`<provider>:<subject>`) to an identity: account linking after a
   * sign-in, a provider linked in settings. IdentityConflictError when another identity has it.
   */
  async linkOidcProvider(
    id: string,
    entry: {
      provider: string;
      subject: string;
      initial_id_token?: string;
      initial_access_token?: string;
      initial_refresh_token?: string;
    },
  ): Promise<IdentityEntity> {
    const identity = await this.get(id);
    const now = this.clock.now();
    await importCredentials(identity, { oidc: { config: { providers: [entry] } } }, this.hasher, now);
    identity.updatedAt = now;
    syncCredentialIdentifiers(identity, this.schemaFor(identity.schemaId), now);
    await this.write(identity, 'update');
    this.changed(id);
    return identity;
  }

  /** Removes every credential of a type (no last-first-factor rule: for second factors). */
  async removeCredential(id: string, type: CredentialsType): Promise<IdentityEntity> {
    const identity = await this.get(id);
    identity.credentials = (identity.credentials ?? []).filter((c) => c.type !== type);
    identity.updatedAt = this.clock.now();
    await this.write(identity, 'update');
    this.changed(id);
    return identity;
  }

  /** Whether a code counts as a second factor (`selfservice.methods.code.mfa_enabled`). */
  private get codeMfa(): boolean {
    return this.config.get<boolean>('selfservice.methods.code.mfa_enabled') === true;
  }

  /** aal2 when the identity has a usable second factor; reads just those credential rows. */
  async availableAal(id: string): Promise<'aal1' | 'aal2'> {
    const types: CredentialsType[] = [
      'totp',
      'lookup_secret',
      'webauthn',
      ...(this.codeMfa ? ['code' as const] : []),
    ];
    const credentials = await this.repository.findCredentials(id, types);
    return credentials.some((c) => isSecondFactor(c, this.codeMfa)) ? 'aal2' : 'aal1';
  }

  /** The same for an identity loaded with its credentials. */
  availableAalOf(identity: IdentityEntity): 'aal1' | 'aal2' {
    return availableAal(identity, this.codeMfa);
  }

  /** The same from an identity's credentials of the second-factor types (or more). */
  availableAalOfCredentials(credentials: Pick<CredentialEntity, 'type' | 'config'>[]): 'aal1' | 'aal2' {
    return credentials.some((c) => isSecondFactor(c, this.codeMfa)) ? 'aal2' : 'aal1';
  }

  /** Tells listeners (session caches) that an identity's credentials changed outside this service. */
  credentialsChanged(id: string): void {
    this.changed(id);
  }

  /**
   * A self-service profile change: new traits (validated), login identifiers and addresses
   * derived again; an address that is new or changed starts unverified.
   */
  async updateTraits(id: string, traits: unknown): Promise<IdentityEntity> {
    const identity = await this.get(id);
    const now = this.clock.now();
    const schema = this.schemaFor(identity.schemaId);
    identity.traits = this.validTraits(schema, traits);
    identity.updatedAt = now;
    syncCredentialIdentifiers(identity, schema, now);
    reconcileAddresses(identity, schema, now);
    await this.write(identity, 'update');
    this.changed(identity.id);
    return identity;
  }

  /** A self-service password change; creates the password credential when there was none. */
  async setPasswordHash(id: string, hashed: string): Promise<IdentityEntity> {
    const identity = await this.get(id);
    const now = this.clock.now();
    setPasswordCredential(identity, hashed, now);
    identity.updatedAt = now;
    syncCredentialIdentifiers(identity, this.schemaFor(identity.schemaId), now);
    await this.write(identity, 'update');
    this.changed(identity.id);
    return identity;
  }

  /**
   * Replaces the identity's WebAuthn or passkey credential (a self-service strategy built it), or
   * removes it when `built` lists no keys. Refuses to drop the last first factor.
   */
  async putKeyCredential(id: string, built: BuiltCredential): Promise<IdentityEntity> {
    const identity = await this.get(id);
    const now = this.clock.now();
    const keys = built.config['credentials'];
    if (Array.isArray(keys) && keys.length === 0) {
      const firstFactors = (identity.credentials ?? []).filter((c) => FIRST_FACTORS.includes(c.type));
      if (FIRST_FACTORS.includes(built.type) && firstFactors.length < 2) throw lastFirstFactor();
      identity.credentials = (identity.credentials ?? []).filter((c) => c.type !== built.type);
    } else {
      putBuiltCredential(identity, built, now);
    }
    identity.updatedAt = now;
    syncCredentialIdentifiers(identity, this.schemaFor(identity.schemaId), now);
    await this.write(identity, 'update');
    this.changed(id);
    return identity;
  }

  /**
   * Compare-and-set on the `type` credential's config as read with `identity`: written only if
   * nobody changed that credential since (a key removed, another counter saved). On success the
   * entity holds what was written; false when another request won, and nothing was written.
   */
  async setCredentialConfigIfUnchanged(
    identity: IdentityEntity,
    type: string,
    config: Record<string, unknown>,
  ): Promise<boolean> {
    const credential = identity.credentials?.find((c) => c.type === type);
    if (!credential) return false;
    const now = this.clock.now();
    if (!(await this.repository.updateCredentialConfig(credential, config, now))) return false;
    Object.assign(credential, { config, version: credential.version + 1, updatedAt: now });
    this.changed(identity.id);
    return true;
  }

  /** Upgrades a stored password hash after a successful login with an older algorithm or weaker cost. */
  async replacePasswordHash(id: string, hashed: string): Promise<void> {
    const identity = await this.get(id);
    const credential = identity.credentials?.find((c) => c.type === 'password');
    if (!credential) return;
    credential.config = { ...credential.config, hashed_password: hashed };
    credential.updatedAt = this.clock.now();
    await this.write(identity, 'update');
  }

  /** Stores the identity, after the scope's pre-persist callback (which may change the traits). */
  private async write(identity: IdentityEntity, how: 'insert' | 'update'): Promise<void> {
    const before = takeBeforeIdentityWrite();
    if (before) {
      const traits = JSON.stringify(identity.traits);
      await before(identity);
      if (JSON.stringify(identity.traits) !== traits) {
        const schema = this.schemaFor(identity.schemaId);
        identity.traits = this.validTraits(schema, identity.traits);
        syncCredentialIdentifiers(identity, schema, identity.updatedAt);
        reconcileAddresses(identity, schema, identity.updatedAt);
      }
    }
    await (how === 'insert' ? this.repository.insert(identity) : this.repository.update(identity));
  }

  private schemaFor(schemaId: string): LoadedIdentitySchema {
    const schema = this.schemas.find(schemaId);
    if (!schema)
      throw new InvalidIdentityError(`The requested identity schema "${schemaId}" does not exist.`);
    return schema;
  }

  private validTraits(schema: LoadedIdentitySchema, traits: unknown): Record<string, unknown> {
    const result = this.schemas.validateTraits(schema.id, traits);
    if (!result.ok) {
      const reason = result.errors.map((e) => `${e.path}: ${e.message}`).join('; ');
      throw new InvalidIdentityError(`The traits do not match the identity schema: ${reason}`, {
        validation_errors: result.errors.map(({ path, pointer, keyword, message }) => ({
          path,
          pointer,
          keyword,
          message,
        })),
      });
    }
    return traits as Record<string, unknown>;
  }
}

function lastFirstFactor(): InvalidIdentityError {
  return new InvalidIdentityError('You cannot remove the last first factor credential.');
}
