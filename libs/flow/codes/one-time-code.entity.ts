import { Column, Entity, PrimaryColumn } from 'typeorm';

export const ONE_TIME_CODE_KINDS = [
  'recovery_code',
  'recovery_link',
  'verification_code',
  'verification_link',
  'login_code',
  'registration_code',
] as const;
export type OneTimeCodeKind = (typeof ONE_TIME_CODE_KINDS)[number];

/** A code or link token sent for one flow. The code itself is never stored, only its keyed hash. */
@Entity('identity_one_time_codes')
export class OneTimeCodeEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 32 })
  kind!: OneTimeCodeKind;

  @Column({ name: 'flow_id', type: 'varchar', length: 36 })
  flowId!: string;

  @Column({ name: 'code_hash', type: 'varchar', length: 64 })
  codeHash!: string;

  /** Where the code went; null for admin-created recovery codes. */
  @Column({ type: 'varchar', length: 400, nullable: true })
  address!: string | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  via!: 'email' | 'sms' | null;

  /** The identity the code proves, when the address belongs to one. */
  @Column({ name: 'identity_id', type: 'varchar', length: 36, nullable: true })
  identityId!: string | null;

  @Column({ name: 'expires_at', type: Date })
  expiresAt!: Date;

  @Column({ name: 'used_at', type: Date, nullable: true })
  usedAt!: Date | null;

  @Column({ name: 'created_at', type: Date })
  createdAt!: Date;
}
