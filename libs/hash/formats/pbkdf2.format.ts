import { pbkdf2 } from 'node:crypto';
import { promisify } from 'node:util';
import { constantTimeEqual, decodeBase64RawStrict, parseUint } from './encoding.js';

export interface Pbkdf2Hash {
  readonly format: 'pbkdf2';
  readonly digest: Pbkdf2Digest;
  readonly iterations: number;
  readonly salt: Buffer;
  readonly key: Buffer;
}

type Pbkdf2Digest = keyof typeof PRFS;

/*
 * Kratos maps sha224 and sha384 to SHA3-224 and SHA3-384. Hashes exported
 * from other systems use SHA-2, so both are tried: SHA-2 first, then the
 * Kratos variant.
 */
const PRFS = {
  sha1: ['sha1'],
  sha224: ['sha224', 'sha3-224'],
  sha256: ['sha256'],
  sha384: ['sha384', 'sha3-384'],
  sha512: ['sha512'],
} as const;

// The `l=` value is informational: like Kratos, the key length comes from the decoded hash.
const PATTERN = /^\$pbkdf2-(sha1|sha224|sha256|sha384|sha512)\$i=(\d+),l=(\d+)\$([^$]*)\$([^$]+)$/;
const pbkdf2Async = promisify(pbkdf2);

export function parsePbkdf2(hashed: string): Pbkdf2Hash | null {
  const match = PATTERN.exec(hashed);
  if (!match) return null;
  const iterations = parseUint(match[2]!);
  const salt = decodeBase64RawStrict(match[4]!);
  const key = decodeBase64RawStrict(match[5]!);
  if (!iterations || parseUint(match[3]!) === null || !salt || !key || key.length === 0) return null;
  return { format: 'pbkdf2', digest: match[1] as Pbkdf2Digest, iterations, salt, key };
}

export async function verifyPbkdf2(password: Buffer, parsed: Pbkdf2Hash): Promise<boolean> {
  for (const prf of PRFS[parsed.digest]) {
    const computed = await pbkdf2Async(password, parsed.salt, parsed.iterations, parsed.key.length, prf);
    if (constantTimeEqual(computed, parsed.key)) return true;
  }
  return false;
}
