import { createHash } from 'node:crypto';
import { constantTimeEqual, decodeBase64Lenient, decodeBase64Strict } from './encoding.js';

type Digest = 'md5' | 'sha1' | 'sha256' | 'sha512';

/** LDAP `{SSHA}`, `{SSHA256}`, `{SSHA512}`: base64(digest(password ‖ salt) ‖ salt). */
export interface SshaHash {
  readonly format: 'ssha';
  readonly digest: Digest;
  readonly salt: Buffer;
  readonly hash: Buffer;
}

/** Kratos' `$sha1$`, `$sha256$`, `$sha512$` and `$md5$` with an optional `pf=` salting template. */
export interface TemplateDigestHash {
  readonly format: 'sha' | 'md5';
  readonly digest: Digest;
  /** Bytes with `{SALT}` and `{PASSWORD}` placeholders; null means the bare password. */
  readonly template: Buffer | null;
  readonly salt: Buffer;
  readonly hash: Buffer;
}

const DIGEST_BYTES: Record<Digest, number> = { md5: 16, sha1: 20, sha256: 32, sha512: 64 };
const SSHA = /^\{SSHA(256|512)?\}(.*)$/;
const SHA = /^\$(sha1|sha256|sha512)\$pf=([^$]+)\$([^$]*)\$([^$]+)$/;
const MD5_BARE = /^\$md5\$([^$]+)$/;
const MD5_TEMPLATE = /^\$md5\$pf=([^$]+)\$([^$]*)\$([^$]+)$/;

export function parseSsha(hashed: string): SshaHash | null {
  const match = SSHA.exec(hashed);
  if (!match) return null;
  const digest = match[1] === '256' ? 'sha256' : match[1] === '512' ? 'sha512' : 'sha1';
  const decoded = decodeBase64Lenient(match[2]!);
  const size = DIGEST_BYTES[digest];
  // Kratos requires at least one salt byte after the digest.
  if (!decoded || decoded.length <= size) return null;
  return { format: 'ssha', digest, hash: decoded.subarray(0, size), salt: decoded.subarray(size) };
}

export function parseShaTemplate(hashed: string): TemplateDigestHash | null {
  const match = SHA.exec(hashed);
  if (!match) return null;
  return templateHash('sha', match[1] as Digest, match[2]!, match[3]!, match[4]!);
}

export function parseMd5(hashed: string): TemplateDigestHash | null {
  const bare = MD5_BARE.exec(hashed);
  if (bare) {
    const hash = decodeBase64Strict(bare[1]!);
    return hash?.length === DIGEST_BYTES.md5
      ? { format: 'md5', digest: 'md5', template: null, salt: Buffer.alloc(0), hash }
      : null;
  }
  const match = MD5_TEMPLATE.exec(hashed);
  return match ? templateHash('md5', 'md5', match[1]!, match[2]!, match[3]!) : null;
}

export function verifySsha(password: Buffer, parsed: SshaHash): Promise<boolean> {
  const computed = createHash(parsed.digest).update(password).update(parsed.salt).digest();
  return Promise.resolve(constantTimeEqual(computed, parsed.hash));
}

export function verifyTemplateDigest(password: Buffer, parsed: TemplateDigestHash): Promise<boolean> {
  const input = parsed.template ? fillTemplate(parsed.template, parsed.salt, password) : password;
  const computed = createHash(parsed.digest).update(input).digest();
  return Promise.resolve(constantTimeEqual(computed, parsed.hash));
}

function templateHash(
  format: 'sha' | 'md5',
  digest: Digest,
  template: string,
  salt: string,
  hash: string,
): TemplateDigestHash | null {
  const decoded = [decodeBase64Strict(template), decodeBase64Strict(salt), decodeBase64Strict(hash)];
  const [templateBytes, saltBytes, hashBytes] = decoded;
  if (!templateBytes?.length || !saltBytes || hashBytes?.length !== DIGEST_BYTES[digest]) return null;
  return { format, digest, template: templateBytes, salt: saltBytes, hash: hashBytes };
}

const SALT = Buffer.from('{SALT}');
const PASSWORD = Buffer.from('{PASSWORD}');

/** Single left-to-right pass, like Go's strings.Replacer: substituted text is never rescanned. */
function fillTemplate(template: Buffer, salt: Buffer, password: Buffer): Buffer {
  const parts: Buffer[] = [];
  let literalStart = 0;
  for (let i = 0; i < template.length;) {
    const [token, value] = startsWith(template, i, SALT)
      ? [SALT, salt]
      : startsWith(template, i, PASSWORD)
        ? [PASSWORD, password]
        : [null, null];
    if (!token) {
      i++;
      continue;
    }
    parts.push(template.subarray(literalStart, i), value);
    i += token.length;
    literalStart = i;
  }
  parts.push(template.subarray(literalStart));
  return Buffer.concat(parts);
}

function startsWith(haystack: Buffer, offset: number, needle: Buffer): boolean {
  return haystack.subarray(offset, offset + needle.length).equals(needle);
}
