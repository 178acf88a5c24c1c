import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { ConfigService } from '../config/index.js';
import { Database } from '../persistence/index.js';
import {
  credentialIdentifiers,
  type LoadedIdentitySchema,
  recoveryAddresses,
  verifiableAddresses,
} from '../schema/index.js';
import { Text, type UiText } from '../text/index.js';
import { RecoveryAddressEntity, VerifiableAddressEntity } from './address.entity.js';
import { type CredentialEntity, CredentialIdentifierEntity } from './credential.entity.js';
import { type IdentityEntity } from './identity.entity.js';
import { IdentityRepository } from './identity.repository.js';

/** What a refused sign-up may tell about the account that has the identifier (message 4000028). */
export interface LoginHints {
  /** First-factor credential types the account can sign in with, sorted. */
  availableCredentialTypes: string[];
  /** The providers of its `oidc` credential. */
  availableOidcProviders: string[];
  /** The identifier or address that collided ('' for an OIDC subject). */
  identifierHint: string;
}

const hasPasswordless = (credential: CredentialEntity) =>
  ((credential.config['credentials'] as { is_passwordless?: boolean }[] | undefined) ?? []).some(
    (c) => c.is_passwordless === true,
  );

/**
 * Kratos' `selfservice.flows.registration.login_hints`: when a sign-up collides with an existing
 * account, which ways that account signs in with. Off by default, as in Kratos, since it tells a
 * stranger how an account is protected.
 */
@Injectable()
export class LoginHintsFinder {
  constructor(
    private readonly config: ConfigService,
    private readonly db: Database,
    private readonly identities: IdentityRepository,
  ) {}

  /** The message of a sign-up that collided: 4000028 with the hints when on, else 4000007. */
  async duplicateMessage(schema: LoadedIdentitySchema, traits: unknown): Promise<UiText> {
    const hints = await this.forTraits(schema, traits);
    if (!hints) return Text.duplicateIdentifier();
    return Text.duplicateIdentifierWithHints(
      hints.availableCredentialTypes,
      hints.availableOidcProviders,
      hints.identifierHint,
    );
  }

  get enabled(): boolean {
    return this.config.get<boolean>('selfservice.flows.registration.login_hints') === true;
  }

  /**
   * The hints for traits that collided, or null when hints are off or no account has them:
   * looked up by credential identifier first, then verifiable, then recovery address.
   */
  async forTraits(schema: LoadedIdentitySchema, traits: unknown): Promise<LoginHints | null> {
    if (!this.enabled) return null;
    const conflict = await this.conflicting(schema, traits);
    if (!conflict) return null;
    const identity = await this.identities.findById(conflict.identityId);
    return identity ? this.ofIdentity(identity, conflict.via === 'oidc' ? '' : conflict.value) : null;
  }

  /**
   * Kratos' hints from the account found: password (with a hash), code, oidc (and its
   * providers), webauthn and passkey (passwordless keys only); the identifier hint is the value
   * that collided, else the single identifier of its password, webauthn or passkey credential.
   */
  ofIdentity(identity: IdentityEntity, collided: string): LoginHints {
    let hint = collided.trim();
    const types = new Set<string>();
    let providers: string[] = [];
    const credentials = [...(identity.credentials ?? [])].sort((a, b) => a.type.localeCompare(b.type));
    for (const credential of credentials) {
      const single = credential.identifiers.length === 1 ? credential.identifiers[0]!.identifier : '';
      switch (credential.type) {
        case 'password':
          if (!hint) hint = single;
          if (credential.config['hashed_password']) types.add('password');
          break;
        case 'code':
          types.add('code');
          break;
        case 'oidc':
          types.add('oidc');
          providers = ((credential.config['providers'] as { provider: string }[] | undefined) ?? []).map(
            (p) => p.provider,
          );
          break;
        case 'webauthn':
        case 'passkey':
          if (!hint) hint = single;
          if (hasPasswordless(credential)) types.add(credential.type);
          break;
        default:
          break;
      }
    }
    return {
      availableCredentialTypes: [...types].sort(),
      availableOidcProviders: providers,
      identifierHint: hint,
    };
  }

  private async conflicting(
    schema: LoadedIdentitySchema,
    traits: unknown,
  ): Promise<{ identityId: string; value: string; via: string } | null> {
    const identifiers = [...new Set(Object.values(credentialIdentifiers(schema, traits)).flat())];
    if (identifiers.length > 0) {
      const row = await this.db
        .repository(CredentialIdentifierEntity)
        .findOne({ where: { identifier: In(identifiers) }, relations: { credential: true } });
      if (row?.credential)
        return { identityId: row.credential.identityId, value: row.identifier, via: row.type };
    }
    for (const [entity, addresses] of [
      [VerifiableAddressEntity, verifiableAddresses(schema, traits)],
      [RecoveryAddressEntity, recoveryAddresses(schema, traits)],
    ] as const) {
      const values = addresses.map((a) => a.value);
      if (values.length === 0) continue;
      const row = await this.db.repository(entity).findOne({ where: { value: In(values) } });
      if (row) return { identityId: row.identityId, value: row.value, via: row.via };
    }
    return null;
  }
}
