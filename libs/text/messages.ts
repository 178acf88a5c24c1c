import { duplicateCredentialsWithHints } from './duplicate-hints-message.js';
import { uiText, type UiText } from './ui-text.js';

const info = (id: number, text: string, context?: Record<string, unknown>) =>
  uiText(id, text, 'info', context);
const error = (id: number, text: string, context?: Record<string, unknown>) =>
  uiText(id, text, 'error', context);

function minutesAgo(expiredAt: Date, now: Date): string {
  return ((now.getTime() - expiredAt.getTime()) / 60_000).toFixed(2);
}

/** The UI messages of the contract (ids exact, English wording ours), by what they say. */
export const Text = {
  // labels
  labelPassword: () => info(1070001, 'Password'),
  labelTrait: (title: string, name: string) => info(1070002, title, { name, title }),
  labelId: () => info(1070004, 'ID'),
  signIn: () => info(1010001, 'Sign in'),
  signInWithPassword: () => info(1010022, 'Sign in with password'),
  signUp: () => info(1040001, 'Sign up'),
  signInWith: (provider: string, providerId: string) =>
    info(1010002, `Sign in with ${provider}`, { provider, provider_id: providerId }),
  signUpWith: (provider: string, providerId: string) =>
    info(1040002, `Sign up with ${provider}`, { provider, provider_id: providerId }),
  continueSignUp: () => info(1040003, 'Continue'),
  signUpBack: () => info(1040008, 'Back'),
  chooseCredentials: () => info(1040009, 'Please choose a credential to authenticate yourself with.'),
  signInAndLink: () => info(1010017, 'Sign in and link'),
  confirmWith: (provider: string, providerId: string) =>
    info(1010018, `Confirm with ${provider}`, { provider, provider_id: providerId }),
  linkExisting: (identifier: string, provider: string, context: Record<string, unknown>) =>
    info(
      1010016,
      `You tried to sign in with "${identifier}", but that email is already used by another account. Sign in to your account with one of the options below to add your account "${identifier}" at "${provider}" as another way to sign in.`,
      { ...context, duplicate_identifier: identifier, duplicateIdentifier: identifier, provider },
    ),
  duplicateOidcLink: () =>
    error(
      4000027,
      'An account with the same identifier (email, phone, username, ...) exists already. Please sign in to your existing account to link your social profile.',
    ),
  linkedCredentialsMismatch: () => error(4010009, 'Linked credentials do not match.'),
  loginReauth: () => info(1010003, 'Please confirm this action by verifying that it is you.'),
  loginMfa: () => info(1010004, 'Please complete the second authentication challenge.'),

  // generic validation
  reason: (reason: string) => error(4000001, reason, { reason }),
  missingProperty: (property: string) => error(4000002, `Property ${property} is missing.`, { property }),
  tooLong: (maxLength: unknown, actualLength: number) =>
    error(4000017, `length must be <= ${String(maxLength)}, but got ${actualLength}`, {
      max_length: maxLength,
      actual_length: actualLength,
    }),
  tooShort: (minLength: number, actualLength: number) =>
    error(4000003, `length must be >= ${minLength}, but got ${actualLength}`, {
      min_length: minLength,
      actual_length: actualLength,
    }),
  invalidEmail: (value: unknown) => error(4000040, 'Enter a valid email address', { value }),
  invalidCredentials: () =>
    error(
      4000006,
      'The provided credentials are invalid, check for spelling mistakes in your password or username, email address, or phone number.',
    ),
  duplicateIdentifier: () =>
    error(4000007, 'An account with the same identifier (email, phone, username, ...) exists already.'),
  duplicateIdentifierWithHints: duplicateCredentialsWithHints,
  noIdentifier: () =>
    error(
      4000009,
      'Could not find any login identifiers. Did you forget to set them? This could also be caused by a server misconfiguration.',
    ),
  accountNotFound: () => error(4000037, 'This account does not exist or has no login method configured.'),
  identityDisabled: () => error(4010011, 'Your account has been disabled. Please contact support.'),

  // flow lifecycle
  loginExpired: (expiredAt: Date, now: Date) =>
    error(4010001, `The login flow expired ${minutesAgo(expiredAt, now)} minutes ago, please try again.`, {
      expired_at: expiredAt.toISOString(),
      expired_at_unix: Math.floor(expiredAt.getTime() / 1000),
    }),
  registrationExpired: (expiredAt: Date, now: Date) =>
    error(
      4040001,
      `The registration flow expired ${minutesAgo(expiredAt, now)} minutes ago, please try again.`,
      {
        expired_at: expiredAt.toISOString(),
        expired_at_unix: Math.floor(expiredAt.getTime() / 1000),
      },
    ),
  noLoginStrategy: () =>
    error(4010002, 'Could not find a strategy to log you in with. Did you fill out the form correctly?'),
  noRegistrationStrategy: () =>
    error(4010003, 'Could not find a strategy to sign you up with. Did you fill out the form correctly?'),
} satisfies Record<string, (...args: never[]) => UiText>;
