import { parseHash, type HashFormat, type ParsedHash } from './hash-format.js';

/**
 * Kratos' bounds for cost parameters in imported hashes. A stored hash is
 * attacker-influenced input to every login: without them one row with
 * scrypt N=2^31 or pbkdf2 i=10^9 exhausts memory or CPU on each attempt.
 * `shaCryptRounds` is Tessera's own: Kratos leaves SHA-crypt unbounded, and
 * 1,000,000 still covers the passlib and go-crypt defaults.
 */
export const IMPORTED_HASH_LIMITS = {
  argon2MemoryKiB: 1024 * 1024,
  argon2Iterations: 10,
  argon2Parallelism: 16,
  bcryptCost: 15,
  pbkdf2Iterations: 10_000_000,
  scryptCost: 2 ** 17,
  scryptBlockSize: 8,
  scryptParallelism: 10,
  firebaseScryptLogCost: 17,
  shaCryptRounds: 1_000_000,
} as const;

export type HashLimits = { readonly [K in keyof typeof IMPORTED_HASH_LIMITS]: number };

export type ImportedHashCheck =
  | { readonly ok: true; readonly format: HashFormat }
  | { readonly ok: false; readonly reason: 'unknown_format' }
  | { readonly ok: false; readonly reason: 'parameters_out_of_bounds'; readonly detail: string };

/** Admin import gate: unknown formats and out-of-bounds parameters both answer 400. */
export function checkImportedHash(hashed: string): ImportedHashCheck {
  const parsed = parseHash(hashed);
  if (!parsed) return { ok: false, reason: 'unknown_format' };
  const detail = findLimitViolation(parsed, IMPORTED_HASH_LIMITS);
  return detail
    ? { ok: false, reason: 'parameters_out_of_bounds', detail }
    : { ok: true, format: parsed.format };
}

/** Describes the first parameter above its limit, or null when all are within bounds. */
export function findLimitViolation(parsed: ParsedHash, limits: HashLimits): string | null {
  const checks = limitChecks(parsed, limits);
  const violation = checks.find(([, value, max]) => value > max);
  return violation ? `${parsed.format} ${violation[0]}=${violation[1]} exceeds ${violation[2]}` : null;
}

type LimitCheck = readonly [parameter: string, value: number, max: number];

function limitChecks(parsed: ParsedHash, limits: HashLimits): readonly LimitCheck[] {
  switch (parsed.format) {
    case 'argon2id':
    case 'argon2i':
    case 'argon2d':
      return [
        ['m', parsed.memoryKiB, limits.argon2MemoryKiB],
        ['t', parsed.iterations, limits.argon2Iterations],
        ['p', parsed.parallelism, limits.argon2Parallelism],
      ];
    case 'bcrypt':
      return [['cost', parsed.cost, limits.bcryptCost]];
    case 'pbkdf2':
      return [['i', parsed.iterations, limits.pbkdf2Iterations]];
    case 'scrypt':
      return [
        ['N', parsed.cost, limits.scryptCost],
        ['r', parsed.blockSize, limits.scryptBlockSize],
        ['p', parsed.parallelism, limits.scryptParallelism],
      ];
    case 'firescrypt':
      return [
        ['ln', parsed.logCost, limits.firebaseScryptLogCost],
        ['r', parsed.blockSize, limits.scryptBlockSize],
        ['p', parsed.parallelism, limits.scryptParallelism],
      ];
    case 'sha256-crypt':
    case 'sha512-crypt':
      return [['rounds', parsed.rounds, limits.shaCryptRounds]];
    default:
      return [];
  }
}
