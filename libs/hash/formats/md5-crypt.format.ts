import { createHash } from 'node:crypto';
import { encodeCrypt64 } from './crypt64.js';
import { constantTimeEqual } from './encoding.js';

export interface Md5CryptHash {
  readonly format: 'md5-crypt';
  readonly salt: string;
  readonly checksum: string;
}

// Kratos stores `$1$…` under its own prefix and maps it back before decoding.
const PATTERN = /^\$md5-crypt\$([./0-9A-Za-z]{0,8})\$([./0-9A-Za-z]{22})$/;
// prettier-ignore
const GROUPS = [[0, 6, 12], [1, 7, 13], [2, 8, 14], [3, 9, 15], [4, 10, 5], [-1, -1, 11]] as const;

export function parseMd5Crypt(hashed: string): Md5CryptHash | null {
  const match = PATTERN.exec(hashed);
  return match ? { format: 'md5-crypt', salt: match[1]!, checksum: match[2]! } : null;
}

export function verifyMd5Crypt(password: Buffer, parsed: Md5CryptHash): Promise<boolean> {
  const computed = Buffer.from(md5Crypt(password, Buffer.from(parsed.salt, 'latin1')));
  return Promise.resolve(constantTimeEqual(computed, Buffer.from(parsed.checksum)));
}

/** Poul-Henning Kamp's FreeBSD MD5-crypt, returning the 22-character checksum. */
export function md5Crypt(password: Buffer, salt: Buffer): string {
  const md5 = (...parts: Buffer[]): Buffer => {
    const h = createHash('md5');
    for (const part of parts) h.update(part);
    return h.digest();
  };
  const alternate = md5(password, salt, password);
  const ctx = createHash('md5').update(password).update('$1$').update(salt);
  for (let left = password.length; left > 0; left -= 16)
    ctx.update(alternate.subarray(0, Math.min(left, 16)));
  // The C original reads the password's first byte, which is the NUL terminator for "".
  const first = Buffer.from([password[0] ?? 0]);
  for (let i = password.length; i > 0; i >>= 1) ctx.update(i & 1 ? Buffer.alloc(1) : first);
  let digest = ctx.digest();
  for (let round = 0; round < 1000; round++) {
    const h = createHash('md5').update(round & 1 ? password : digest);
    if (round % 3) h.update(salt);
    if (round % 7) h.update(password);
    h.update(round & 1 ? digest : password);
    digest = h.digest();
  }
  return encodeCrypt64(digest, GROUPS);
}
