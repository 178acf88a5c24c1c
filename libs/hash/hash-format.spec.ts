import { describe, expect, it } from 'vitest';
import { detectHashFormat, isKnownHashFormat } from './hash-format.js';

const ARGON2ID = '$argon2id$v=19$m=32,t=2,p=4$cm94YnRVOW5jZzFzcVE4bQ$MNzk5BtR2vUhrp6qQEjRNw';
const BCRYPT_TAIL = 'If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i';
const PBKDF2_TAIL =
  '$1jP+5Zxpxgtee/iPxGgOz0RfE9/KJuDElP1ley4VxXc$QJxzfvdbHYBpydCbHoFg3GJEqMFULwskiuqiJctoYpI';
const SCRYPT_TAIL =
  '$2npRo7P03Mt8keSoMbyD/tKFWyUzjiQf2svUaNDSrhA=$MiCzNcIplSMqSBrm4HckjYqYhaVPPjTARTzwB1cVNYE=';
const SHA1_CHECKSUM = '$NW9wbWtnejAzcg==$2qU2SGWP8viTM1md3FiI3+rjWXQ=';
const SHA256_CRYPT_CHECKSUM = 'ruMep1ijHnJPZbETDNiumskxcX3kN4lzZd5VlsqE7eB';
const MD5_HEX_B64 = 'ZmU4Njk3Zjc0MmQwODA0MDVkMTI3MGU2MTYzMzE2Zjk=';

describe('detectHashFormat', () => {
  it.each([
    ['empty', ''],
    ['plain text', 'plain'],
    ['a password that looks like a prefix', '$argon2id$garbage'],
    ['unknown algorithm', '$unknown$12$o6hx.Wog/wvFSkT/Bp/6DOxCtLRTDj7lm9on9suF/WaCGNVHbkfL6'],
    ['argon2 with non-canonical base64', ARGON2ID.slice(0, -1) + '2'],
    ['argon2 with padded base64', ARGON2ID + '=='],
    ['argon2 version 16', ARGON2ID.replace('v=19', 'v=16')],
    ['argon2 without parameters', '$argon2id$v=19$cm94YnRVOW5jZzFzcVE4bQ$MNzk5BtR2vUhrp6qQEjRNw'],
    ['argon2 with a 4-byte salt', '$argon2id$v=19$m=32,t=2,p=4$c2FsdA$MNzk5BtR2vUhrp6qQEjRNw'],
    ['argon2 with zero iterations', ARGON2ID.replace('t=2', 't=0')],
    ['bcrypt 2x (not a Kratos prefix)', `$2x$06$${BCRYPT_TAIL}`],
    ['bcrypt cost 3', `$2a$03$${BCRYPT_TAIL}`],
    ['bcrypt truncated', `$2a$06$${BCRYPT_TAIL.slice(1)}`],
    ['pbkdf2 without parameters', `$pbkdf2-sha256${PBKDF2_TAIL}`],
    ['pbkdf2 with garbage parameters', `$pbkdf2-sha256$aaaa${PBKDF2_TAIL}`],
    ['pbkdf2 with upper-case I', `$pbkdf2-sha256$I=1000,l=32${PBKDF2_TAIL}`],
    ['pbkdf2 with zero iterations', `$pbkdf2-sha256$i=0,l=32${PBKDF2_TAIL}`],
    ['pbkdf2 with an unknown digest', `$pbkdf2-sha999$i=1000,l=32${PBKDF2_TAIL}`],
    ['pbkdf2 with padded base64', `$pbkdf2-sha256$i=1000,l=32$c2FsdA==$c2FsdA==`],
    ['scrypt with N not a power of two', `$scrypt$ln=16385,r=8,p=1${SCRYPT_TAIL}`],
    ['scrypt with non-numeric N', `$scrypt$ln=abc,r=8,p=1${SCRYPT_TAIL}`],
    ['scrypt with unpadded base64', `$scrypt$ln=16384,r=8,p=1$c2FsdA$c2FsdA`],
    ['scrypt with an empty key', `$scrypt$ln=16384,r=8,p=1$c2FsdA==$`],
    ['firescrypt missing the signer key', '$firescrypt$ln=14,r=8,p=1$c2FsdA==$aGFzaA==$Bw=='],
    ['SSHA too short for a salt', '{SSHA}tooshort'],
    [
      'SSHA with an unknown digest',
      '{SSHA384}xPUl/px+1cG55rUH4rzcwxdOIPSB2TingLpiJJumN2xyDWN4Ix1WQG3ihnvHaWUE8MYNkvMi5rf0C9NYixHsE6Yh59M=',
    ],
    ['sha1 with an empty template', `$sha1$pf=${SHA1_CHECKSUM}`],
    ['sha1 without template', `$sha1$${SHA1_CHECKSUM}`],
    [
      'sha1 with an unencoded salt',
      '$sha1$pf=e1NBTFR9e1BBU1NXT1JEfQ==$5opmkgz03r$2qU2SGWP8viTM1md3FiI3+rjWXQ=',
    ],
    ['sha with an unknown digest', `$shaNotExistent$pf=e1NBTFR9e1BBU1NXT1JEfQ==${SHA1_CHECKSUM}`],
    ['md5 with empty parts', '$md5$$'],
    ['md5 with a short digest', '$md5$MTIz'],
    ['md5-crypt without a salt section', '$md5-crypt$whuMjZj.HMFoaTaZRRtkO0'],
    ['md5-crypt with empty parts', '$md5-crypt$$'],
    ['sha256-crypt with empty parts', '$sha256-crypt$$'],
    ['sha256-crypt with rounds below 1000', `$sha256-crypt$rounds=999$abcdefgh$${SHA256_CRYPT_CHECKSUM}`],
    ['sha256-crypt with a sha512-sized checksum', `$sha512-crypt$abcdefgh$${SHA256_CRYPT_CHECKSUM}`],
    ['crypt(3) under its own prefix', `$5$abcdefgh$${SHA256_CRYPT_CHECKSUM}`],
    ['hmac without key section', `$hmac-md5$${MD5_HEX_B64}`],
    ['hmac without hash', '$hmac-md5$$MTIzNDU='],
    ['hmac without algorithm', `$hmac$${MD5_HEX_B64}$MTIzNDU=`],
    ['hmac with an unknown algorithm', `$hmac-invalid$${MD5_HEX_B64}$MTIzNDU=`],
    ['hmac with a mis-sized MAC', `$hmac-sha1$${MD5_HEX_B64}$MTIzNDU=`],
  ])('rejects %s', (_, hashed) => {
    expect(detectHashFormat(hashed)).toBeNull();
    expect(isKnownHashFormat(hashed)).toBe(false);
  });

  it.each([
    [ARGON2ID, 'argon2id'],
    [`$2$06$${BCRYPT_TAIL}`, 'bcrypt'],
    [`$2z$06$${BCRYPT_TAIL}`, 'bcrypt'],
    [`$pbkdf2-sha1$i=1,l=0$${PBKDF2_TAIL.slice(1)}`, 'pbkdf2'],
    [`$scrypt$ln=2,r=1,p=1$${SCRYPT_TAIL.slice(1)}`, 'scrypt'],
    ['$hmac-md5$ZmU4Njk3Zjc0MmQwODA0MDVkMTI3MGU2MTYzMzE2Zjk=$', 'hmac'],
    [`$sha512-crypt$rounds=999999999$$${'a'.repeat(86)}`, 'sha512-crypt'],
  ])('recognises %s as %s', (hashed, format) => {
    expect(detectHashFormat(hashed)).toBe(format);
    expect(isKnownHashFormat(hashed)).toBe(true);
  });
});
