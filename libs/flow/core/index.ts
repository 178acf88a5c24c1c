export { clientKind, wantsJson, type ClientKind } from './client-kind.js';
export { CsrfTokens, csrfViolation, sha256 } from './csrf.js';
export { browserOnApiFlow, expiredOnRead, flowExpired, sessionAlreadyAvailable } from './flow-expiry.js';
export { FlowErrorRepository } from './flow-error.repository.js';
export { browserLocationChangeRequired, flowIdParam, FlowResponder, withQuery } from './flow-responder.js';
export {
  FlowErrorEntity,
  LoginFlowEntity,
  RecoveryFlowEntity,
  RegistrationFlowEntity,
  SelfServiceFlow,
  SettingsFlowEntity,
  VerificationFlowEntity,
  type FlowType,
} from './flow.entity.js';
export { FlowRepository } from './flow.repository.js';
export { ReturnToPolicy } from './return-to.js';
export {
  CREDENTIAL_LINKER,
  type CredentialLinker,
  LOGIN_STRATEGIES,
  REGISTRATION_STRATEGIES,
  SETTINGS_STRATEGIES,
  type BrowserRedirect,
  type FlowContext,
  type IdentifierHint,
  type LoginAnswer,
  type LoginAudience,
  type SettingsContext,
  type SettingsResult,
  type SettingsStrategy,
  type LoginResult,
  type LoginStrategy,
  type RegistrationResult,
  type RegistrationScreen,
  type RegistrationStrategy,
} from './strategy.js';
export { traitMessage } from './trait-messages.js';
export {
  addNodeMessage,
  addUiMessage,
  clearMessages,
  csrfNode,
  inputNode,
  nodeNamed,
  setNodeValue,
  submitNode,
  type InputAttributes,
  type NodeGroup,
  type UiContainer,
  type UiNode,
} from './ui.js';
export { FlowFactory, type FlowKind, type NewFlow } from './flow-factory.js';
export { type FormFieldKinds, submittedBody, traitFieldKinds, transientPayloadOf } from './form-body.js';
export { FlowHttp, type FlowJson } from './flow-http.js';
export {
  ApiBrowserLocationChangeResponse,
  ApiFlowIdQuery,
  ApiFlowSubmissionBody,
  ApiIgnoredQuery,
  ApiReturnToQuery,
  ApiSeeOtherResponse,
  ApiSessionTokenExchangeQuery,
} from './flow.openapi.js';
export {
  CONTINUE_WITH_PROPERTY,
  FLOW_OPENAPI_MODELS,
  FLOW_OPENAPI_SCHEMAS,
  OrganizationFlowResponse,
  SelfServiceFlowResponse,
} from './flow.response.dto.js';
export {
  FLOW_HOOKS,
  FlowRejectedError,
  WEB_HOOK_CALLER,
  type AfterLogin,
  type AfterRecovery,
  type AfterRegistration,
  type AfterSettings,
  type AfterVerification,
  type FlowHook,
  type HookConfig,
  type NodeMessages,
  type WebHookCaller,
  type WebHookData,
} from './hooks.js';
export { HookRunner } from './hook-runner.js';
export {
  NoVerificationSender,
  VerificationSender,
  type AddressesToVerify,
  type VerificationStarted,
} from './verification-sender.js';
export { selfServiceFlowJson } from './flow.wire.js';
export {
  countingRefusals,
  FlowMetrics,
  type FlowOutcome,
  NO_FLOW_METRICS,
  NO_METHOD,
  NoFlowMetrics,
} from './flow-metrics.js';
