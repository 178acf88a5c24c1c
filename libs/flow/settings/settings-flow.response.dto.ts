import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { Identity } from '../../identity/index.js';
import { CONTINUE_WITH_PROPERTY, SelfServiceFlowResponse } from '../core/index.js';

// Documentation class for what `settingsFlowJson` writes; nothing validates it.

@ApiSchema({
  name: 'settingsFlow',
  description: 'A settings flow: a signed-in identity changing its profile or credentials.',
})
export class SettingsFlow extends SelfServiceFlowResponse {
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
}
