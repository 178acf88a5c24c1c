import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Algorithm, hash as argon2Hash, Version } from '@node-rs/argon2';
import { hash as bcryptHash } from '@node-rs/bcrypt';
import { BCRYPT_MAX_PASSWORD_BYTES } from './formats/bcrypt.format.js';
import { parseHash, verifyParsedHash } from './hash-format.js';
import { findLimitViolation, IMPORTED_HASH_LIMITS, type HashLimits } from './hash-limits.js';
import { PasswordTooLongError, UnknownHashFormatError } from './hash.errors.js';
import { assertValidHasherOptions, HASHER_OPTIONS, type HasherOptions } from './hasher.options.js';

@Injectable()
export class PasswordHasher {
  private readonly limits: HashLimits;
  private dummyHash: Promise<string> | null = null;

  constructor(@Inject(HASHER_OPTIONS) private readonly options: HasherOptions) {
    assertValidHasherOptions(options);
    this.limits = verificationLimits(options);
  }

  /** Hashes with the configured algorithm; throws PasswordTooLongError past bcrypt's 72 bytes. */
  async hash(password: string): Promise<string> {
    const bytes = Buffer.from(password, 'utf8');
    if (this.options.algorithm === 'bcrypt') {
      if (bytes.length > BCRYPT_MAX_PASSWORD_BYTES) {
        throw new PasswordTooLongError(bytes.length, BCRYPT_MAX_PASSWORD_BYTES);
      }
      // The library writes `$2y$`, the same algorithm; `$2b$` is the prefix every verifier knows.
      return (await bcryptHash(bytes, this.options.bcrypt.cost)).replace(/^\$2y\$/, '$2b$');
    }
    const { memoryKiB, iterations, parallelism, saltLength, keyLength } = this.options.argon2;
    return argon2Hash(bytes, {
      algorithm: Algorithm.Argon2id,
      version: Version.V0x13,
      memoryCost: Math.max(memoryKiB, 8 * parallelism),
      timeCost: iterations,
      parallelism,
      outputLen: keyLength,
      salt: randomBytes(saltLength),
    });
  }

  /**
   * False on a wrong password, and also when the hash is recognised but
   * cannot be computed (parameters out of bounds, rejected by the native
   * library): a login must fail, not crash. Throws UnknownHashFormatError
   * only when no format matches.
   */
  async verify(password: string, hashed: string): Promise<boolean> {
    const parsed = parseHash(hashed);
    if (!parsed) throw new UnknownHashFormatError();
    if (findLimitViolation(parsed, this.limits) !== null) return false;
    try {
      return await verifyParsedHash(Buffer.from(password, 'utf8'), parsed);
    } catch {
      return false;
    }
  }

  /** True when a successful login should store a fresh hash: other algorithm or weaker parameters. */
  needsRehash(hashed: string): boolean {
    const parsed = parseHash(hashed);
    if (this.options.algorithm === 'bcrypt') {
      return parsed?.format !== 'bcrypt' || parsed.cost < this.options.bcrypt.cost;
    }
    if (parsed?.format !== 'argon2id') return true;
    const wanted = this.options.argon2;
    return (
      parsed.memoryKiB < wanted.memoryKiB ||
      parsed.iterations < wanted.iterations ||
      parsed.parallelism < wanted.parallelism
    );
  }

  /** Spends the same work as a real check, so unknown identifiers cannot be told apart by timing. */
  async verifyDummy(password: string): Promise<void> {
    this.dummyHash ??= this.hash(randomBytes(32).toString('base64')).catch((error: unknown) => {
      this.dummyHash = null;
      throw error;
    });
    await this.verify(password, await this.dummyHash);
  }
}

/** Import bounds, widened to the configured parameters so Tessera's own hashes always verify. */
function verificationLimits({ argon2, bcrypt }: HasherOptions): HashLimits {
  const base = IMPORTED_HASH_LIMITS;
  return {
    ...base,
    argon2MemoryKiB: Math.max(base.argon2MemoryKiB, argon2.memoryKiB, 8 * argon2.parallelism),
    argon2Iterations: Math.max(base.argon2Iterations, argon2.iterations),
    argon2Parallelism: Math.max(base.argon2Parallelism, argon2.parallelism),
    bcryptCost: Math.max(base.bcryptCost, bcrypt.cost),
  };
}
