import { Column, Entity, OneToMany, PrimaryColumn } from 'typeorm';
import { CredentialEntity } from './credential.entity.js';
import { RecoveryAddressEntity, VerifiableAddressEntity } from './address.entity.js';

export const IdentityState = { active: 'active', inactive: 'inactive' } as const;
export type IdentityState = (typeof IdentityState)[keyof typeof IdentityState];

@Entity('identities')
export class IdentityEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'schema_id', type: 'varchar', length: 255 })
  schemaId!: string;

  @Column({ type: 'simple-json' })
  traits!: Record<string, unknown>;

  @Column({ type: 'varchar', length: 16 })
  state!: IdentityState;

  @Column({ name: 'state_changed_at', type: Date, nullable: true })
  stateChangedAt!: Date | null;

  @Column({ name: 'metadata_public', type: 'simple-json', nullable: true })
  metadataPublic!: unknown;

  @Column({ name: 'metadata_admin', type: 'simple-json', nullable: true })
  metadataAdmin!: unknown;

  @Column({ name: 'external_id', type: 'varchar', length: 255, nullable: true })
  externalId!: string | null;

  @Column({ name: 'organization_id', type: 'varchar', length: 36, nullable: true })
  organizationId!: string | null;

  @Column({ name: 'created_at', type: Date })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: Date })
  updatedAt!: Date;

  @OneToMany(() => CredentialEntity, (credential) => credential.identity, { cascade: true })
  credentials?: CredentialEntity[];

  @OneToMany(() => VerifiableAddressEntity, (address) => address.identity, { cascade: true })
  verifiableAddresses?: VerifiableAddressEntity[];

  @OneToMany(() => RecoveryAddressEntity, (address) => address.identity, { cascade: true })
  recoveryAddresses?: RecoveryAddressEntity[];
}
