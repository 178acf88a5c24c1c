import { describe, expect, it } from 'vitest';
import { checkImportedHash } from './hash-limits.js';

describe('checkImportedHash', () => {
  // Adapted from Kratos' regression set (hash/hash_limits_test.go), made well-formed where it was not.
  it.each([
    '$firescrypt$ln=31,r=8,p=1$c2FsdHNhbHRzYWx0$aGFzaA==$Bw==$a2V5a2V5',
    '$firescrypt$ln=18,r=8,p=1$c2FsdHNhbHRzYWx0$aGFzaA==$Bw==$a2V5a2V5',
    '$firescrypt$ln=14,r=1024,p=1$c2FsdHNhbHRzYWx0$aGFzaA==$Bw==$a2V5a2V5',
    '$firescrypt$ln=14,r=8,p=1024$c2FsdHNhbHRzYWx0$aGFzaA==$Bw==$a2V5a2V5',
    '$scrypt$ln=262144,r=8,p=1$c2FsdHNhbHRzYWx0$aGFzaA==',
    '$scrypt$ln=16384,r=1024,p=1$c2FsdHNhbHRzYWx0$aGFzaA==',
    '$argon2id$v=19$m=8388608,t=2,p=4$cm94YnRVOW5jZzFzcVE4bQ$MNzk5BtR2vUhrp6qQEjRNw',
    '$argon2id$v=19$m=65536,t=1000,p=4$cm94YnRVOW5jZzFzcVE4bQ$MNzk5BtR2vUhrp6qQEjRNw',
    '$argon2i$v=19$m=65536,t=3,p=17$kk51rW/vxIVCYn+EG4kTSg$NyT88uraJ6im6dyha/M5jhXvpqlEdlS/9fEm7ScMb8c',
    '$pbkdf2-sha256$i=1000000000,l=32$1jP+5Zxpxgtee/iPxGgOz0RfE9/KJuDElP1ley4VxXc$QJxzfvdbHYBpydCbHoFg3GJEqMFULwskiuqiJctoYpI',
    '$2a$20$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i',
    `$sha512-crypt$rounds=1000001$abcdefgh$${'a'.repeat(86)}`,
  ])('rejects out-of-bounds parameters in %s', (hashed) => {
    const result = checkImportedHash(hashed);
    expect(result).toMatchObject({ ok: false, reason: 'parameters_out_of_bounds' });
  });

  it.each([
    ['$2a$15$GRvRO2nrpYTEuPQX6AieaOlZ4.7nMGsXpt.QWMev1zrP86JNspZbO', 'bcrypt'],
    [
      '$argon2i$v=19$m=65536,t=3,p=4$kk51rW/vxIVCYn+EG4kTSg$NyT88uraJ6im6dyha/M5jhXvpqlEdlS/9fEm7ScMb8c',
      'argon2i',
    ],
    ['$scrypt$ln=131072,r=8,p=10$c2FsdHNhbHRzYWx0$aGFzaA==', 'scrypt'],
    ['$firescrypt$ln=17,r=8,p=10$c2FsdHNhbHRzYWx0$aGFzaA==$Bw==$a2V5a2V5', 'firescrypt'],
    [
      '$pbkdf2-sha512$i=10000000,l=32$bdHBpn7OWOivJMVJypy2UqR0UnaD5prQXRZevj/05YU$+wArTfv1a+bNGO1iZrmEdVjhA+lL11wF4/IxpgYfPwc',
      'pbkdf2',
    ],
    [
      '$sha256-crypt$rounds=535000$05R.9KB6UC2kLI3w$Q/zslzx./JjkAVPTwp6th7nW5l7JU91Gte/UmIh.U78',
      'sha256-crypt',
    ],
    ['$md5$CY9rzUYh03PK3k6DJie09g==', 'md5'],
    ['{SSHA}JFZFs0oHzxbMwkSJmYVeI8MnTDy/276a', 'ssha'],
  ])('accepts realistic %s', (hashed, format) => {
    expect(checkImportedHash(hashed)).toEqual({ ok: true, format });
  });

  it('reports unknown formats separately', () => {
    expect(checkImportedHash('$argon2id$garbage')).toEqual({ ok: false, reason: 'unknown_format' });
  });

  it('names the offending parameter', () => {
    const result = checkImportedHash('$2a$20$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i');
    expect(result).toEqual({
      ok: false,
      reason: 'parameters_out_of_bounds',
      detail: 'bcrypt cost=20 exceeds 15',
    });
  });
});
