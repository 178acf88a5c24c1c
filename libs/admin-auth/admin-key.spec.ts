import { describe, expect, it } from 'vitest';
import { ADMIN_KEY_PREFIX, AdminKeyRing, bearerToken, generateAdminKey, hashAdminKey } from './admin-key.js';

describe('admin keys', () => {
  it('are 256 random bits behind a recognisable prefix, never the same twice', () => {
    const key = generateAdminKey();
    expect(key.startsWith(ADMIN_KEY_PREFIX)).toBe(true);
    expect(Buffer.from(key.slice(ADMIN_KEY_PREFIX.length), 'base64url')).toHaveLength(32);
    expect(generateAdminKey()).not.toBe(key);
  });

  it('are stored as their SHA-256, hex', () => {
    expect(hashAdminKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('match only the exact key, and name the entry it matched', () => {
    const first = generateAdminKey();
    const second = generateAdminKey();
    const ring = new AdminKeyRing([
      { id: 'ci', hash: hashAdminKey(first) },
      { id: 'ops', hash: hashAdminKey(second) },
    ]);
    expect(ring.enabled).toBe(true);
    expect(ring.match(first)).toBe('ci');
    expect(ring.match(second)).toBe('ops');
    expect(ring.match(`${first} `)).toBeUndefined();
    expect(ring.match(first.slice(0, -1))).toBeUndefined();
    expect(ring.match(first.toUpperCase())).toBeUndefined();
    expect(ring.match('')).toBeUndefined();
    expect(ring.match(undefined)).toBeUndefined();
  });

  it('never match when none is configured, not even the hash of the empty key', () => {
    expect(new AdminKeyRing([]).enabled).toBe(false);
    expect(new AdminKeyRing([]).match('')).toBeUndefined();
    expect(new AdminKeyRing([{ id: 'x', hash: hashAdminKey('') }]).match(undefined)).toBeUndefined();
  });
});

describe('bearerToken', () => {
  it('reads the token of a Bearer header, scheme in any case', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer abc')).toBe('abc');
    expect(bearerToken('BEARER  abc ')).toBe('abc');
  });

  it('reads nothing from other schemes or malformed headers', () => {
    for (const header of [
      undefined,
      '',
      'Bearer',
      'Bearer ',
      'Basic abc',
      'abc',
      'Bearer a b',
      'Bearer\tabc',
    ]) {
      expect(bearerToken(header), String(header)).toBeUndefined();
    }
  });
});
