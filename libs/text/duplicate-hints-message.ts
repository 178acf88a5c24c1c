import { uiText, type UiText } from './ui-text.js';

const HUMAN: Record<string, string> = {
  password: 'your password',
  oidc: 'social sign in',
  saml: 'social sign in',
  webauthn: 'your passkey or a security key',
  passkey: 'your passkey',
};

/** Go's `cases.Title` for English: each word capitalised, the rest of it lower case. */
const title = (value: string) =>
  value.replace(/\p{L}[\p{L}\p{N}'’]*/gu, (word) => word[0]!.toUpperCase() + word.slice(1).toLowerCase());

/**
 * 4000028, Kratos' duplicate-account message with login hints: which identifier collided and how
 * that account signs in (its credential types, then its social sign-in providers).
 */
export function duplicateCredentialsWithHints(
  availableCredentialTypes: string[],
  availableOidcProviders: string[],
  credentialIdentifierHint: string,
): UiText {
  const identifier = credentialIdentifierHint || 'an email, phone, or username';
  let text = `You tried signing in with ${identifier} which is already in use by another account.`;
  if (availableCredentialTypes.length > 0) {
    let human = availableCredentialTypes.flatMap((type) => (HUMAN[type] ? [HUMAN[type]] : []));
    if (human.length === 0) human = [...availableCredentialTypes];
    human = [...new Set(human)];
    if (human.length > 1) human[human.length - 1] = `or ${human[human.length - 1]}`;
    text += ` You can sign in using ${human.join(', ')}.`;
  }
  const providers = availableOidcProviders.map((p) => (/[{}]/.test(p) ? p : title(p)));
  if (providers.length > 0) {
    text += ` You can sign in using one of the following social sign in providers: ${providers.join(', ')}.`;
  }
  return uiText(4000028, text, 'error', {
    available_credential_types: availableCredentialTypes,
    available_oidc_providers: availableOidcProviders,
    credential_identifier_hint: credentialIdentifierHint,
  });
}
