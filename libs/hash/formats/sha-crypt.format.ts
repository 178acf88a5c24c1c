import { createHash } from 'node:crypto';
import { encodeCrypt64 } from './crypt64.js';
import { constantTimeEqual, parseUint } from './encoding.js';
import { runShaCryptRounds } from './sha-crypt.worker.js';

export interface ShaCryptHash {
  readonly format: 'sha256-crypt' | 'sha512-crypt';
  readonly rounds: number;
  readonly salt: string;
  readonly checksum: string;
}

const PATTERN = /^\$(sha256|sha512)-crypt\$(?:rounds=(\d+)\$)?([./0-9A-Za-z]{0,16})\$([./0-9A-Za-z]+)$/;
const DEFAULT_ROUNDS = 5000;
// go-crypt (used by Kratos) rejects rounds outside the spec range instead of clamping.
const MIN_ROUNDS = 1000;
const MAX_ROUNDS = 999_999_999;

// Byte order of the three-byte groups in the encoded checksum, from Drepper's specification.
// prettier-ignore
const SHA256_GROUPS = [
  [0, 10, 20], [21, 1, 11], [12, 22, 2], [3, 13, 23], [24, 4, 14],
  [15, 25, 5], [6, 16, 26], [27, 7, 17], [18, 28, 8], [9, 19, 29], [-1, 31, 30],
] as const;
// prettier-ignore
const SHA512_GROUPS = [
  [0, 21, 42], [22, 43, 1], [44, 2, 23], [3, 24, 45], [25, 46, 4], [47, 5, 26], [6, 27, 48],
  [28, 49, 7], [50, 8, 29], [9, 30, 51], [31, 52, 10], [53, 11, 32], [12, 33, 54], [34, 55, 13],
  [56, 14, 35], [15, 36, 57], [37, 58, 16], [59, 17, 38], [18, 39, 60], [40, 61, 19], [62, 20, 41],
  [-1, -1, 63],
] as const;

const VARIANTS = {
  sha256: { algorithm: 'sha256', checksumLength: 43, groups: SHA256_GROUPS },
  sha512: { algorithm: 'sha512', checksumLength: 86, groups: SHA512_GROUPS },
} as const;

export function parseShaCrypt(hashed: string): ShaCryptHash | null {
  const match = PATTERN.exec(hashed);
  if (!match) return null;
  const variant = match[1] as keyof typeof VARIANTS;
  const rounds = match[2] === undefined ? DEFAULT_ROUNDS : parseUint(match[2]);
  if (rounds === null || rounds < MIN_ROUNDS || rounds > MAX_ROUNDS) return null;
  if (match[4]!.length !== VARIANTS[variant].checksumLength) return null;
  return { format: `${variant}-crypt`, rounds, salt: match[3]!, checksum: match[4]! };
}

export async function verifyShaCrypt(password: Buffer, parsed: ShaCryptHash): Promise<boolean> {
  const variant = parsed.format === 'sha256-crypt' ? 'sha256' : 'sha512';
  const computed = await shaCrypt(variant, password, Buffer.from(parsed.salt, 'latin1'), parsed.rounds);
  return constantTimeEqual(Buffer.from(computed), Buffer.from(parsed.checksum));
}

/** Ulrich Drepper's SHA-crypt, returning the checksum part. */
export async function shaCrypt(
  variant: keyof typeof VARIANTS,
  password: Buffer,
  salt: Buffer,
  rounds: number,
): Promise<string> {
  const { algorithm, groups } = VARIANTS[variant];
  const digest = (...parts: Buffer[]): Buffer => {
    const h = createHash(algorithm);
    for (const part of parts) h.update(part);
    return h.digest();
  };
  const b = digest(password, salt, password);
  const a = createHash(algorithm).update(password).update(salt);
  a.update(repeatTo(b, password.length));
  for (let i = password.length; i > 0; i >>= 1) a.update(i & 1 ? b : password);
  const c = a.digest();

  const p = repeatTo(digest(...Array<Buffer>(password.length).fill(password)), password.length);
  const s = repeatTo(digest(...Array<Buffer>(16 + c[0]!).fill(salt)), salt.length);

  const final = await runShaCryptRounds({ algorithm, p, s, c, rounds });
  return encodeCrypt64(final, groups);
}

function repeatTo(block: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let offset = 0; offset < length; offset += block.length) block.copy(out, offset, 0);
  return out;
}
