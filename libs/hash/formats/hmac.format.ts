import { createHmac } from 'node:crypto';
import { constantTimeEqual, decodeBase64Strict } from './encoding.js';
import { md4 } from './md4.js';

export interface HmacHash {
  readonly format: 'hmac';
  readonly digest: HmacDigest;
  /** Lower-case hex of the MAC, as ASCII bytes: Kratos base64-encodes the hex string, not the MAC. */
  readonly hexMac: Buffer;
  readonly key: Buffer;
}

type HmacDigest = keyof typeof MAC_BYTES;

const MAC_BYTES = { md4: 16, md5: 16, sha1: 20, sha224: 28, sha256: 32, sha384: 48, sha512: 64 } as const;

const PATTERN = /^\$hmac-(md4|md5|sha1|sha224|sha256|sha384|sha512)\$([^$]+)\$([^$]*)$/;
const MD4_BLOCK_BYTES = 64;

export function parseHmac(hashed: string): HmacHash | null {
  const match = PATTERN.exec(hashed);
  if (!match) return null;
  const hexMac = decodeBase64Strict(match[2]!);
  const key = decodeBase64Strict(match[3]!);
  const digest = match[1] as HmacDigest;
  if (!hexMac || hexMac.length !== 2 * MAC_BYTES[digest] || !key) return null;
  if (!/^[0-9a-f]+$/.test(hexMac.toString('latin1'))) return null;
  return { format: 'hmac', digest, hexMac, key };
}

export function verifyHmac(password: Buffer, parsed: HmacHash): Promise<boolean> {
  const mac =
    parsed.digest === 'md4'
      ? hmacMd4(parsed.key, password)
      : createHmac(parsed.digest, parsed.key).update(password).digest();
  return Promise.resolve(constantTimeEqual(Buffer.from(mac.toString('hex')), parsed.hexMac));
}

/** RFC 2104 by hand, since node:crypto has no MD4 under OpenSSL 3. */
function hmacMd4(key: Buffer, message: Buffer): Buffer {
  const block = Buffer.alloc(MD4_BLOCK_BYTES);
  (key.length > MD4_BLOCK_BYTES ? md4(key) : key).copy(block);
  const pad = (byte: number) => Buffer.from(block.map((b) => b ^ byte));
  const inner = md4(Buffer.concat([pad(0x36), message]));
  return md4(Buffer.concat([pad(0x5c), inner]));
}
