import { createCipheriv, scrypt, type ScryptOptions } from 'node:crypto';
import { constantTimeEqual, decodeBase64Strict, parseUint } from './encoding.js';

export interface ScryptHash {
  readonly format: 'scrypt';
  /** CPU/memory cost N itself: Kratos' `ln=` carries N, not its logarithm. */
  readonly cost: number;
  readonly blockSize: number;
  readonly parallelism: number;
  readonly salt: Buffer;
  readonly key: Buffer;
}

export interface FirebaseScryptHash {
  readonly format: 'firescrypt';
  /** Firebase's `mem_cost`: N = 2^logCost. */
  readonly logCost: number;
  readonly blockSize: number;
  readonly parallelism: number;
  readonly salt: Buffer;
  readonly key: Buffer;
  readonly saltSeparator: Buffer;
  readonly signerKey: Buffer;
}

const SCRYPT = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([^$]*)\$([^$]+)$/;
const FIREBASE = /^\$firescrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([^$]*)\$([^$]+)\$([^$]*)\$([^$]+)$/;
const FIREBASE_KEY_BYTES = 32;

export function parseScrypt(hashed: string): ScryptHash | null {
  const match = SCRYPT.exec(hashed);
  if (!match) return null;
  const [cost, blockSize, parallelism] = [match[1]!, match[2]!, match[3]!].map(parseUint);
  const salt = decodeBase64Strict(match[4]!);
  const key = decodeBase64Strict(match[5]!);
  if (!cost || cost < 2 || (cost & (cost - 1)) !== 0 || !blockSize || !parallelism) return null;
  if (!salt || !key || key.length === 0) return null;
  return { format: 'scrypt', cost, blockSize, parallelism, salt, key };
}

export function parseFirebaseScrypt(hashed: string): FirebaseScryptHash | null {
  const match = FIREBASE.exec(hashed);
  if (!match) return null;
  const [logCost, blockSize, parallelism] = [match[1]!, match[2]!, match[3]!].map(parseUint);
  const [salt, key, saltSeparator, signerKey] = match.slice(4, 8).map((part) => decodeBase64Strict(part));
  if (!logCost || !blockSize || !parallelism) return null;
  if (!salt || !key || !saltSeparator || !signerKey || key.length === 0) return null;
  return { format: 'firescrypt', logCost, blockSize, parallelism, salt, key, saltSeparator, signerKey };
}

export async function verifyScrypt(password: Buffer, parsed: ScryptHash): Promise<boolean> {
  const { cost, blockSize, parallelism, salt, key } = parsed;
  const computed = await scryptAsync(password, salt, key.length, { N: cost, r: blockSize, p: parallelism });
  return constantTimeEqual(computed, key);
}

/** Firebase's modified scrypt: the derived key encrypts the project's signer key with AES-256-CTR. */
export async function verifyFirebaseScrypt(password: Buffer, parsed: FirebaseScryptHash): Promise<boolean> {
  const { logCost, blockSize, parallelism, salt, saltSeparator, signerKey, key } = parsed;
  const derived = await scryptAsync(password, Buffer.concat([salt, saltSeparator]), FIREBASE_KEY_BYTES, {
    N: 2 ** logCost,
    r: blockSize,
    p: parallelism,
  });
  const cipher = createCipheriv('aes-256-ctr', derived, Buffer.alloc(16));
  const computed = Buffer.concat([cipher.update(signerKey), cipher.final()]);
  return constantTimeEqual(computed, key);
}

function scryptAsync(
  password: Buffer,
  salt: Buffer,
  length: number,
  options: ScryptOptions,
): Promise<Buffer> {
  const { N = 0, r = 0, p = 0 } = options;
  // Node refuses anything above 32 MiB by default; the parameter bounds are what limit memory.
  const maxmem = 128 * r * (N + p + 2) + 1024 * 1024;
  return new Promise((resolve, reject) =>
    scrypt(password, salt, length, { ...options, maxmem }, (error, derived) =>
      error ? reject(error) : resolve(derived),
    ),
  );
}
