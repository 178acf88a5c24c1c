import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { AddressFlowFields } from '../codes/address-flow.response.dto.js';
import { CONTINUE_WITH_PROPERTY } from '../core/index.js';

// Documentation classes for the recovery wire format; nothing validates them.

@ApiSchema({ name: 'recoveryFlow', description: 'A recovery flow: regains access to an account.' })
export class RecoveryFlow extends AddressFlowFields {
  @ApiProperty({ format: 'date-time', description: 'When the flow expires.' })
  expires_at!: string;

  @ApiProperty({ format: 'date-time', description: 'When the flow was started.' })
  issued_at!: string;

  @ApiProperty({ description: 'The URL the flow was started from.' })
  request_url!: string;

  @ApiProperty({
    enum: ['choose_method', 'sent_email', 'passed_challenge'],
    enumName: 'recoveryFlowState',
    description: 'The state of the flow.',
  })
  state!: string;

  @ApiPropertyOptional({ ...CONTINUE_WITH_PROPERTY, description: 'What a native app does after recovery.' })
  continue_with?: unknown[];
}

@ApiSchema({ name: 'createRecoveryCodeForIdentityBody' })
export class CreateRecoveryCodeForIdentityBody {
  @ApiProperty({ format: 'uuid', description: 'The identity to recover.' })
  identity_id!: string;

  @ApiPropertyOptional({ pattern: '^([0-9]+(ns|us|ms|s|m|h))*$', description: 'How long the code is valid.' })
  expires_in?: string;

  @ApiPropertyOptional({ enum: ['api', 'browser'], description: 'The type of the recovery flow.' })
  flow_type?: 'api' | 'browser';
}

@ApiSchema({ name: 'createRecoveryLinkForIdentityBody' })
export class CreateRecoveryLinkForIdentityBody {
  @ApiProperty({ format: 'uuid', description: 'The identity to recover.' })
  identity_id!: string;

  @ApiPropertyOptional({ pattern: '^[0-9]+(ns|us|ms|s|m|h)$', description: 'How long the link is valid.' })
  expires_in?: string;
}

@ApiSchema({ name: 'recoveryCodeForIdentity', description: 'A recovery code an admin hands to a user.' })
export class RecoveryCodeForIdentity {
  @ApiProperty({ description: 'The recovery UI with the flow the code belongs to.' })
  recovery_link!: string;

  @ApiProperty({ description: 'The code to enter there.' })
  recovery_code!: string;

  @ApiPropertyOptional({ format: 'date-time' })
  expires_at?: string;
}

@ApiSchema({ name: 'recoveryLinkForIdentity', description: 'A recovery link an admin hands to a user.' })
export class RecoveryLinkForIdentity {
  @ApiProperty({ description: 'The link that signs the user in and opens the settings flow.' })
  recovery_link!: string;

  @ApiPropertyOptional({ format: 'date-time' })
  expires_at?: string;
}
