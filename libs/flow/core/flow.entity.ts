import { Column, Entity, PrimaryColumn } from 'typeorm';
import { type UiContainer } from './ui.js';

export type FlowType = 'api' | 'browser';

/** Columns every self-service flow has; each flow kind has its own table, as in Kratos. */
export abstract class SelfServiceFlow {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 16 })
  type!: FlowType;

  @Column({ name: 'request_url', type: 'text' })
  requestUrl!: string;

  @Column({ name: 'return_to', type: 'text', nullable: true })
  returnTo!: string | null;

  @Column({ name: 'issued_at', type: Date })
  issuedAt!: Date;

  @Column({ name: 'expires_at', type: Date })
  expiresAt!: Date;

  @Column({ type: 'varchar', length: 32 })
  state!: string;

  /** The method last used on the flow (`password`, …). */
  @Column({ type: 'varchar', length: 32, nullable: true })
  active!: string | null;

  @Column({ type: 'simple-json' })
  ui!: UiContainer;

  /** SHA-256 of the browser's CSRF cookie token the flow is bound to; empty for API flows. */
  @Column({ name: 'csrf_token_hash', type: 'varchar', length: 64 })
  csrfTokenHash!: string;

  @Column({ name: 'identity_schema', type: 'varchar', length: 255, nullable: true })
  identitySchema!: string | null;

  @Column({ name: 'transient_payload', type: 'simple-json', nullable: true })
  transientPayload!: Record<string, unknown> | null;

  /**
   * Server-side state a method keeps between steps (a WebAuthn challenge, the address a code went
   * to, failed attempts). Never sent to clients.
   */
  @Column({ name: 'internal_context', type: 'simple-json', nullable: true })
  internalContext!: Record<string, unknown> | null;

  @Column({ name: 'created_at', type: Date })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: Date })
  updatedAt!: Date;
}

@Entity('selfservice_login_flows')
export class LoginFlowEntity extends SelfServiceFlow {
  @Column({ type: 'boolean', default: false })
  refresh!: boolean;

  @Column({ name: 'requested_aal', type: 'varchar', length: 8 })
  requestedAal!: 'aal1' | 'aal2';
}

@Entity('selfservice_registration_flows')
export class RegistrationFlowEntity extends SelfServiceFlow {}

/** A signed-in identity changing its profile or credentials. States: show_form, success. */
@Entity('selfservice_settings_flows')
export class SettingsFlowEntity extends SelfServiceFlow {
  @Column({ name: 'identity_id', type: 'varchar', length: 36 })
  identityId!: string;
}

/** States: choose_method, sent_email, passed_challenge. */
@Entity('selfservice_recovery_flows')
export class RecoveryFlowEntity extends SelfServiceFlow {
  /** Failed code submissions; the flow is spent after five. */
  @Column({ name: 'submit_count', type: 'integer', default: 0 })
  submitCount!: number;
}

/** States: choose_method, sent_email, passed_challenge. */
@Entity('selfservice_verification_flows')
export class VerificationFlowEntity extends SelfServiceFlow {
  @Column({ name: 'submit_count', type: 'integer', default: 0 })
  submitCount!: number;
}

/** A stored error a browser was sent to the error UI for (`GET /self-service/errors?id=`). */
@Entity('selfservice_errors')
export class FlowErrorEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'simple-json' })
  error!: Record<string, unknown>;

  @Column({ name: 'seen_at', type: Date, nullable: true })
  seenAt!: Date | null;

  @Column({ name: 'created_at', type: Date })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: Date })
  updatedAt!: Date;
}
