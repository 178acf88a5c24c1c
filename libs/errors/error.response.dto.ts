import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';

/** The inner object of the envelope; documentation only, `ErrorEnvelope` is what the code builds. */
@ApiSchema({ name: 'genericError' })
export class GenericError {
  @ApiPropertyOptional({
    description: 'The error ID\n\nUseful when trying to identify various errors in application logic.',
  })
  id?: string;

  @ApiPropertyOptional({ type: 'integer', format: 'int64', description: 'The status code', example: 404 })
  code?: number;

  @ApiPropertyOptional({ description: 'The status description', example: 'Not Found' })
  status?: string;

  @ApiPropertyOptional({
    description: 'The request ID',
    example: 'd7ef54b1-ec15-46e6-bccb-524b82c035e6',
  })
  request?: string;

  @ApiPropertyOptional({
    description: 'A human-readable reason for the error',
    example: 'User with ID 1234 does not exist.',
  })
  reason?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Further error details',
  })
  details?: Record<string, unknown>;

  @ApiProperty({
    description: "Error message\n\nThe error's message.",
    example: 'The resource could not be found',
  })
  message!: string;
}

@ApiSchema({ name: 'errorGeneric', description: 'The standard Ory JSON API error format.' })
export class ErrorGeneric {
  @ApiProperty({ type: GenericError })
  error!: GenericError;
}

@ApiSchema({
  name: 'errorBrowserLocationChangeRequired',
  description: 'Is sent when a flow requires a browser to change its location.',
})
export class ErrorBrowserLocationChangeRequired {
  @ApiPropertyOptional({ type: ErrorGeneric, description: 'The error, as the contract nests it.' })
  error?: ErrorGeneric;

  @ApiPropertyOptional({ description: 'Points to where to redirect the user to next.' })
  redirect_browser_to?: string;
}
