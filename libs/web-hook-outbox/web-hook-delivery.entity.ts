import { Column, Entity, PrimaryColumn } from 'typeorm';

export const DeliveryStatus = {
  queued: 'queued',
  processing: 'processing',
  sent: 'sent',
  abandoned: 'abandoned',
} as const;
export type DeliveryStatus = (typeof DeliveryStatus)[keyof typeof DeliveryStatus];
export const DELIVERY_STATUSES = Object.values(DeliveryStatus);

/**
 * One ignored (`response.ignore: true`) web hook call, written in the flow's transaction and sent
 * by the outbox. The id is also the `Idempotency-Key` header of every attempt.
 */
@Entity('web_hook_deliveries')
export class WebHookDeliveryEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'text' })
  url!: string;

  @Column({ type: 'varchar', length: 16 })
  method!: string;

  /** The request headers as JSON, sealed with `secrets.cipher` when one is set (see HeaderSeal). */
  @Column({ type: 'text' })
  headers!: string;

  @Column({ type: 'text', nullable: true })
  body!: string | null;

  @Column({ name: 'timeout_ms', type: 'integer' })
  timeoutMs!: number;

  @Column({ name: 'hook_id', type: 'varchar', length: 128, nullable: true })
  hookId!: string | null;

  @Column({ type: 'varchar', length: 16 })
  status!: DeliveryStatus;

  /** Attempts started, counted when a row is claimed (an attempt cut short by a crash counts). */
  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  /** Not before this time: the back-off after a failed attempt. */
  @Column({ name: 'next_attempt_at', type: Date, nullable: true })
  nextAttemptAt!: Date | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'claim_token', type: 'varchar', length: 36, nullable: true })
  claimToken!: string | null;

  @Column({ name: 'claimed_at', type: Date, nullable: true })
  claimedAt!: Date | null;

  @Column({ name: 'created_at', type: Date })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: Date })
  updatedAt!: Date;
}

export const WEB_HOOK_OUTBOX_ENTITIES = [WebHookDeliveryEntity];
