import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { UiContainer } from '../core/flow.response.dto.js';

/** Fields recovery and verification flows share; unlike login and registration they have no organization. */
export abstract class AddressFlowFields {
  @ApiProperty({ format: 'uuid', description: 'The flow ID.' })
  id!: string;

  @ApiProperty({
    enum: ['api', 'browser'],
    enumName: 'selfServiceFlowType',
    description: 'The flow type: `api` for native apps, `browser` for browsers and SPAs.',
  })
  type!: 'api' | 'browser';

  @ApiPropertyOptional({ description: 'Where the browser goes once the flow is completed.' })
  return_to?: string;

  @ApiPropertyOptional({ description: 'The method last used: `code` or `link`.' })
  active?: string;

  @ApiProperty({ type: UiContainer })
  ui!: UiContainer;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'The transient payload of the last submission, passed on to webhooks.',
  })
  transient_payload?: Record<string, unknown>;
}
