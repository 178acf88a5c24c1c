import { verify } from '@node-rs/bcrypt';

export interface BcryptHash {
  readonly format: 'bcrypt';
  readonly cost: number;
  /** The hash with its prefix rewritten to one the native verifier accepts. */
  readonly normalized: string;
}

// Kratos (Go) accepts `$2$`, `$2a$`, `$2b$`, `$2y$` and `$2z$` and computes them all identically.
const PATTERN = /^\$2([abyz]?)\$(\d\d)\$([./A-Za-z0-9]{53})$/;
const MIN_COST = 4;
const MAX_COST = 31;
/** bcrypt reads at most 72 bytes; Kratos refuses longer passwords rather than truncating. */
export const BCRYPT_MAX_PASSWORD_BYTES = 72;

export function parseBcrypt(hashed: string): BcryptHash | null {
  const match = PATTERN.exec(hashed);
  if (!match) return null;
  const cost = Number(match[2]);
  if (cost < MIN_COST || cost > MAX_COST) return null;
  const minor = match[1] === '' || match[1] === 'z' ? 'b' : match[1];
  return { format: 'bcrypt', cost, normalized: `$2${minor}$${match[2]}$${match[3]}` };
}

export async function verifyBcrypt(password: Buffer, parsed: BcryptHash): Promise<boolean> {
  if (password.length > BCRYPT_MAX_PASSWORD_BYTES) return false;
  return verify(password, parsed.normalized);
}
