import * as OTPAuth from 'otpauth';
import { describe, expect, it } from 'vitest';
import {
  base32Decode,
  base32Encode,
  hotp,
  matchTotp,
  newTotpSecret,
  secretOfTotpUrl,
  totpAt,
  totpUrl,
} from './totp.js';

// RFC 6238 appendix B: the SHA1 seed is the ASCII string "12345678901234567890", 8 digits.
const RFC_SEED = base32Encode(Buffer.from('12345678901234567890'));
const RFC_VECTORS: [number, string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('TOTP (RFC 6238)', () => {
  it.each(RFC_VECTORS)('matches the RFC test vector at T=%i', (seconds, expected) => {
    expect(totpAt(RFC_SEED, seconds * 1000, 8)).toBe(expected);
  });

  it('matches RFC 4226 appendix D HOTP values', () => {
    const key = Buffer.from('12345678901234567890');
    expect([0, 1, 2, 9].map((c) => hotp(key, c))).toEqual(['755224', '287082', '359152', '520489']);
  });

  it('agrees with the independent otpauth package on fresh seeds', () => {
    for (let i = 0; i < 20; i++) {
      const secret = newTotpSecret();
      const now = Date.now() + i * 30_000;
      const reference = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) });
      expect(totpAt(secret, now)).toBe(reference.generate({ timestamp: now }));
    }
  });

  it('makes 160-bit seeds that differ every time', () => {
    const seeds = new Set(Array.from({ length: 50 }, newTotpSecret));
    expect(seeds.size).toBe(50);
    for (const seed of seeds) expect(base32Decode(seed)).toHaveLength(20);
  });

  it('accepts the current step and one either side, nothing further', () => {
    const secret = newTotpSecret();
    const now = 1_700_000_015_000;
    const step = Math.floor(now / 30_000);
    expect(matchTotp(secret, totpAt(secret, now), now)).toBe(step);
    expect(matchTotp(secret, totpAt(secret, now - 30_000), now)).toBe(step - 1);
    expect(matchTotp(secret, totpAt(secret, now + 30_000), now)).toBe(step + 1);
    const far = totpAt(secret, now - 90_000);
    const near = [-1, 0, 1].map((d) => totpAt(secret, now + d * 30_000));
    if (!near.includes(far)) expect(matchTotp(secret, far, now)).toBeNull();
  });

  it('refuses malformed codes', () => {
    const secret = newTotpSecret();
    for (const code of ['', '12345', '1234567', 'abcdef', ' 123456'])
      expect(matchTotp(secret, code, 0)).toBeNull();
  });

  it('builds an otpauth URL that otpauth parses to the same codes', () => {
    const secret = newTotpSecret();
    const url = totpUrl('Tessera Example', 'ada@example.com', secret);
    const parsed = OTPAuth.URI.parse(url) as OTPAuth.TOTP;
    expect(parsed.issuer).toBe('Tessera Example');
    expect(parsed.label).toBe('ada@example.com');
    expect(secretOfTotpUrl(url)).toBe(secret);
    expect(parsed.generate({ timestamp: 5_000_000 })).toBe(totpAt(secret, 5_000_000));
  });
});
