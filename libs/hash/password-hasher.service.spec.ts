import { describe, expect, it, vi } from 'vitest';
import { PasswordTooLongError, UnknownHashFormatError } from './hash.errors.js';
import { DEFAULT_HASHER_OPTIONS, type HasherOptions } from './hasher.options.js';
import { PasswordHasher } from './password-hasher.service.js';

const FAST_ARGON2: HasherOptions = {
  algorithm: 'argon2',
  argon2: { memoryKiB: 64, iterations: 1, parallelism: 1, saltLength: 16, keyLength: 32 },
  bcrypt: { cost: 4 },
};
const FAST_BCRYPT: HasherOptions = { ...FAST_ARGON2, algorithm: 'bcrypt' };

const ARGON2_SALT_AND_KEY = '$cm94YnRVOW5jZzFzcVE4bQ$MNzk5BtR2vUhrp6qQEjRNw';
const BCRYPT_BODY = 'If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i';
const PHC = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

describe('PasswordHasher.hash', () => {
  it('produces an argon2id PHC string with the configured parameters', async () => {
    const hasher = new PasswordHasher({
      ...FAST_ARGON2,
      argon2: { memoryKiB: 256, iterations: 3, parallelism: 2, saltLength: 24, keyLength: 48 },
    });
    const hashed = await hasher.hash('s3cret pässword');
    const [, m, t, p, salt, key] = PHC.exec(hashed) ?? [];
    expect([m, t, p]).toEqual(['256', '3', '2']);
    expect(Buffer.from(salt!, 'base64')).toHaveLength(24);
    expect(Buffer.from(key!, 'base64')).toHaveLength(48);
    await expect(hasher.verify('s3cret pässword', hashed)).resolves.toBe(true);
    await expect(hasher.verify('s3cret password', hashed)).resolves.toBe(false);
    expect(hasher.needsRehash(hashed)).toBe(false);
  });

  it('uses OWASP parameters by default', async () => {
    const hasher = new PasswordHasher(DEFAULT_HASHER_OPTIONS);
    const hashed = await hasher.hash('correct horse battery staple');
    expect(hashed).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    await expect(hasher.verify('correct horse battery staple', hashed)).resolves.toBe(true);
  });

  it('salts every hash', async () => {
    const hasher = new PasswordHasher(FAST_ARGON2);
    expect(await hasher.hash('same')).not.toBe(await hasher.hash('same'));
  });

  it('raises memory below 8 KiB per lane like Kratos instead of failing', async () => {
    const hasher = new PasswordHasher({ ...FAST_ARGON2, argon2: { ...FAST_ARGON2.argon2, memoryKiB: 1 } });
    const hashed = await hasher.hash('tiny');
    expect(hashed).toContain('$m=8,t=1,p=1$');
    await expect(hasher.verify('tiny', hashed)).resolves.toBe(true);
  });

  it('verifies its own hashes even when configured beyond the import bounds', async () => {
    const hasher = new PasswordHasher({ ...FAST_ARGON2, argon2: { ...FAST_ARGON2.argon2, iterations: 12 } });
    await expect(hasher.verify('pw', await hasher.hash('pw'))).resolves.toBe(true);
  });

  it('produces $2b$ bcrypt with the configured cost', async () => {
    const hasher = new PasswordHasher(FAST_BCRYPT);
    const hashed = await hasher.hash('s3cret');
    expect(hashed).toMatch(/^\$2b\$04\$[./A-Za-z0-9]{53}$/);
    await expect(hasher.verify('s3cret', hashed)).resolves.toBe(true);
    await expect(hasher.verify('s3cre', hashed)).resolves.toBe(false);
    expect(hasher.needsRehash(hashed)).toBe(false);
  });

  it('refuses bcrypt passwords over 72 bytes, counted in UTF-8', async () => {
    const hasher = new PasswordHasher(FAST_BCRYPT);
    await expect(hasher.hash('é'.repeat(36))).resolves.toMatch(/^\$2b\$/);
    await expect(hasher.hash('é'.repeat(37))).rejects.toMatchObject({
      name: 'PasswordTooLongError',
      actualBytes: 74,
      maxBytes: 72,
    });
    await expect(hasher.hash('x'.repeat(73))).rejects.toBeInstanceOf(PasswordTooLongError);
  });

  it('rejects invalid options at construction', () => {
    expect(() => new PasswordHasher({ ...FAST_BCRYPT, bcrypt: { cost: 3 } })).toThrow(/bcrypt.cost/);
    expect(
      () => new PasswordHasher({ ...FAST_ARGON2, argon2: { ...FAST_ARGON2.argon2, parallelism: 0 } }),
    ).toThrow(/parallelism/);
  });
});

