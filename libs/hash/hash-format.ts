import { parseArgon2, verifyArgon2, type Argon2Hash } from './formats/argon2.format.js';
import { parseBcrypt, verifyBcrypt, type BcryptHash } from './formats/bcrypt.format.js';
import { parseHmac, verifyHmac, type HmacHash } from './formats/hmac.format.js';
import { parseMd5Crypt, verifyMd5Crypt, type Md5CryptHash } from './formats/md5-crypt.format.js';
import { parsePbkdf2, verifyPbkdf2, type Pbkdf2Hash } from './formats/pbkdf2.format.js';
import {
  parseMd5,
  parseShaTemplate,
  parseSsha,
  verifySsha,
  verifyTemplateDigest,
  type SshaHash,
  type TemplateDigestHash,
} from './formats/salted-digest.format.js';
import {
  parseFirebaseScrypt,
  parseScrypt,
  verifyFirebaseScrypt,
  verifyScrypt,
  type FirebaseScryptHash,
  type ScryptHash,
} from './formats/scrypt.format.js';
import { parseShaCrypt, verifyShaCrypt, type ShaCryptHash } from './formats/sha-crypt.format.js';

/** Stored-hash families Tessera can verify: Kratos' import formats plus argon2d. */
export const HashFormat = {
  Argon2id: 'argon2id',
  Argon2i: 'argon2i',
  Argon2d: 'argon2d',
  Bcrypt: 'bcrypt',
  Pbkdf2: 'pbkdf2',
  Scrypt: 'scrypt',
  FirebaseScrypt: 'firescrypt',
  Ssha: 'ssha',
  Sha: 'sha',
  Md5: 'md5',
  Hmac: 'hmac',
  Md5Crypt: 'md5-crypt',
  Sha256Crypt: 'sha256-crypt',
  Sha512Crypt: 'sha512-crypt',
} as const;
export type HashFormat = (typeof HashFormat)[keyof typeof HashFormat];

export type ParsedHash =
  | Argon2Hash
  | BcryptHash
  | Pbkdf2Hash
  | ScryptHash
  | FirebaseScryptHash
  | SshaHash
  | TemplateDigestHash
  | HmacHash
  | Md5CryptHash
  | ShaCryptHash;

// Every parsed shape must name a public format and vice versa.
const exhaustive: [ParsedHash['format'], HashFormat] extends [HashFormat, ParsedHash['format']]
  ? true
  : never = true;
void exhaustive;

const PARSERS: readonly ((hashed: string) => ParsedHash | null)[] = [
  parseMd5Crypt,
  parseBcrypt,
  parseShaCrypt,
  parseArgon2,
  parsePbkdf2,
  parseScrypt,
  parseSsha,
  parseShaTemplate,
  parseFirebaseScrypt,
  parseMd5,
  parseHmac,
];

/**
 * Full structural parse, stricter than Kratos' prefix match: a value that
 * could never verify (bad base64, wrong digest length, impossible
 * parameters) is rejected at import rather than stored.
 */
export function parseHash(hashed: string): ParsedHash | null {
  for (const parse of PARSERS) {
    const parsed = parse(hashed);
    if (parsed) return parsed;
  }
  return null;
}

export function detectHashFormat(hashed: string): HashFormat | null {
  return parseHash(hashed)?.format ?? null;
}

export function isKnownHashFormat(hashed: string): boolean {
  return parseHash(hashed) !== null;
}

export function verifyParsedHash(password: Buffer, parsed: ParsedHash): Promise<boolean> {
  switch (parsed.format) {
    case 'argon2id':
    case 'argon2i':
    case 'argon2d':
      return verifyArgon2(password, parsed);
    case 'bcrypt':
      return verifyBcrypt(password, parsed);
    case 'pbkdf2':
      return verifyPbkdf2(password, parsed);
    case 'scrypt':
      return verifyScrypt(password, parsed);
    case 'firescrypt':
      return verifyFirebaseScrypt(password, parsed);
    case 'ssha':
      return verifySsha(password, parsed);
    case 'sha':
    case 'md5':
      return verifyTemplateDigest(password, parsed);
    case 'hmac':
      return verifyHmac(password, parsed);
    case 'md5-crypt':
      return verifyMd5Crypt(password, parsed);
    case 'sha256-crypt':
    case 'sha512-crypt':
      return verifyShaCrypt(password, parsed);
  }
}
