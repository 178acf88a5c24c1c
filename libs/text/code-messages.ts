import { uiText, type UiText } from './ui-text.js';

const info = (id: number, text: string, context?: Record<string, unknown>) =>
  uiText(id, text, 'info', context);
const error = (id: number, text: string, context?: Record<string, unknown>) =>
  uiText(id, text, 'error', context);
const success = (id: number, text: string, context?: Record<string, unknown>) =>
  uiText(id, text, 'success', context);

const CHECK_SPELLING =
  'If you have not received an email, check the spelling of the address and make sure to use the address you registered with.';

const expiredContext = (expiredAt: Date) => ({
  expired_at: expiredAt.toISOString(),
  expired_at_unix: Math.floor(expiredAt.getTime() / 1000),
});
const minutesAgo = (expiredAt: Date, now: Date) =>
  ((now.getTime() - expiredAt.getTime()) / 60_000).toFixed(2);

/** Messages of recovery, verification and the one-time-code method (the contract's ids). */
export const CodeText = {
  labelEmail: () => info(1070007, 'Email'),
  labelResendCode: () => info(1070008, 'Resend code'),
  labelContinue: () => info(1070009, 'Continue'),
  labelSubmit: () => info(1070005, 'Submit'),
  labelRecoveryCode: () => info(1070010, 'Recovery code'),
  labelVerificationCode: () => info(1070011, 'Verification code'),
  labelRegistrationCode: () => info(1070012, 'Registration code'),
  labelLoginCode: () => info(1070013, 'Login code'),
  signInWithCode: () => info(1010015, 'Send sign in code'),
  signUpWithCode: () => info(1040006, 'Send sign up code'),
  sendCodeTo: (address: string) => info(1010023, `Send code to ${address}`, { address }),

  recoverySuccessful: (privilegedUntil: Date, now: Date) =>
    success(
      1060001,
      `You successfully recovered your account. Please change your password or set up an alternative login method (e.g. social sign in) within the next ${((privilegedUntil.getTime() - now.getTime()) / 60_000).toFixed(2)} minutes.`,
      {
        privilegedSessionExpiresAt: privilegedUntil.toISOString(),
        privileged_session_expires_at: privilegedUntil.toISOString(),
        privileged_session_expires_at_unix: Math.floor(privilegedUntil.getTime() / 1000),
      },
    ),
  recoveryLinkSent: () =>
    info(
      1060002,
      `An email containing a recovery link has been sent to the email address you provided. ${CHECK_SPELLING}`,
    ),
  recoveryCodeSent: () =>
    info(
      1060003,
      `An email containing a recovery code has been sent to the email address you provided. ${CHECK_SPELLING}`,
    ),
  verificationLinkSent: () =>
    info(
      1080001,
      `An email containing a verification link has been sent to the email address you provided. ${CHECK_SPELLING}`,
    ),
  verificationSuccessful: () => success(1080002, 'You successfully verified your email address.'),
  verificationCodeSent: () =>
    info(
      1080003,
      `An email containing a verification code has been sent to the email address you provided. ${CHECK_SPELLING}`,
    ),
  loginCodeSent: () =>
    info(
      1010014,
      `An email containing a code has been sent to the email address you provided. ${CHECK_SPELLING}`,
    ),
  registrationCodeSent: () =>
    info(
      1040005,
      `An email containing a code has been sent to the email address you provided. ${CHECK_SPELLING}`,
    ),

  addressNotVerified: () =>
    error(4000010, 'Account not active yet. Did you forget to verify your email address?'),
  noCodeUser: () => error(4000035, 'This account does not exist or has not setup sign in with code.'),
  traitsMismatch: () =>
    error(4000036, 'The provided traits do not match the traits previously associated with this flow.'),
  recoveryNoStrategy: () =>
    error(
      4010005,
      'Could not find a strategy to recover your account with. Did you fill out the form correctly?',
    ),
  verificationNoStrategy: () =>
    error(
      4010006,
      'Could not find a strategy to verify your account with. Did you fill out the form correctly?',
    ),
  loginCodeInvalid: () =>
    error(4010008, 'The login code is invalid or has already been used. Please try again.'),
  registrationCodeInvalid: () =>
    error(4040003, 'The registration code is invalid or has already been used. Please try again.'),
  recoveryRetrySuccess: () =>
    error(4060001, 'The request was already completed successfully and can not be retried.'),
  recoveryTokenInvalid: () =>
    error(4060004, 'The recovery token is invalid or has already been used. Please retry the flow.'),
  recoveryExpired: (expiredAt: Date, now: Date) =>
    error(
      4060005,
      `The recovery flow expired ${minutesAgo(expiredAt, now)} minutes ago, please try again.`,
      expiredContext(expiredAt),
    ),
  recoveryCodeInvalid: () =>
    error(4060006, 'The recovery code is invalid or has already been used. Please try again.'),
  verificationTokenInvalid: () =>
    error(4070001, 'The verification token is invalid or has already been used. Please retry the flow.'),
  verificationRetrySuccess: () =>
    error(4070002, 'This request was already completed successfully and can not be retried.'),
  verificationExpired: (expiredAt: Date, now: Date) =>
    error(
      4070005,
      `The verification flow expired ${minutesAgo(expiredAt, now)} minutes ago, please try again.`,
      expiredContext(expiredAt),
    ),
  verificationCodeInvalid: () =>
    error(4070006, 'The verification code is invalid or has already been used. Please try again.'),
} satisfies Record<string, (...args: never[]) => UiText>;
