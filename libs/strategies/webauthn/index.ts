export { CeremonyStore } from './ceremony-store.js';
export { KeySettings } from './key-settings.js';
export { KeyStore } from './key-store.js';
export {
  methodEnabled,
  passkeyUserVerification,
  relyingParty,
  type RelyingParty,
  type UserVerification,
  type WebAuthnMethod,
} from './relying-party.js';
export {
  assertedUserHandle,
  creationOptions,
  rememberCeremony,
  requestOptions,
  takeCeremony,
  verifyAttestation,
  type PendingCeremony,
} from './webauthn-ceremony.js';
export { newChallenge, newUserHandle, type StoredKey, type WebAuthnConfig } from './webauthn-credentials.js';
export { hiddenNode, onloadNode, scriptNode, triggerNode } from './webauthn-nodes.js';
export { WEBAUTHN_OPENAPI_SCHEMAS } from './webauthn-script.controller.js';
export { WEBAUTHN_SCRIPT, WEBAUTHN_SCRIPT_INTEGRITY } from './webauthn-script.js';
export { WebAuthnStrategyModule } from './webauthn.module.js';
export { WebAuthnStrategy } from './webauthn.strategy.js';
export {
  UpdateLoginFlowWithPasskeyMethod,
  UpdateLoginFlowWithWebAuthnMethod,
  UpdateRegistrationFlowWithPasskeyMethod,
  UpdateSettingsFlowWithPasskeyMethod,
  UpdateSettingsFlowWithWebAuthnMethod,
} from './webauthn-body.dto.js';
