import { uiText, type UiText } from './ui-text.js';

const info = (id: number, text: string, context?: Record<string, unknown>) =>
  uiText(id, text, 'info', context);
const error = (id: number, text: string, context?: Record<string, unknown>) =>
  uiText(id, text, 'error', context);

function removeContext(displayName: string, addedAt: Date): Record<string, unknown> {
  return {
    added_at: addedAt.toISOString(),
    added_at_unix: Math.floor(addedAt.getTime() / 1000),
    display_name: displayName,
  };
}

/** The WebAuthn (security key) and passkey messages of the contract. */
export const WebAuthnText = {
  loginWithSecurityKey: (): UiText => info(1010008, 'Sign in with a hardware key'),
  loginWithPasskey: (): UiText => info(1010021, 'Sign in with passkey'),
  registerWithPasskey: (): UiText => info(1040007, 'Sign up with passkey'),
  addSecurityKey: (): UiText => info(1050012, 'Add security key'),
  securityKeyName: (): UiText => info(1050013, 'Name of the security key'),
  removeSecurityKey: (displayName: string, addedAt: Date): UiText =>
    info(1050018, `Remove security key "${displayName}"`, removeContext(displayName, addedAt)),
  addPasskey: (): UiText => info(1050019, 'Add passkey'),
  removePasskey: (displayName: string, addedAt: Date): UiText =>
    info(1050020, `Remove passkey "${displayName}"`, removeContext(displayName, addedAt)),
  noWebAuthnDevice: (): UiText => error(4000013, 'You have no WebAuthn device set up.'),
  noWebAuthnUser: (): UiText =>
    error(4000015, 'This account does not exist or has not setup sign in with security key.'),
  verifierWrong: (): UiText => error(4000043, 'The provided WebAuthn login is invalid, please try again.'),
};
