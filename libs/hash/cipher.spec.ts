import { describe, expect, it } from 'vitest';
import { CipherError, SecretCipher } from './cipher.js';

const A = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const B = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';

describe('SecretCipher', () => {
  it('round-trips and uses a fresh nonce per message', () => {
    const cipher = new SecretCipher([A]);
    const one = cipher.encrypt('otpauth://totp/x?secret=ABC', 'totp');
    const two = cipher.encrypt('otpauth://totp/x?secret=ABC', 'totp');
    expect(one).not.toBe(two);
    expect(one).toMatch(/^v1\.[0-9a-f]{8}\.[A-Za-z0-9_-]+$/);
    expect(one).not.toContain('secret=ABC');
    expect(cipher.decrypt(one, 'totp')).toBe('otpauth://totp/x?secret=ABC');
    expect(cipher.decrypt(two, 'totp')).toBe('otpauth://totp/x?secret=ABC');
  });

  it('detects any change to the sealed bytes', () => {
    const cipher = new SecretCipher([A]);
    const sealed = cipher.encrypt('seed');
    const [v, id, payload] = sealed.split('.');
    const bytes = Buffer.from(payload!, 'base64url');
    for (const index of [0, 12, bytes.length - 1]) {
      const tampered = Buffer.from(bytes);
      tampered[index]! ^= 0x01;
      expect(() => cipher.decrypt(`${v}.${id}.${tampered.toString('base64url')}`)).toThrow(CipherError);
    }
    expect(() => cipher.decrypt(`${v}.${id}.${bytes.subarray(0, 20).toString('base64url')}`)).toThrow(
      CipherError,
    );
  });

  it('binds the ciphertext to its context', () => {
    const cipher = new SecretCipher([A]);
    expect(() => cipher.decrypt(cipher.encrypt('seed', 'identity-1'), 'identity-2')).toThrow(CipherError);
  });

  it('rejects unknown formats and keys', () => {
    const cipher = new SecretCipher([A]);
    expect(() => cipher.decrypt('plain text')).toThrow(CipherError);
    expect(() => cipher.decrypt(`v2.${cipher.encrypt('x').slice(3)}`)).toThrow(CipherError);
    expect(() => cipher.decrypt(new SecretCipher([B]).encrypt('x'))).toThrow(/no cipher secret/);
  });

  it('rotates: the first secret encrypts, every secret decrypts', () => {
    const old = new SecretCipher([A]).encrypt('old seed');
    const rotated = new SecretCipher([B, A]);
    expect(rotated.decrypt(old)).toBe('old seed');
    expect(rotated.isStale(old)).toBe(true);
    const fresh = rotated.encrypt('new seed');
    expect(rotated.isStale(fresh)).toBe(false);
    expect(new SecretCipher([B]).decrypt(fresh)).toBe('new seed');
    expect(() => new SecretCipher([A]).decrypt(fresh)).toThrow(CipherError);
  });

  it('refuses to encrypt without a secret', () => {
    expect(() => new SecretCipher([]).encrypt('x')).toThrow(/no cipher secrets/);
  });
});
