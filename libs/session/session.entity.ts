import { Column, Entity, JoinColumn, ManyToOne, OneToMany, PrimaryColumn } from 'typeorm';
import { IdentityEntity } from '../identity/index.js';

export type Aal = 'aal0' | 'aal1' | 'aal2';

export interface AuthenticationMethod {
  method: string;
  aal: Aal;
  completed_at: string;
  provider?: string;
}

@Entity('sessions')
export class SessionEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'identity_id', type: 'varchar', length: 36 })
  identityId!: string;

  /** SHA-256 of the session token; the token itself is never stored. */
  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash!: string;

  @Column({ name: 'logout_token_hash', type: 'varchar', length: 64 })
  logoutTokenHash!: string;

  @Column({ type: 'boolean' })
  active!: boolean;

  @Column({ name: 'authenticator_assurance_level', type: 'varchar', length: 8 })
  aal!: Aal;

  @Column({ name: 'authentication_methods', type: 'simple-json' })
  authenticationMethods!: AuthenticationMethod[];

  @Column({ name: 'issued_at', type: Date })
  issuedAt!: Date;

  @Column({ name: 'authenticated_at', type: Date })
  authenticatedAt!: Date;

  @Column({ name: 'expires_at', type: Date })
  expiresAt!: Date;

  @Column({ name: 'created_at', type: Date })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: Date })
  updatedAt!: Date;

  @ManyToOne(() => IdentityEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'identity_id' })
  identity?: IdentityEntity;

  @OneToMany(() => SessionDeviceEntity, (device) => device.session, { cascade: true })
  devices?: SessionDeviceEntity[];
}

@Entity('session_devices')
export class SessionDeviceEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'session_id', type: 'varchar', length: 36 })
  sessionId!: string;

  @Column({ name: 'ip_address', type: 'varchar', length: 64, nullable: true })
  ipAddress!: string | null;

  @Column({ name: 'user_agent', type: 'varchar', length: 512, nullable: true })
  userAgent!: string | null;

  @Column({ type: 'varchar', length: 512, default: '' })
  location!: string;

  @Column({ name: 'created_at', type: Date })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: Date })
  updatedAt!: Date;

  @ManyToOne(() => SessionEntity, (session) => session.devices, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'session_id' })
  session?: SessionEntity;
}
