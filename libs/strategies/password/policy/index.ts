export { PasswordPolicy } from './password-policy.service.js';
export {
  assertValidPasswordPolicyOptions,
  DEFAULT_MAX_PASSWORD_BYTES,
  DEFAULT_PASSWORD_POLICY_OPTIONS,
  MIN_PASSWORD_LENGTH_FLOOR,
  PASSWORD_POLICY_OPTIONS,
  type HaveIBeenPwnedOptions,
  type PasswordPolicyOptions,
} from './password-policy.options.js';
export {
  policyMessage,
  PolicyViolationId,
  type PolicyMessage,
  type PolicyViolation,
} from './policy-violation.js';
export { HibpClient, type BreachLookup, type HibpClientOptions } from './hibp.client.js';
