import {
  FlowErrorEntity,
  LoginFlowEntity,
  RecoveryFlowEntity,
  RegistrationFlowEntity,
  SettingsFlowEntity,
  VerificationFlowEntity,
} from './core/index.js';
import { OneTimeCodeEntity } from './codes/one-time-code.entity.js';

export * from './core/index.js';
export { FlowModule } from './flow.module.js';
export { OneTimeCodeEntity, type OneTimeCodeKind } from './codes/one-time-code.entity.js';
export { OneTimeCodes } from './codes/one-time-codes.js';
export { stillHeld } from './codes/code-address.js';
export { CodeMailer } from './codes/code-mailer.js';
export { CodeLimits } from './codes/send-limits.js';
export { SendFloor } from './codes/send-floor.js';
export { addressProblem } from './codes/address-input.js';
export { VerificationFlowService } from './verification/verification-flow.service.js';
export {
  SettingsFlowService,
  type CreateSettingsFlowFor,
  type SettingsOutcome,
} from './settings/settings-flow.service.js';
export { settingsFlowJson, type ContinueWith } from './settings/settings-flow.wire.js';
export { ContinuityCookie } from './settings/continuity-cookie.js';
export { SettingsResponder } from './settings/settings-responder.js';
export { LoginFlowService, type LoginOutcome } from './login/login-flow.service.js';
export { LoginResponder } from './login/login-responder.js';
export {
  RegistrationFlowService,
  type RegistrationOutcome,
} from './registration/registration-flow.service.js';
export { RegistrationResponder } from './registration/registration-responder.js';
export { loginFlowJson } from './login/login-flow.wire.js';
export { SuccessfulNativeLogin } from './login/login-flow.response.dto.js';
export { registrationFlowJson } from './registration/registration-flow.wire.js';
export { SettingsFlow } from './settings/settings-flow.response.dto.js';

export const FLOW_ENTITIES = [
  LoginFlowEntity,
  RegistrationFlowEntity,
  SettingsFlowEntity,
  RecoveryFlowEntity,
  VerificationFlowEntity,
  FlowErrorEntity,
  OneTimeCodeEntity,
];
export {
  UpdateRecoveryFlowWithCodeMethod,
  UpdateRecoveryFlowWithLinkMethod,
  UpdateVerificationFlowWithCodeMethod,
  UpdateVerificationFlowWithLinkMethod,
} from './codes/code-bodies.dto.js';
