import { uiText, type UiText } from './ui-text.js';

const info = (id: number, text: string, context?: Record<string, unknown>) =>
  uiText(id, text, 'info', context);
const error = (id: number, text: string) => uiText(id, text, 'error');

/** Messages of the second factors: TOTP and lookup secrets (backup codes), login and settings. */
export const MfaText = {
  // login
  totpLabel: () => info(1010006, 'Authentication code'),
  lookupLabel: () => info(1010007, 'Backup recovery code'),
  useTotp: () => info(1010009, 'Use Authenticator'),
  useLookup: () => info(1010010, 'Use backup recovery code'),

  // settings
  unlinkTotp: () => info(1050004, 'Unlink TOTP Authenticator App'),
  totpQrCode: () => info(1050005, 'Authenticator app QR code'),
  totpSecret: (secret: string) => info(1050006, secret, { secret }),
  revealLookup: () => info(1050007, 'Reveal backup recovery codes'),
  regenerateLookup: () => info(1050008, 'Generate new backup recovery codes'),
  lookupSecret: (secret: string) => info(1050009, secret, { secret }),
  lookupSecretsLabel: () =>
    info(1050010, 'These are your back up recovery codes. Please keep them in a safe place!'),
  confirmLookup: () => info(1050011, 'Confirm backup recovery codes'),
  lookupSecretUsed: (usedAt: Date) =>
    info(1050014, `Secret was used at ${usedAt.toISOString()}`, {
      used_at: usedAt.toISOString(),
      used_at_unix: Math.floor(usedAt.getTime() / 1000),
    }),
  lookupSecretList: (texts: string[], secrets: UiText[]) => info(1050015, texts.join(', '), { secrets }),
  disableLookup: () => info(1050016, 'Disable this method'),
  totpSecretLabel: () =>
    info(1050017, 'This is your authenticator app secret. Use it if you can not scan the QR code.'),
  save: () => info(1070003, 'Save'),
  verifyCode: () => info(1070006, 'Verify code'),

  // validation
  totpInvalid: () => error(4000008, 'The provided authentication code is invalid, please try again.'),
  noTotp: () => error(4000011, 'You have no TOTP device set up.'),
  lookupUsed: () => error(4000012, 'This backup recovery code has already been used.'),
  noLookup: () => error(4000014, 'You have no backup recovery codes set up.'),
  lookupInvalid: () => error(4000016, 'The backup recovery code is not valid.'),
} satisfies Record<string, (...args: never[]) => UiText>;
