import { describe, expect, it } from 'vitest';
import { normaliseClaims } from './oidc-claims.js';

describe('normaliseClaims', () => {
  it('keeps standard claims, drops empty and false ones, keeps everything in raw_claims', () => {
    const raw = {
      iss: 'https://idp.example.org',
      sub: 'abc',
      email: 'a@example.org',
      email_verified: false,
      name: '',
      locale: 'de',
      groups: ['x'],
    };
    expect(normaliseClaims(raw)).toEqual({
      iss: 'https://idp.example.org',
      sub: 'abc',
      email: 'a@example.org',
      locale: 'de',
      raw_claims: raw,
    });
  });

  it('reads email_verified given as the string "true"', () => {
    expect(normaliseClaims({ iss: 'i', sub: 's', email_verified: 'true' })?.email_verified).toBe(true);
    expect(normaliseClaims({ iss: 'i', sub: 's', email_verified: 'yes' })?.email_verified).toBeUndefined();
  });

  it('turns a numeric subject into a string and needs sub and iss', () => {
    expect(normaliseClaims({ iss: 'i', sub: 42 })?.sub).toBe('42');
    expect(normaliseClaims({ iss: 'i' })).toBeNull();
    expect(normaliseClaims({ sub: 's' })).toBeNull();
  });
});
