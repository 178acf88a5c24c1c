import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { type AdminApiKeyEntry } from '../config/index.js';

/** Marks a string as a Tessera admin key, so that secret scanners and people can tell. */
export const ADMIN_KEY_PREFIX = 'tessera_ak_';

/** A fresh key: 256 random bits, base64url. */
export function generateAdminKey(): string {
  return `${ADMIN_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/**
 * What the config stores of a key: its SHA-256, hex. A key is 256 random bits, so a fast hash
 * is enough to make the stored value useless to a reader of the config, and checking it costs
 * microseconds, where argon2 would make every admin request (and every wrong guess) a
 * memory-hard computation.
 */
export function hashAdminKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The token of an `Authorization: Bearer <token>` header (RFC 6750: the scheme is case-insensitive). */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer +([\x21-\x7e]+) *$/i.exec(header ?? '');
  return match?.[1];
}

/** The configured keys, held as digests only. */
export class AdminKeyRing {
  private readonly digests: { id: string; digest: Buffer }[];

  constructor(entries: readonly AdminApiKeyEntry[]) {
    this.digests = entries.map(({ id, hash }) => ({ id, digest: Buffer.from(hash, 'hex') }));
  }

  get enabled(): boolean {
    return this.digests.length > 0;
  }

  /**
   * The id of the key that matches, else undefined. The presented key is hashed first, so every
   * comparison is of two 32-byte digests, in constant time, against every entry without stopping
   * at a match: neither the key's length nor its position in the list shows in the time taken.
   */
  match(presented: string | undefined): string | undefined {
    const digest = createHash('sha256')
      .update(presented ?? '', 'utf8')
      .digest();
    let found: string | undefined;
    for (const entry of this.digests) {
      if (timingSafeEqual(digest, entry.digest) && found === undefined && presented !== undefined)
        found = entry.id;
    }
    return found;
  }
}
