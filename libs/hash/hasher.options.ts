export interface HasherOptions {
  algorithm: 'argon2' | 'bcrypt';
  argon2: {
    memoryKiB: number;
    iterations: number;
    parallelism: number;
    saltLength: number;
    keyLength: number;
  };
  bcrypt: { cost: number };
}

export const HASHER_OPTIONS = Symbol('HASHER_OPTIONS');

/** OWASP's first choice: argon2id, 19 MiB, two passes, one lane. */
export const DEFAULT_HASHER_OPTIONS: HasherOptions = {
  algorithm: 'argon2',
  argon2: { memoryKiB: 19456, iterations: 2, parallelism: 1, saltLength: 16, keyLength: 32 },
  bcrypt: { cost: 12 },
};

/** Fails at boot rather than on the first registration. */
export function assertValidHasherOptions(options: HasherOptions): void {
  const { memoryKiB, iterations, parallelism, saltLength, keyLength } = options.argon2;
  const problems = [
    !isIntIn(parallelism, 1, 255) && 'argon2.parallelism must be an integer in 1..255',
    // Below 8 KiB per lane is raised at hash time, as Kratos (Go) does, so tiny test configs still work.
    !isIntIn(memoryKiB, 0, 2 ** 32 - 1) && 'argon2.memoryKiB must be a non-negative integer',
    !isIntIn(iterations, 1, 2 ** 32 - 1) && 'argon2.iterations must be a positive integer',
    !isIntIn(saltLength, 8, 1024) && 'argon2.saltLength must be an integer in 8..1024',
    !isIntIn(keyLength, 4, 1024) && 'argon2.keyLength must be an integer in 4..1024',
    !isIntIn(options.bcrypt.cost, 4, 31) && 'bcrypt.cost must be an integer in 4..31',
  ].filter((problem): problem is string => typeof problem === 'string');
  if (!['argon2', 'bcrypt'].includes(options.algorithm)) problems.push('algorithm must be argon2 or bcrypt');
  if (problems.length > 0) throw new Error(`Invalid hasher options: ${problems.join('; ')}`);
}

function isIntIn(value: number, min: number, max: number): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}
