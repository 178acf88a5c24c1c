import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { CredentialsType, Identity } from '../identity/index.js';
import { type Aal } from './session.entity.js';

// Documentation classes for what `SessionPresenter` writes; nothing validates them.

/**
 * `@ApiProperty` options naming the contract's `authenticatorAssuranceLevel` enum, for every
 * property that holds one. The levels are those a session can reach here; the contract also
 * lists `aal3`.
 */
export const AAL_PROPERTY = {
  enum: ['aal0', 'aal1', 'aal2'] satisfies Aal[],
  enumName: 'authenticatorAssuranceLevel',
};

@ApiSchema({
  name: 'sessionAuthenticationMethod',
  description: 'AuthenticationMethod identifies an authentication method',
})
export class SessionAuthenticationMethod {
  @ApiPropertyOptional({ enum: Object.values(CredentialsType), description: 'The method used.' })
  method?: CredentialsType;

  @ApiPropertyOptional({ ...AAL_PROPERTY, description: 'The level this method reached.' })
  aal?: Aal;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'When the authentication challenge was completed.',
  })
  completed_at?: string;

  @ApiPropertyOptional({ description: 'OIDC or SAML provider id, for those methods.' })
  provider?: string;
}

@ApiSchema({ name: 'sessionDevice', description: 'Device corresponding to a Session' })
export class SessionDevice {
  @ApiProperty({ format: 'uuid', description: 'Device record ID' })
  id!: string;

  @ApiPropertyOptional({ description: 'IPAddress of the client' })
  ip_address?: string;

  @ApiPropertyOptional({ description: 'UserAgent of the client' })
  user_agent?: string;

  @ApiPropertyOptional({ description: 'Geo Location corresponding to the IP Address' })
  location?: string;
}

@ApiSchema({ name: 'session', description: 'A Session' })
export class Session {
  @ApiProperty({ format: 'uuid', description: 'Session ID' })
  id!: string;

  @ApiPropertyOptional({
    description: 'Whether the session is active, not expired, and its identity active.',
  })
  active?: boolean;

  @ApiPropertyOptional({ format: 'date-time', description: 'When the session expires.' })
  expires_at?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'When the session was authenticated.' })
  authenticated_at?: string;

  @ApiPropertyOptional({ ...AAL_PROPERTY, description: 'The assurance level the session reached.' })
  authenticator_assurance_level?: Aal;

  @ApiPropertyOptional({
    type: [SessionAuthenticationMethod],
    description: 'The methods used to authenticate this session, in order.',
  })
  authentication_methods?: SessionAuthenticationMethod[];

  @ApiPropertyOptional({ format: 'date-time', description: 'When the session was issued.' })
  issued_at?: string;

  @ApiPropertyOptional({
    type: Identity,
    nullable: true,
    description: 'The identity of the session; null in admin answers that do not `expand` it.',
  })
  identity?: Identity | null;

  @ApiPropertyOptional({
    type: [SessionDevice],
    nullable: true,
    description: 'The devices the session was used from; null in admin lists that do not `expand` them.',
  })
  devices?: SessionDevice[] | null;

  @ApiPropertyOptional({
    description:
      'The session as a JWT, signed by the `session.whoami.tokenizer` template named in `tokenize_as`; only set by whoami when that query parameter names a template.',
  })
  tokenized?: string;
}

@ApiSchema({ name: 'deleteMySessionsCount', description: 'Deleted Session Count' })
export class DeleteMySessionsCount {
  @ApiPropertyOptional({ type: 'integer', format: 'int64', description: 'The number of sessions removed' })
  count?: number;
}
