/** `selfservice.methods.password.config`, as the application resolves it from configuration. */
export interface PasswordPolicyOptions {
  /** Counted in Unicode code points. Kratos' schema refuses values below 6. */
  minLength: number;
  /** Counted in UTF-8 bytes: 4096, or 72 when the hasher is bcrypt. */
  maxBytes: number;
  identifierSimilarityCheck: boolean;
  haveIBeenPwned: HaveIBeenPwnedOptions;
}

export interface HaveIBeenPwnedOptions {
  enabled: boolean;
  /** Host and optional port, no scheme or path. */
  host: string;
  /** A password is refused when it appears in more breaches than this. */
  maxBreaches: number;
  ignoreNetworkErrors: boolean;
  timeoutMs: number;
  /** `http` exists for tests against a local range server. */
  scheme?: 'https' | 'http';
}

export const PASSWORD_POLICY_OPTIONS = Symbol('PASSWORD_POLICY_OPTIONS');

export const MIN_PASSWORD_LENGTH_FLOOR = 6;
export const DEFAULT_MAX_PASSWORD_BYTES = 4096;

export const DEFAULT_PASSWORD_POLICY_OPTIONS: PasswordPolicyOptions = {
  minLength: 8,
  maxBytes: DEFAULT_MAX_PASSWORD_BYTES,
  identifierSimilarityCheck: true,
  haveIBeenPwned: {
    enabled: true,
    host: 'api.pwnedpasswords.com',
    maxBreaches: 0,
    ignoreNetworkErrors: true,
    timeoutMs: 3000,
    scheme: 'https',
  },
};

/** Fails at boot rather than on the first registration. */
export function assertValidPasswordPolicyOptions(options: PasswordPolicyOptions): void {
  const { minLength, maxBytes, haveIBeenPwned: hibp } = options;
  const problems = [
    !isIntAtLeast(minLength, MIN_PASSWORD_LENGTH_FLOOR) &&
      `minLength must be an integer of at least ${MIN_PASSWORD_LENGTH_FLOOR}`,
    // Every code point takes at least one byte, so a smaller byte cap would refuse every password.
    !isIntAtLeast(maxBytes, minLength) && 'maxBytes must be an integer not below minLength',
    !isIntAtLeast(hibp.maxBreaches, 0) && 'haveIBeenPwned.maxBreaches must be a non-negative integer',
    !isIntAtLeast(hibp.timeoutMs, 1) && 'haveIBeenPwned.timeoutMs must be a positive integer',
    !isBareHost(hibp.host) && 'haveIBeenPwned.host must be a host name with an optional port',
    !['https', 'http', undefined].includes(hibp.scheme) && 'haveIBeenPwned.scheme must be https or http',
  ].filter((problem): problem is string => typeof problem === 'string');
  if (problems.length > 0) throw new Error(`Invalid password policy options: ${problems.join('; ')}`);
}

function isIntAtLeast(value: number, min: number): boolean {
  return Number.isInteger(value) && value >= min;
}

function isBareHost(host: string): boolean {
  if (typeof host !== 'string' || host === '' || /[/?#@\s]/.test(host)) return false;
  try {
    return new URL(`https://${host}`).hostname !== '';
  } catch {
    return false;
  }
}