describe('PasswordHasher.verify', () => {
  const hasher = new PasswordHasher(FAST_ARGON2);

  it.each(['', 'plain', '$argon2id$garbage', '$5$abcdefgh$ruMep1ijHnJPZbETDNiumskxcX3kN4lzZd5VlsqE7eB'])(
    'throws UnknownHashFormatError for %j',
    async (hashed) => {
      await expect(hasher.verify('pw', hashed)).rejects.toBeInstanceOf(UnknownHashFormatError);
    },
  );

  it('does not put the hash into the error', async () => {
    const error = await hasher.verify('pw', 'secret-looking-value').catch((e: unknown) => e);
    expect(String((error as Error).message)).not.toContain('secret-looking-value');
  });

  it.each([
    ['argon2 with 8 GiB', `$argon2id$v=19$m=8388608,t=2,p=4${ARGON2_SALT_AND_KEY}`],
    ['scrypt with N=2^20', '$scrypt$ln=1048576,r=8,p=1$c2FsdHNhbHRzYWx0$aGFzaA=='],
    ['firescrypt with ln=31', '$firescrypt$ln=31,r=8,p=1$c2FsdHNhbHRzYWx0$aGFzaA==$Bw==$a2V5a2V5'],
    ['pbkdf2 with 10^9 iterations', '$pbkdf2-sha256$i=1000000000,l=32$c2FsdA$aGFzaGhhc2g'],
    ['sha512-crypt with 10^8 rounds', `$sha512-crypt$rounds=100000000$abc$${'a'.repeat(86)}`],
  ])('returns false without computing %s', async (_, hashed) => {
    await expect(hasher.verify('pw', hashed)).resolves.toBe(false);
  });

  it('returns false when the native library rejects a recognised hash', async () => {
    // scrypt with r=1 caps N below 2^16; OpenSSL refuses instead of computing.
    await expect(hasher.verify('pw', '$scrypt$ln=131072,r=1,p=1$c2FsdA==$aGFzaA==')).resolves.toBe(false);
  });

  it('fails bcrypt for passwords over 72 bytes instead of truncating, as Kratos does', async () => {
    const bcrypt = new PasswordHasher(FAST_BCRYPT);
    const hashed = await bcrypt.hash('x'.repeat(72));
    await expect(bcrypt.verify('x'.repeat(72), hashed)).resolves.toBe(true);
    await expect(bcrypt.verify('x'.repeat(73), hashed)).resolves.toBe(false);
  });
});

describe('PasswordHasher.needsRehash', () => {
  const argon2 = new PasswordHasher({
    ...FAST_ARGON2,
    argon2: { memoryKiB: 1024, iterations: 2, parallelism: 2, saltLength: 16, keyLength: 32 },
  });
  const bcrypt = new PasswordHasher({ ...FAST_BCRYPT, bcrypt: { cost: 10 } });

  it.each([
    ['same parameters', '$argon2id$v=19$m=1024,t=2,p=2', false],
    ['stronger parameters', '$argon2id$v=19$m=4096,t=3,p=4', false],
    ['less memory', '$argon2id$v=19$m=512,t=2,p=2', true],
    ['fewer iterations', '$argon2id$v=19$m=1024,t=1,p=2', true],
    ['fewer lanes', '$argon2id$v=19$m=1024,t=2,p=1', true],
    ['argon2i', '$argon2i$v=19$m=1024,t=2,p=2', true],
    ['argon2d', '$argon2d$v=19$m=1024,t=2,p=2', true],
  ])('argon2 configured, %s', (_, prefix, expected) => {
    expect(argon2.needsRehash(prefix + ARGON2_SALT_AND_KEY)).toBe(expected);
  });

  it.each([
    ['bcrypt', `$2b$10$${BCRYPT_BODY}`],
    ['pbkdf2', '$pbkdf2-sha256$i=1000,l=32$c2FsdA$aGFzaGhhc2g'],
    ['an unknown format', 'plain'],
  ])('argon2 configured, %s', (_, hashed) => {
    expect(argon2.needsRehash(hashed)).toBe(true);
  });

  it.each([
    ['same cost', `$2b$10$${BCRYPT_BODY}`, false],
    ['same cost, other prefix', `$2y$10$${BCRYPT_BODY}`, false],
    ['higher cost', `$2a$12$${BCRYPT_BODY}`, false],
    ['lower cost', `$2a$06$${BCRYPT_BODY}`, true],
    ['argon2id', `$argon2id$v=19$m=1024,t=2,p=2${ARGON2_SALT_AND_KEY}`, true],
    ['md5', '$md5$CY9rzUYh03PK3k6DJie09g==', true],
  ])('bcrypt configured, %s', (_, hashed, expected) => {
    expect(bcrypt.needsRehash(hashed)).toBe(expected);
  });
});

describe('PasswordHasher.verifyDummy', () => {
  it('verifies against one lazily made hash of the configured algorithm', async () => {
    const hasher = new PasswordHasher(FAST_BCRYPT);
    const hash = vi.spyOn(hasher, 'hash');
    const verify = vi.spyOn(hasher, 'verify');
    expect(hash).not.toHaveBeenCalled();

    await hasher.verifyDummy('guess one');
    await hasher.verifyDummy('guess two');

    expect(hash).toHaveBeenCalledTimes(1);
    expect(verify).toHaveBeenCalledTimes(2);
    expect(verify).toHaveBeenLastCalledWith('guess two', expect.stringMatching(/^\$2b\$04\$/));
  });

  it('retries the dummy hash after a failure', async () => {
    const hasher = new PasswordHasher(FAST_ARGON2);
    vi.spyOn(hasher, 'hash').mockRejectedValueOnce(new Error('native failure'));
    await expect(hasher.verifyDummy('pw')).rejects.toThrow('native failure');
    await expect(hasher.verifyDummy('pw')).resolves.toBeUndefined();
  });
});
