import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { Identity } from '../../identity/index.js';
import { Session } from '../../session/index.js';
import { CONTINUE_WITH_PROPERTY, OrganizationFlowResponse } from '../core/index.js';

// Documentation classes for what `registrationFlowJson` and `RegistrationResponder` write.

@ApiSchema({
  name: 'registrationFlow',
  description: 'A registration flow: the form to show, and what was submitted to it.',
})
export class RegistrationFlow extends OrganizationFlowResponse {
  @ApiProperty({
    enum: ['choose_method', 'sent_email', 'passed_challenge'],
    enumName: 'registrationFlowState',
    description: 'The state of the flow.',
  })
  state!: string;
}

@ApiSchema({
  name: 'successfulNativeRegistration',
  description: 'The response of a successful registration by a native app or an SPA.',
})
export class SuccessfulNativeRegistration {
  @ApiProperty({ type: Identity })
  identity!: Identity;

  @ApiPropertyOptional({
    type: Session,
    description: 'The session, when the session hook signs the new identity in.',
  })
  session?: Session;

  @ApiPropertyOptional({ description: 'The session token, for native apps signed in by the session hook.' })
  session_token?: string;

  @ApiPropertyOptional(CONTINUE_WITH_PROPERTY)
  continue_with?: unknown[];
}
