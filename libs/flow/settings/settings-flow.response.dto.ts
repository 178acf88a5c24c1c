import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { CredentialsType, Identity } from '../../identity/index.js';
import { CONTINUE_WITH_PROPERTY } from '../core/index.js';
import { UiContainer } from '../core/flow.response.dto.js';

// Documentation class for what `settingsFlowJson` writes; nothing validates it.

@ApiSchema({
  name: 'settingsFlow',
  description: 'A settings flow: a signed-in identity changing its profile or credentials.',
})
export class SettingsFlow {
  @ApiProperty({ format: 'uuid', description: 'The flow ID.' })
  id!: string;

  @ApiProperty({
    enum: ['api', 'browser'],
    enumName: 'selfServiceFlowType',
    description: 'The flow type: `api` for native apps, `browser` for browsers and SPAs.',
  })
  type!: 'api' | 'browser';

  @ApiProperty({ format: 'date-time', description: 'When the flow expires; it must be completed before.' })
  expires_at!: string;

  @ApiProperty({ format: 'date-time', description: 'When the flow was started.' })
  issued_at!: string;

  @ApiProperty({ description: 'The URL the flow was started from, with its query.' })
  request_url!: string;

  @ApiPropertyOptional({ description: 'Where the browser goes once the flow is completed.' })
  return_to?: string;

  @ApiPropertyOptional({
    enum: Object.values(CredentialsType),
    description: 'The method last used to submit the flow.',
  })
  active?: string;

  @ApiProperty({ type: UiContainer })
  ui!: UiContainer;

  @ApiProperty({ type: Identity, description: 'The identity whose settings these are.' })
  identity!: Identity;

  @ApiProperty({
    enum: ['show_form', 'success'],
    enumName: 'settingsFlowState',
    description: 'show_form until a submission was saved, then success.',
  })
  state!: string;

  @ApiPropertyOptional({
    ...CONTINUE_WITH_PROPERTY,
    description: 'What the client should do next, e.g. verify a changed address.',
  })
  continue_with?: unknown[];

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'The transient payload of the last submission, passed on to webhooks.',
  })
  transient_payload?: Record<string, unknown>;
}
