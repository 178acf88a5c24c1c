import { Column, Entity, JoinColumn, ManyToOne, OneToMany, PrimaryColumn } from 'typeorm';
import type { IdentityEntity } from './identity.entity.js';
import { IdentityEntity as IdentityEntityRef } from './identity.entity.js';

export const CredentialsType = {
  password: 'password',
  oidc: 'oidc',
  totp: 'totp',
  lookupSecret: 'lookup_secret',
  webauthn: 'webauthn',
  code: 'code',
  passkey: 'passkey',
  profile: 'profile',
  saml: 'saml',
} as const;
export type CredentialsType = (typeof CredentialsType)[keyof typeof CredentialsType];

@Entity('identity_credentials')
export class CredentialEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'identity_id', type: 'varchar', length: 36 })
  identityId!: string;

  @Column({ type: 'varchar', length: 32 })
  type!: CredentialsType;

  /** Method-specific data: a password hash, OIDC subjects, a TOTP URL. Never sent to clients raw. */
  @Column({ type: 'simple-json' })
  config!: Record<string, unknown>;

  @Column({ type: 'integer', default: 0 })
  version!: number;

  @Column({ name: 'created_at', type: Date })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: Date })
  updatedAt!: Date;

  @ManyToOne(() => IdentityEntityRef, (identity) => identity.credentials, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'identity_id' })
  identity?: IdentityEntity;

  @OneToMany(() => CredentialIdentifierEntity, (identifier) => identifier.credential, {
    cascade: true,
    eager: true,
  })
  identifiers!: CredentialIdentifierEntity[];
}

/** One login identifier of a credential; unique per credential type across all identities. */
@Entity('identity_credential_identifiers')
export class CredentialIdentifierEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'identity_credential_id', type: 'varchar', length: 36 })
  credentialId!: string;

  @Column({ name: 'identity_credential_type', type: 'varchar', length: 32 })
  type!: CredentialsType;

  @Column({ type: 'varchar', length: 255 })
  identifier!: string;

  @Column({ name: 'created_at', type: Date })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: Date })
  updatedAt!: Date;

  @ManyToOne(() => CredentialEntity, (credential) => credential.identifiers, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'identity_credential_id' })
  credential?: CredentialEntity;
}
