import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  Allow,
  IsArray,
  IsBoolean,
  IsIn,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateNested,
  ArrayMaxSize,
} from 'class-validator';
import { ANY_JSON } from './identity.openapi.js';

@ApiSchema({ name: 'identityWithCredentialsPasswordConfig' })
export class IdentityWithCredentialsPasswordConfig {
  @ApiPropertyOptional({ description: 'The hashed password in PHC format' })
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  hashed_password?: string;

  @ApiPropertyOptional({ description: 'The password in plain text if no hash is available.' })
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  password?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  use_password_migration_hook?: boolean;
}

@ApiSchema({ name: 'identityWithCredentialsPassword' })
export class IdentityWithCredentialsPassword {
  @ApiPropertyOptional({ type: IdentityWithCredentialsPasswordConfig })
  @IsOptional()
  @ValidateNested()
  @Type(() => IdentityWithCredentialsPasswordConfig)
  config?: IdentityWithCredentialsPasswordConfig;
}

@ApiSchema({ name: 'identityWithCredentialsOidcConfigProvider' })
export class IdentityWithCredentialsOidcConfigProvider {
  @ApiProperty()
  @IsString()
  @MaxLength(255)
  provider!: string;

  @ApiProperty()
  @IsString()
  @MaxLength(1024)
  subject!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  use_auto_link?: boolean;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  organization?: string | null;
}

@ApiSchema({ name: 'identityWithCredentialsOidcConfig' })
export class IdentityWithCredentialsOidcConfig {
  @ApiPropertyOptional({ type: [IdentityWithCredentialsOidcConfigProvider] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => IdentityWithCredentialsOidcConfigProvider)
  providers?: IdentityWithCredentialsOidcConfigProvider[];
}

@ApiSchema({ name: 'identityWithCredentialsOidc' })
export class IdentityWithCredentialsOidc {
  @ApiPropertyOptional({ type: IdentityWithCredentialsOidcConfig })
  @IsOptional()
  @ValidateNested()
  @Type(() => IdentityWithCredentialsOidcConfig)
  config?: IdentityWithCredentialsOidcConfig;
}

@ApiSchema({ name: 'identityWithCredentials' })
export class IdentityWithCredentials {
  @ApiPropertyOptional({ type: IdentityWithCredentialsPassword })
  @IsOptional()
  @ValidateNested()
  @Type(() => IdentityWithCredentialsPassword)
  password?: IdentityWithCredentialsPassword;

  @ApiPropertyOptional({ type: IdentityWithCredentialsOidc })
  @IsOptional()
  @ValidateNested()
  @Type(() => IdentityWithCredentialsOidc)
  oidc?: IdentityWithCredentialsOidc;

  @ApiPropertyOptional({ type: IdentityWithCredentialsOidc })
  @IsOptional()
  @ValidateNested()
  @Type(() => IdentityWithCredentialsOidc)
  saml?: IdentityWithCredentialsOidc;
}

@ApiSchema({ name: 'verifiableIdentityAddress' })
export class VerifiableIdentityAddress {
  @ApiProperty()
  @IsString()
  @MaxLength(400)
  value!: string;

  @ApiProperty({ enum: ['email', 'sms'] })
  @IsIn(['email', 'sms'])
  via!: 'email' | 'sms';

  @ApiProperty()
  @IsBoolean()
  verified!: boolean;

  @ApiProperty({ enum: ['pending', 'sent', 'completed'] })
  @IsIn(['pending', 'sent', 'completed'])
  status!: 'pending' | 'sent' | 'completed';

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true })
  @IsOptional()
  @IsISO8601({ strict: true })
  verified_at?: string | null;

  // Server-owned fields a client may echo back from a previous response.
  @ApiPropertyOptional({ type: String, format: 'uuid' })
  @Allow()
  id?: unknown;

  @ApiPropertyOptional({ type: String, format: 'date-time' })
  @Allow()
  created_at?: unknown;

  @ApiPropertyOptional({ type: String, format: 'date-time' })
  @Allow()
  updated_at?: unknown;
}

