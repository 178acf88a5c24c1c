import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One native app's pending hand-over of a session (Kratos' session token exchanger): created with
 * the flow, completed by the OIDC callback, consumed by `GET /sessions/token-exchange`.
 */
@Entity('session_token_exchanges')
export class SessionTokenExchangeEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'flow_id', type: 'varchar', length: 36 })
  flowId!: string;

  /** SHA-512 (base64url) of the init code the flow showed once; the OIDC state carries the same. */
  @Column({ name: 'init_code_hash', type: 'varchar', length: 128 })
  initCodeHash!: string;

  @Column({ name: 'return_to_code_hash', type: 'varchar', length: 128, nullable: true })
  returnToCodeHash!: string | null;

  @Column({ name: 'session_id', type: 'varchar', length: 36, nullable: true })
  sessionId!: string | null;

  /** The session token sealed with `secrets.cipher`, bound to this row's id. */
  @Column({ name: 'sealed_session_token', type: 'text', nullable: true })
  sealedSessionToken!: string | null;

  @Column({ name: 'expires_at', type: Date })
  expiresAt!: Date;

  @Column({ name: 'created_at', type: Date })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: Date })
  updatedAt!: Date;
}
