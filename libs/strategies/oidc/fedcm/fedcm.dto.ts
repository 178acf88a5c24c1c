import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';

// Documentation classes for what the FedCM controller reads and writes; nothing validates them.

@ApiSchema({ name: 'Provider' })
export class FedcmProviderDto {
  @ApiPropertyOptional({ description: "The RP's client identifier, issued by the IdP." })
  client_id?: string;

  @ApiPropertyOptional({ description: 'A full path of the IdP config file.' })
  config_url?: string;

  @ApiPropertyOptional({
    description:
      'By specifying one of domain_hints values provided by the accounts endpoints, the FedCM dialog selectively shows the specified account.',
  })
  domain_hint?: string;

  @ApiPropertyOptional({
    type: [String],
    description: 'The user information ("name", "email", "picture") the RP needs the IdP to share.',
  })
  fields?: string[];

  @ApiPropertyOptional({
    description:
      'By specifying one of login_hints values provided by the accounts endpoints, the FedCM dialog selectively shows the specified account.',
  })
  login_hint?: string;

  @ApiPropertyOptional({
    description:
      'A random string to ensure the response is issued for this specific request. Prevents replay attacks.',
  })
  nonce?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'Additional key-value parameters for the IdP (`nonce` again, for Chrome 132 and later).',
  })
  parameters?: Record<string, string>;
}

@ApiSchema({
  name: 'createFedcmFlowResponse',
  description: 'Contains a list of all available FedCM providers.',
})
export class CreateFedcmFlowResponseDto {
  @ApiPropertyOptional()
  csrf_token?: string;

  @ApiPropertyOptional({ type: [FedcmProviderDto] })
  providers?: FedcmProviderDto[];
}

@ApiSchema({ name: 'UpdateFedcmFlowBody' })
export class UpdateFedcmFlowBodyDto {
  @ApiProperty({ description: 'CSRFToken is the anti-CSRF token.' })
  csrf_token!: string;

  @ApiPropertyOptional({
    description:
      'Nonce is the nonce that was used in the `navigator.credentials.get` call. If specified, it must match the `nonce` claim in the token.',
  })
  nonce?: string;

  @ApiProperty({ description: 'Token contains the result of `navigator.credentials.get`.' })
  token!: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Transient data to pass along to any webhooks.',
  })
  transient_payload?: Record<string, unknown>;
}
