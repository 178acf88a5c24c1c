import { randomBytes } from 'node:crypto';

/**
 * One key as Kratos stores it in a `webauthn` or `passkey` credential's config. Binary values are
 * standard base64, as Go's JSON encoding of byte slices writes them.
 */
export interface StoredKey {
  id: string;
  public_key: string;
  attestation_type: string;
  authenticator: { aaguid: string; sign_count: number; clone_warning: boolean };
  display_name: string;
  added_at: string;
  is_passwordless: boolean;
  transport?: string[];
}

export interface WebAuthnConfig {
  credentials: StoredKey[];
  user_handle: string;
}

export const toBase64Url = (bytes: Uint8Array | Buffer): string => Buffer.from(bytes).toString('base64url');
export const base64ToBase64Url = (std: string): string => Buffer.from(std, 'base64').toString('base64url');
export const base64UrlToBase64 = (url: string): string => Buffer.from(url, 'base64url').toString('base64');

/** A fresh user handle: 64 random bytes, unrelated to the identity id. */
export function newUserHandle(): string {
  return randomBytes(64).toString('base64');
}

/** 32 random bytes, base64url, for one ceremony. */
export function newChallenge(): string {
  return randomBytes(32).toString('base64url');
}

/** The config of a stored credential, tolerating rows written by other versions. */
export function webAuthnConfig(config: Record<string, unknown> | undefined): WebAuthnConfig {
  const list = Array.isArray(config?.['credentials']) ? (config['credentials'] as StoredKey[]) : [];
  const handle = typeof config?.['user_handle'] === 'string' ? config['user_handle'] : '';
  return { credentials: list.filter((k) => typeof k?.id === 'string'), user_handle: handle };
}

/** The id Kratos uses in `webauthn_remove`/`passkey_remove` buttons: the key id in hex. */
export function keyIdHex(key: StoredKey): string {
  return Buffer.from(key.id, 'base64').toString('hex');
}

/** The uuid form simplewebauthn reports, as the 16 bytes Kratos stores. */
export function aaguidBase64(uuid: string): string {
  return Buffer.from(uuid.replace(/-/g, ''), 'hex').toString('base64');
}
