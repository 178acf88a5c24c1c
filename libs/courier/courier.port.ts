/** Every message kind the courier has a template for (the contract's `courierMessageTemplateType`). */
export const TEMPLATE_TYPES = [
  'recovery_invalid',
  'recovery_valid',
  'recovery_code_invalid',
  'recovery_code_valid',
  'verification_invalid',
  'verification_valid',
  'verification_code_invalid',
  'verification_code_valid',
  'login_code_valid',
  'registration_code_valid',
  'stub',
] as const;
export type TemplateType = (typeof TEMPLATE_TYPES)[number];

/**
 * A message to send. `data` is the template model with Kratos' field names, so that Kratos
 * template overrides work unchanged: `To`, `RecoveryCode`, `RecoveryURL`, `VerificationCode`,
 * `VerificationURL`, `LoginCode`, `RegistrationCode`, `Identity` (the identity as the admin API
 * shows it, traits included), `RequestURL`, `TransientPayload`, `ExpiresInMinutes`.
 */
export interface OutgoingMessage {
  templateType: TemplateType;
  /** An email address, or a phone number for `sms`. */
  recipient: string;
  channel?: 'email' | 'sms';
  data: Record<string, unknown>;
  identityId?: string | null;
}

/**
 * Queues a message. The row is written inside the caller's current `Database.transaction()`, so a
 * code and the message that carries it are committed together; delivery starts after commit.
 * Returns the message id.
 */
export abstract class Courier {
  abstract send(message: OutgoingMessage): Promise<string>;
}
