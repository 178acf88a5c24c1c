import { Algorithm, hashRaw, Version } from '@node-rs/argon2';
import { constantTimeEqual, decodeBase64RawStrict, parseUint } from './encoding.js';

export interface Argon2Hash {
  readonly format: 'argon2id' | 'argon2i' | 'argon2d';
  readonly memoryKiB: number;
  readonly iterations: number;
  readonly parallelism: number;
  readonly salt: Buffer;
  readonly key: Buffer;
}

const PATTERN = /^\$(argon2id|argon2i|argon2d)\$v=(\d+)\$m=(\d+),t=(\d+),p=(\d+)\$([^$]+)\$([^$]+)$/;
const ALGORITHMS = {
  argon2id: Algorithm.Argon2id,
  argon2i: Algorithm.Argon2i,
  argon2d: Algorithm.Argon2d,
} as const;
// The native implementation refuses shorter salts and keys, so such hashes could never verify.
const MIN_SALT_BYTES = 8;
const MIN_KEY_BYTES = 4;

export function parseArgon2(hashed: string): Argon2Hash | null {
  const match = PATTERN.exec(hashed);
  if (!match || match[2] !== '19') return null;
  const [memoryKiB, iterations, parallelism] = [match[3]!, match[4]!, match[5]!].map(parseUint);
  const salt = decodeBase64RawStrict(match[6]!);
  const key = decodeBase64RawStrict(match[7]!);
  if (!memoryKiB || !iterations || !parallelism || parallelism > 255) return null;
  if (!salt || salt.length < MIN_SALT_BYTES || !key || key.length < MIN_KEY_BYTES) return null;
  return { format: match[1] as Argon2Hash['format'], memoryKiB, iterations, parallelism, salt, key };
}

/*
 * Recomputes the raw key rather than calling the native `verify`, which
 * rejects m < 8 KiB per lane. Go's argon2 silently raises such memory to
 * 8 × p, and Kratos writes the configured value into the string, so Kratos
 * with a tiny memory setting stores e.g. `m=1,…,p=1` computed with m=8.
 */
export async function verifyArgon2(password: Buffer, parsed: Argon2Hash): Promise<boolean> {
  const computed = await hashRaw(password, {
    algorithm: ALGORITHMS[parsed.format],
    version: Version.V0x13,
    memoryCost: Math.max(parsed.memoryKiB, 8 * parsed.parallelism),
    timeCost: parsed.iterations,
    parallelism: parsed.parallelism,
    outputLen: parsed.key.length,
    salt: parsed.salt,
  });
  return constantTimeEqual(computed, parsed.key);
}
