import { Injectable } from '@nestjs/common';
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { ConfigService } from '../config/index.js';

const VERSION = 'v1';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

interface CipherKey {
  /** 8 hex characters of a hash of the key: picks the key on decryption without trying all. */
  id: string;
  key: Buffer;
}

export class CipherError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CipherError';
  }
}

/** A 256-bit key per secret, bound to this use so a cipher secret shared with another tool stays apart. */
export function cipherKey(secret: string): CipherKey {
  const key = Buffer.from(hkdfSync('sha256', secret, 'tessera', 'tessera secrets-at-rest v1', 32));
  return { id: createHash('sha256').update(key).digest('hex').slice(0, 8), key };
}

/**
 * Authenticated encryption for secrets at rest (TOTP seeds, lookup codes): AES-256-GCM with a
 * random 96-bit nonce per message. Output `v1.<key id>.<base64url(nonce | ciphertext | tag)>`.
 * The first key encrypts, every key decrypts, so `secrets.cipher` can rotate. `context` is
 * authenticated additional data: a ciphertext moved to another place (another identity, another
 * purpose) does not decrypt.
 */
export class SecretCipher {
  private readonly keys: CipherKey[];

  constructor(secrets: readonly string[]) {
    this.keys = secrets.map(cipherKey);
  }

  encrypt(plaintext: string, context = ''): string {
    if (this.keys.length === 0) throw new CipherError('no cipher secrets were configured');
    const { id, key } = this.keys[0]!;
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, nonce);
    cipher.setAAD(Buffer.from(context));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const sealed = Buffer.concat([nonce, body, cipher.getAuthTag()]);
    return `${VERSION}.${id}.${sealed.toString('base64url')}`;
  }

  decrypt(message: string, context = ''): string {
    const [version, id, payload, ...rest] = message.split('.');
    if (version !== VERSION || !id || payload === undefined || rest.length > 0)
      throw new CipherError('unknown ciphertext format');
    const sealed = Buffer.from(payload, 'base64url');
    if (sealed.length < NONCE_BYTES + TAG_BYTES) throw new CipherError('ciphertext too short');
    const nonce = sealed.subarray(0, NONCE_BYTES);
    const tag = sealed.subarray(sealed.length - TAG_BYTES);
    const body = sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES);
    const candidates = this.keys.filter((k) => k.id === id);
    for (const { key } of candidates) {
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, nonce);
        decipher.setAAD(Buffer.from(context));
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
      } catch {
        // an id collision between keys is possible in principle; try the next one
      }
    }
    throw new CipherError(
      candidates.length ? 'ciphertext failed authentication' : 'no cipher secret for this key',
    );
  }

  /** True when the message was sealed with an older key and should be re-encrypted. */
  isStale(message: string): boolean {
    return message.split('.')[1] !== this.keys[0]?.id;
  }
}

/** The application's cipher, keyed from `secrets.cipher` (the loader fills a dev key under --dev). */
@Injectable()
export class Cipher extends SecretCipher {
  constructor(config: ConfigService) {
    super(config.get<string[]>('secrets.cipher') ?? []);
  }
}
