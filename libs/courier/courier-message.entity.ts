import { Column, Entity, JoinColumn, ManyToOne, OneToMany, PrimaryColumn } from 'typeorm';
import type { TemplateType } from './courier.port.js';

export const MessageStatus = {
  queued: 'queued',
  processing: 'processing',
  sent: 'sent',
  abandoned: 'abandoned',
} as const;
export type MessageStatus = (typeof MessageStatus)[keyof typeof MessageStatus];
export const MESSAGE_STATUSES = Object.values(MessageStatus);

export type MessageType = 'email' | 'sms';
export type DispatchStatus = 'failed' | 'success';

@Entity('courier_messages')
export class CourierMessageEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 16 })
  type!: MessageType;

  @Column({ type: 'varchar', length: 16 })
  status!: MessageStatus;

  @Column({ type: 'varchar', length: 255 })
  recipient!: string;

  @Column({ type: 'text' })
  subject!: string;

  /** The plaintext body: what the admin API shows and what an SMS carries. */
  @Column({ type: 'text' })
  body!: string;

  @Column({ name: 'body_html', type: 'text', nullable: true })
  bodyHtml!: string | null;

  @Column({ name: 'template_type', type: 'varchar', length: 64 })
  templateType!: TemplateType;

  @Column({ name: 'template_data', type: 'simple-json', nullable: true })
  templateData!: Record<string, unknown> | null;

  @Column({ name: 'send_count', type: 'integer', default: 0 })
  sendCount!: number;

  @Column({ name: 'identity_id', type: 'varchar', length: 36, nullable: true })
  identityId!: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  channel!: string | null;

  /** Not before this time: the backoff after a failed attempt. */
  @Column({ name: 'send_after', type: Date, nullable: true })
  sendAfter!: Date | null;

  @Column({ name: 'claim_token', type: 'varchar', length: 36, nullable: true })
  claimToken!: string | null;

  @Column({ name: 'claimed_at', type: Date, nullable: true })
  claimedAt!: Date | null;

  @Column({ name: 'created_at', type: Date })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: Date })
  updatedAt!: Date;

  @OneToMany(() => CourierMessageDispatchEntity, (dispatch) => dispatch.message)
  dispatches?: CourierMessageDispatchEntity[];
}

@Entity('courier_message_dispatches')
export class CourierMessageDispatchEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'message_id', type: 'varchar', length: 36 })
  messageId!: string;

  @ManyToOne(() => CourierMessageEntity, (message) => message.dispatches, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'message_id' })
  message?: CourierMessageEntity;

  @Column({ type: 'varchar', length: 16 })
  status!: DispatchStatus;

  @Column({ type: 'simple-json', nullable: true })
  error!: Record<string, unknown> | null;

  @Column({ name: 'created_at', type: Date })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: Date })
  updatedAt!: Date;
}

export const COURIER_ENTITIES = [CourierMessageEntity, CourierMessageDispatchEntity];
