import { uiText, type UiText } from './ui-text.js';

function minutesAgo(expiredAt: Date, now: Date): string {
  return ((now.getTime() - expiredAt.getTime()) / 60_000).toFixed(2);
}

/** The settings flow's UI messages (ids exact, English wording ours). */
export const SettingsText = {
  saved: () => uiText(1050001, 'Your changes have been saved!', 'success'),
  save: () => uiText(1070003, 'Save', 'info'),
  linkProvider: (provider: string) => uiText(1050002, `Link ${provider}`, 'info', { provider }),
  unlinkProvider: (provider: string) => uiText(1050003, `Unlink ${provider}`, 'info', { provider }),
  samePassword: () =>
    uiText(4000039, 'The new password must be different from the current password.', 'error'),
  noStrategy: () =>
    uiText(
      4010004,
      'Could not find a strategy to update your settings. Did you fill out the form correctly?',
      'error',
    ),
  expired: (expiredAt: Date, now: Date) =>
    uiText(
      4050001,
      `The settings flow expired ${minutesAgo(expiredAt, now)} minutes ago, please try again.`,
      'error',
      { expired_at: expiredAt.toISOString(), expired_at_unix: Math.floor(expiredAt.getTime() / 1000) },
    ),
} satisfies Record<string, (...args: never[]) => UiText>;
