import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { CsrfTokenField, MethodField, TransientPayloadField } from '../body-fields.dto.js';

// Documentation of the bodies the WebAuthn and passkey strategies read; they check the fields
// themselves, so that a bad one becomes a message on the flow rather than a 400 envelope.
// webauthn.js submits the form without `method`: a filled result field names the method too.

const ATTESTATION =
  'The JSON webauthn.js writes after `navigator.credentials.create()` (binary as base64url).';
const ASSERTION = 'The JSON webauthn.js writes after `navigator.credentials.get()` (binary as base64url).';

@ApiSchema({ name: 'updateLoginFlowWithWebAuthnMethod', description: 'Login with a security key' })
export class UpdateLoginFlowWithWebAuthnMethod {
  @MethodField('webauthn')
  method!: 'webauthn';

  @ApiProperty({ description: 'The identifier of the identity; the session names it on aal2 flows.' })
  identifier!: string;

  @ApiPropertyOptional({ description: ASSERTION })
  webauthn_login?: string;

  @CsrfTokenField()
  csrf_token?: string;

  @TransientPayloadField()
  transient_payload?: Record<string, unknown>;
}

@ApiSchema({ name: 'updateLoginFlowWithPasskeyMethod', description: 'Login with a passkey' })
export class UpdateLoginFlowWithPasskeyMethod {
  @MethodField('passkey')
  method!: 'passkey';

  @ApiPropertyOptional({ description: ASSERTION })
  passkey_login?: string;

  @CsrfTokenField()
  csrf_token?: string;
}

@ApiSchema({ name: 'updateRegistrationFlowWithPasskeyMethod', description: 'Sign up with a passkey' })
export class UpdateRegistrationFlowWithPasskeyMethod {
  @MethodField('passkey')
  method!: 'passkey';

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: "The identity's traits, valid against its identity schema.",
  })
  traits!: Record<string, unknown>;

  @ApiPropertyOptional({ description: `${ATTESTATION} Without it the flow returns the creation options.` })
  passkey_register?: string;

  @CsrfTokenField()
  csrf_token?: string;

  @TransientPayloadField()
  transient_payload?: Record<string, unknown>;
}

@ApiSchema({ name: 'updateSettingsFlowWithWebAuthnMethod', description: 'Add or remove a security key' })
export class UpdateSettingsFlowWithWebAuthnMethod {
  @MethodField('webauthn')
  method!: 'webauthn';

  @ApiPropertyOptional({ description: ATTESTATION })
  webauthn_register?: string;

  @ApiPropertyOptional({ description: 'A name for the new security key.' })
  webauthn_register_displayname?: string;

  @ApiPropertyOptional({ description: 'The id (hex) of the security key to remove.' })
  webauthn_remove?: string;

  @CsrfTokenField()
  csrf_token?: string;

  @TransientPayloadField()
  transient_payload?: Record<string, unknown>;
}

@ApiSchema({ name: 'updateSettingsFlowWithPasskeyMethod', description: 'Add or remove a passkey' })
export class UpdateSettingsFlowWithPasskeyMethod {
  @MethodField('passkey')
  method!: 'passkey';

  @ApiPropertyOptional({ description: ATTESTATION })
  passkey_settings_register?: string;

  @ApiPropertyOptional({ description: 'The id (hex) of the passkey to remove.' })
  passkey_remove?: string;

  @CsrfTokenField()
  csrf_token?: string;
}