@ApiSchema({ name: 'recoveryIdentityAddress' })
export class RecoveryIdentityAddress {
  @ApiProperty()
  @IsString()
  @MaxLength(400)
  value!: string;

  @ApiProperty()
  @IsIn(['email', 'sms'])
  via!: 'email' | 'sms';

  @ApiPropertyOptional({ type: String, format: 'uuid' })
  @Allow()
  id?: unknown;

  @ApiPropertyOptional({ type: String, format: 'date-time' })
  @Allow()
  created_at?: unknown;

  @ApiPropertyOptional({ type: String, format: 'date-time' })
  @Allow()
  updated_at?: unknown;
}

const STATES = ['active', 'inactive'] as const;

@ApiSchema({ name: 'createIdentityBody' })
export class CreateIdentityBody {
  @ApiProperty({ description: "The ID of the JSON Schema to validate the identity's traits against." })
  @IsString()
  @MaxLength(255)
  schema_id!: string;

  @ApiProperty({ type: 'object', additionalProperties: true })
  @IsObject()
  traits!: Record<string, unknown>;

  @ApiPropertyOptional({ type: IdentityWithCredentials })
  @IsOptional()
  @ValidateNested()
  @Type(() => IdentityWithCredentials)
  credentials?: IdentityWithCredentials;

  @ApiPropertyOptional({ enum: STATES })
  @IsOptional()
  @IsIn(STATES)
  state?: 'active' | 'inactive';

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(255)
  external_id?: string;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true })
  @IsOptional()
  @IsUUID()
  organization_id?: string | null;

  @ApiPropertyOptional({ ...ANY_JSON, description: 'Metadata the identity can see.' })
  @Allow()
  metadata_public?: unknown;

  @ApiPropertyOptional({ ...ANY_JSON, description: 'Metadata only admins can see.' })
  @Allow()
  metadata_admin?: unknown;

  @ApiPropertyOptional({ type: [VerifiableIdentityAddress] })
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => VerifiableIdentityAddress)
  verifiable_addresses?: VerifiableIdentityAddress[];

  @ApiPropertyOptional({ type: [RecoveryIdentityAddress] })
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => RecoveryIdentityAddress)
  recovery_addresses?: RecoveryIdentityAddress[];
}

@ApiSchema({ name: 'updateIdentityBody' })
export class UpdateIdentityBody {
  @ApiProperty()
  @IsOptional()
  @IsString()
  @MaxLength(255)
  schema_id?: string;

  @ApiProperty({ type: 'object', additionalProperties: true })
  @IsObject()
  traits!: Record<string, unknown>;

  @ApiProperty({ enum: STATES })
  @IsOptional()
  @IsIn(STATES)
  state?: 'active' | 'inactive';

  @ApiPropertyOptional({ type: IdentityWithCredentials })
  @IsOptional()
  @ValidateNested()
  @Type(() => IdentityWithCredentials)
  credentials?: IdentityWithCredentials;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(255)
  external_id?: string;

  @ApiPropertyOptional({ ...ANY_JSON, description: 'Metadata the identity can see.' })
  @Allow()
  metadata_public?: unknown;

  @ApiPropertyOptional({ ...ANY_JSON, description: 'Metadata only admins can see.' })
  @Allow()
  metadata_admin?: unknown;
}

/**
 * An identity after a JSON Patch (patchIdentity), read back as a PUT body plus the fields only a
 * patch can reach. The same rules as PUT apply: one validator for both. Server-owned fields are
 * dropped before it runs.
 */
export class PatchedIdentityBody extends UpdateIdentityBody {
  @IsOptional()
  @IsUUID()
  organization_id?: string | null;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => VerifiableIdentityAddress)
  verifiable_addresses?: VerifiableIdentityAddress[];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => RecoveryIdentityAddress)
  recovery_addresses?: RecoveryIdentityAddress[];
}
