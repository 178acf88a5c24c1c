import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { AAL_PROPERTY, type Aal, Session } from '../../session/index.js';
import { CONTINUE_WITH_PROPERTY, OrganizationFlowResponse } from '../core/index.js';

// Documentation classes for what `loginFlowJson` and `LoginResponder` write; nothing validates them.

@ApiSchema({
  name: 'loginFlow',
  description: 'A login flow: the form to show, and what was submitted to it.',
})
export class LoginFlow extends OrganizationFlowResponse {
  @ApiProperty({
    enum: ['choose_method', 'sent_email', 'passed_challenge'],
    enumName: 'loginFlowState',
    description: 'The state of the flow.',
  })
  state!: string;

  @ApiPropertyOptional({ format: 'date-time' })
  created_at?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  updated_at?: string;

  @ApiPropertyOptional({
    description: 'Whether the flow asks an already signed-in identity to sign in again.',
  })
  refresh?: boolean;

  @ApiPropertyOptional({ ...AAL_PROPERTY, description: 'The assurance level the flow was started for.' })
  requested_aal?: Aal;
}

@ApiSchema({
  name: 'successfulNativeLogin',
  description: 'The response of a successful login by a native app or an SPA.',
})
export class SuccessfulNativeLogin {
  @ApiProperty({ type: Session })
  session!: Session;

  @ApiPropertyOptional({
    description: 'The session token, for native apps only; SPAs get the session cookie.',
  })
  session_token?: string;

  @ApiPropertyOptional({
    ...CONTINUE_WITH_PROPERTY,
    description: 'What the client should do next; empty for native apps after a password login.',
  })
  continue_with?: unknown[];
}
