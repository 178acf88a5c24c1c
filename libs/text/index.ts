export { Text } from './messages.js';
export { uiText, type UiText, type UiTextType } from './ui-text.js';
export { WebAuthnText } from './webauthn-messages.js';
export { CodeText } from './code-messages.js';
export { MfaText } from './mfa-messages.js';
export { SettingsText } from './settings-messages.js';
