import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { TEMPLATE_TYPES } from './courier.port.js';
import { MESSAGE_STATUSES } from './courier-message.entity.js';

// Documentation classes for what `messageJson` writes; nothing validates them.

@ApiSchema({
  name: 'messageDispatch',
  description:
    'MessageDispatch represents an attempt of sending a courier message\nIt contains the status of the attempt (failed or successful) and the error if any occured',
})
export class MessageDispatch {
  @ApiProperty({ format: 'uuid', description: 'The ID of this message dispatch' })
  id!: string;

  @ApiProperty({ format: 'uuid', description: 'The ID of the message being dispatched' })
  message_id!: string;

  @ApiProperty({ enum: ['failed', 'success'], description: 'The status of this dispatch' })
  status!: 'failed' | 'success';

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'What went wrong.' })
  error?: Record<string, unknown>;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;

  @ApiProperty({ format: 'date-time' })
  updated_at!: string;
}

@ApiSchema({ name: 'message' })
export class Message {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: MESSAGE_STATUSES, enumName: 'courierMessageStatus' })
  status!: string;

  /** Kratos writes `sms` although its contract names the value `phone`. */
  @ApiProperty({ enum: ['email', 'sms'], enumName: 'courierMessageType' })
  type!: string;

  @ApiProperty()
  recipient!: string;

  @ApiProperty({ description: 'The plaintext body; redacted unless the server runs with --dev.' })
  body!: string;

  @ApiProperty({ description: 'Redacted unless the server runs with --dev.' })
  subject!: string;

  @ApiProperty({ enum: TEMPLATE_TYPES })
  template_type!: string;

  @ApiPropertyOptional()
  channel?: string;

  @ApiProperty({ type: 'integer', format: 'int64' })
  send_count!: number;

  @ApiPropertyOptional({ type: [MessageDispatch] })
  dispatches?: MessageDispatch[];

  @ApiProperty({ format: 'date-time' })
  created_at!: string;

  @ApiProperty({ format: 'date-time' })
  updated_at!: string;
}
