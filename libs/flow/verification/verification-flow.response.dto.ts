import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { AddressFlowFields } from '../codes/address-flow.response.dto.js';

// Documentation class for what `verificationFlowJson` writes; nothing validates it.

@ApiSchema({
  name: 'verificationFlow',
  description: 'A verification flow: proves that the user controls an email address.',
})
export class VerificationFlow extends AddressFlowFields {
  @ApiPropertyOptional({ format: 'date-time', description: 'When the flow expires.' })
  expires_at?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'When the flow was started.' })
  issued_at?: string;

  @ApiPropertyOptional({ description: 'The URL the flow was started from.' })
  request_url?: string;

  @ApiProperty({
    enum: ['choose_method', 'sent_email', 'passed_challenge'],
    enumName: 'verificationFlowState',
    description: 'The state of the flow.',
  })
  state!: string;
}
