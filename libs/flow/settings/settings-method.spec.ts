import { describe, expect, it } from 'vitest';
import { settingsMethodOf, withSettingsMethod } from './settings-method.js';

// Tessera's settings strategies, in the order the composition root lists them.
const ALL = ['profile', 'password', 'totp', 'lookup_secret', 'webauthn', 'passkey'];

describe('the settings strategy a submission is for', () => {
  it.each([
    [{ lookup_secret_regenerate: true }, 'lookup_secret'],
    [{ lookup_secret_reveal: 'true' }, 'lookup_secret'],
    [{ lookup_secret_confirm: true }, 'lookup_secret'],
    [{ lookup_secret_disable: true }, 'lookup_secret'],
    [{ totp_unlink: true }, 'totp'],
    [{ webauthn_remove: 'a1b2' }, 'webauthn'],
    [{ webauthn_register: '{}' }, 'webauthn'],
    [{ passkey_remove: 'a1b2' }, 'passkey'],
    [{ passkey_settings_register: '{}' }, 'passkey'],
  ])('is named by a button that sends no method: %j → %s', (body, method) => {
    expect(withSettingsMethod({ csrf_token: 't', ...body }, ALL)).toEqual({
      csrf_token: 't',
      ...body,
      method,
    });
  });

  it('is the method the body names when it carries no button', () => {
    expect(settingsMethodOf({ method: 'password', password: 'x' }, ALL)).toBe('password');
    expect(settingsMethodOf({ method: 'totp', totp_code: '1' }, ALL)).toBe('totp');
  });

  it('goes to the first strategy in Kratos order that takes the body', () => {
    // profile and password come before the strategies with buttons
    expect(settingsMethodOf({ method: 'profile', totp_unlink: true }, ALL)).toBe('profile');
    // totp before passkey, webauthn and lookup_secret; a button overrides a later method
    expect(settingsMethodOf({ method: 'lookup_secret', totp_unlink: true }, ALL)).toBe('totp');
    expect(settingsMethodOf({ method: 'totp', lookup_secret_regenerate: true }, ALL)).toBe('totp');
    // Kratos asks webauthn before lookup_secret, though Tessera lists lookup_secret first
    expect(settingsMethodOf({ lookup_secret_reveal: true, webauthn_remove: 'x' }, ALL)).toBe('webauthn');
    expect(settingsMethodOf({ passkey_remove: 'x', webauthn_remove: 'y' }, ALL)).toBe('passkey');
  });

  it('is none for a button pressed as false or empty, or an unknown method', () => {
    expect(settingsMethodOf({ lookup_secret_regenerate: false, totp_unlink: 'false' }, ALL)).toBeUndefined();
    expect(settingsMethodOf({ webauthn_remove: '', passkey_remove: 42 }, ALL)).toBeUndefined();
    expect(settingsMethodOf({ method: 'magic' }, ALL)).toBeUndefined();
    expect(withSettingsMethod({ method: 'magic' }, ALL)).toEqual({ method: 'magic' });
  });

  it('skips a strategy that is not switched on', () => {
    const withoutSecondFactors = ['profile', 'password', 'webauthn', 'passkey'];
    expect(settingsMethodOf({ totp_unlink: true }, withoutSecondFactors)).toBeUndefined();
    expect(settingsMethodOf({ method: 'password', totp_unlink: true }, withoutSecondFactors)).toBe(
      'password',
    );
  });
});
