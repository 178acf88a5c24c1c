export { SecretCheckGuard } from './brute-force.js';
export {
  UpdateLoginFlowWithPasswordMethod,
  UpdateRegistrationFlowWithPasswordMethod,
  UpdateSettingsFlowWithPasswordMethod,
} from './password-body.dto.js';
export { PasswordStrategyModule } from './password.module.js';
export { PasswordStrategy } from './password.strategy.js';
export { PASSWORD_POLICY_OPTIONS, type PasswordPolicyOptions } from './policy/index.js';
export { coerceTraits } from './trait-coercion.js';
