import { describe, expect, it } from 'vitest';
import { CredentialEntity, type CredentialsType } from './credential.entity.js';
import { availableAal, isSecondFactor } from './identity-aal.js';
import { IdentityEntity } from './identity.entity.js';

const credential = (type: CredentialsType, config: Record<string, unknown>) =>
  Object.assign(new CredentialEntity(), { type, config });
const identityWith = (...credentials: CredentialEntity[]) =>
  Object.assign(new IdentityEntity(), { credentials });

const password = credential('password', { hashed_password: '$argon2id$…' });
const code = credential('code', { addresses: [{ channel: 'email', address: 'ada@example.org' }] });

describe('available AAL', () => {
  it('is aal1 with first factors only', () => {
    expect(availableAal(identityWith(password, code))).toBe('aal1');
  });

  it('counts TOTP, unused backup codes and security keys, but not spent codes or passkeys', () => {
    expect(isSecondFactor(credential('totp', { totp_url: 'otpauth://…' }))).toBe(true);
    expect(
      isSecondFactor(credential('lookup_secret', { recovery_codes: [{ code: 'a', used_at: '2026-01-01' }] })),
    ).toBe(false);
    expect(isSecondFactor(credential('lookup_secret', { recovery_codes: [{ code: 'a' }] }))).toBe(true);
    expect(isSecondFactor(credential('webauthn', { credentials: [{ is_passwordless: true }] }))).toBe(false);
    expect(isSecondFactor(credential('webauthn', { credentials: [{ is_passwordless: false }] }))).toBe(true);
  });

  it('counts a code address only when code MFA is on', () => {
    expect(availableAal(identityWith(password, code), true)).toBe('aal2');
    expect(isSecondFactor(credential('code', { addresses: [] }), true)).toBe(false);
  });
});
