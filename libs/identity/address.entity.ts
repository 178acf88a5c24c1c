import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { IdentityEntity } from './identity.entity.js';
import { IdentityEntity as IdentityEntityRef } from './identity.entity.js';

export type AddressVia = 'email' | 'sms';
export type VerifiableAddressStatus = 'pending' | 'sent' | 'completed';

@Entity('identity_verifiable_addresses')
export class VerifiableAddressEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'identity_id', type: 'varchar', length: 36 })
  identityId!: string;

  @Column({ type: 'varchar', length: 16 })
  via!: AddressVia;

  @Column({ type: 'varchar', length: 400 })
  value!: string;

  @Column({ type: 'boolean', default: false })
  verified!: boolean;

  @Column({ name: 'verified_at', type: Date, nullable: true })
  verifiedAt!: Date | null;

  @Column({ type: 'varchar', length: 16 })
  status!: VerifiableAddressStatus;

  @Column({ name: 'created_at', type: Date })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: Date })
  updatedAt!: Date;

  @ManyToOne(() => IdentityEntityRef, (identity) => identity.verifiableAddresses, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'identity_id' })
  identity?: IdentityEntity;
}

@Entity('identity_recovery_addresses')
export class RecoveryAddressEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'identity_id', type: 'varchar', length: 36 })
  identityId!: string;

  @Column({ type: 'varchar', length: 16 })
  via!: AddressVia;

  @Column({ type: 'varchar', length: 400 })
  value!: string;

  @Column({ name: 'created_at', type: Date })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: Date })
  updatedAt!: Date;

  @ManyToOne(() => IdentityEntityRef, (identity) => identity.recoveryAddresses, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'identity_id' })
  identity?: IdentityEntity;
}
