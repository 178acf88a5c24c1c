import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { type SelfServiceFlow } from '../../flow/index.js';
import { type RelyingParty } from './relying-party.js';
import {
  aaguidBase64,
  base64ToBase64Url,
  base64UrlToBase64,
  type StoredKey,
} from './webauthn-credentials.js';

/** @simplewebauthn/server and its ASN.1 stack (~0.3 s to import) load on the first ceremony. */
let library: Promise<typeof import('@simplewebauthn/server')> | undefined;
const webauthn = () => (library ??= import('@simplewebauthn/server'));

const TIMEOUT_MS = 300_000;
/** ES256, EdDSA, RS256: what go-webauthn offers by default. */
const ALGORITHMS = [-7, -8, -257];

/** What a flow remembers of one ceremony, server-side only (`internal_context`). */
export interface PendingCeremony {
  challenge: string;
  /** Registration: the user handle the new key is bound to (standard base64). */
  user_handle?: string;
}

/** Remembers a ceremony on the flow; the flow service persists it with the flow. */
export function rememberCeremony(flow: SelfServiceFlow, key: string, ceremony: PendingCeremony): void {
  flow.internalContext = { ...(flow.internalContext ?? {}), [key]: ceremony };
}

/** Takes the ceremony off the flow: a challenge answers at most one submission. */
export function takeCeremony(flow: SelfServiceFlow, key: string): PendingCeremony | null {
  const context = flow.internalContext ?? {};
  const ceremony = context[key] as PendingCeremony | undefined;
  if (!ceremony) return null;
  const { [key]: _taken, ...rest } = context;
  flow.internalContext = rest;
  return typeof ceremony.challenge === 'string' ? ceremony : null;
}

export interface CreationOptionsInput {
  rp: RelyingParty;
  challenge: string;
  userHandle: string;
  userName: string;
  exclude: StoredKey[];
  residentKey: 'required' | 'preferred' | 'discouraged';
  userVerification: 'required' | 'preferred' | 'discouraged';
}

/** `PublicKeyCredentialCreationOptions` in their JSON form (binary as base64url). */
export function creationOptions(input: CreationOptionsInput): { publicKey: Record<string, unknown> } {
  return {
    publicKey: {
      challenge: input.challenge,
      rp: { name: input.rp.name, id: input.rp.id },
      user: { name: input.userName, displayName: input.userName, id: base64ToBase64Url(input.userHandle) },
      pubKeyCredParams: ALGORITHMS.map((alg) => ({ type: 'public-key', alg })),
      timeout: TIMEOUT_MS,
      excludeCredentials: input.exclude.map((k) => ({ type: 'public-key', id: base64ToBase64Url(k.id) })),
      authenticatorSelection: {
        requireResidentKey: input.residentKey === 'required',
        residentKey: input.residentKey,
        userVerification: input.userVerification,
      },
      attestation: 'none',
    },
  };
}

/** `PublicKeyCredentialRequestOptions` in their JSON form; no allow list means discoverable keys. */
export function requestOptions(
  rp: RelyingParty,
  challenge: string,
  allow: StoredKey[],
  userVerification: 'required' | 'preferred' | 'discouraged',
): { publicKey: Record<string, unknown> } {
  return {
    publicKey: {
      challenge,
      timeout: TIMEOUT_MS,
      rpId: rp.id,
      allowCredentials: allow.map((k) => ({ type: 'public-key', id: base64ToBase64Url(k.id) })),
      userVerification,
    },
  };
}

function parsed(raw: unknown): Record<string, unknown> | null {
  if (typeof raw !== 'string' || raw === '' || raw.length > 64 * 1024) return null;
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
    const response = (value as Record<string, unknown>)['response'];
    if (typeof response !== 'object' || response === null) return null;
    const id = (value as Record<string, unknown>)['id'];
    if (typeof id !== 'string' || !/^[A-Za-z0-9_-]+$/.test(id)) return null;
    return { clientExtensionResults: {}, rawId: id, type: 'public-key', ...value };
  } catch {
    return null;
  }
}

/** The user handle an assertion claims (standard base64), for a discoverable-key login. */
export function assertedUserHandle(raw: unknown): string | null {
  const value = parsed(raw);
  const handle = (value?.['response'] as Record<string, unknown> | undefined)?.['userHandle'];
  return typeof handle === 'string' && handle !== '' ? base64UrlToBase64(handle) : null;
}

export interface NewKey {
  key: StoredKey;
  userVerified: boolean;
}

/** Checks an attestation against the ceremony; null when it is malformed or does not verify. */
export async function verifyAttestation(
  raw: unknown,
  ceremony: PendingCeremony,
  rp: RelyingParty,
  opts: { displayName: string; passwordless: boolean; now: Date; requireUserVerification: boolean },
): Promise<NewKey | null> {
  const response = parsed(raw);
  if (!response) return null;
  const { verifyRegistrationResponse } = await webauthn();
  try {
    const result = await verifyRegistrationResponse({
      response: response as unknown as RegistrationResponseJSON,
      expectedChallenge: ceremony.challenge,
      expectedOrigin: rp.origins,
      expectedRPID: rp.id,
      requireUserVerification: opts.requireUserVerification,
    });
    if (!result.verified) return null;
    const info = result.registrationInfo;
    const transports = (response['response'] as { transports?: unknown }).transports;
    return {
      userVerified: info.userVerified,
      key: {
        id: base64UrlToBase64(info.credential.id),
        public_key: Buffer.from(info.credential.publicKey).toString('base64'),
        attestation_type: info.fmt,
        authenticator: {
          aaguid: aaguidBase64(info.aaguid),
          sign_count: info.credential.counter,
          clone_warning: false,
        },
        display_name: opts.displayName,
        added_at: opts.now.toISOString(),
        is_passwordless: opts.passwordless,
        ...(Array.isArray(transports) ? { transport: transports.map(String) } : {}),
      },
    };
  } catch {
    return null;
  }
}

export type AssertionOutcome =
  | { ok: true; key: StoredKey; signCount: number }
  | { ok: false; reason: 'malformed' | 'unknown_key' | 'invalid' | 'cloned'; key?: StoredKey };

/**
 * Checks an assertion against the ceremony and the identity's keys. A sign counter that does not
 * grow means the key may have been cloned: the login is refused and the key flagged.
 */
export async function verifyAssertion(
  raw: unknown,
  ceremony: PendingCeremony,
  rp: RelyingParty,
  keys: StoredKey[],
  requireUserVerification: boolean,
): Promise<AssertionOutcome> {
  const response = parsed(raw);
  if (!response) return { ok: false, reason: 'malformed' };
  const keyId = base64UrlToBase64(response['id'] as string);
  const key = keys.find((k) => k.id === keyId);
  if (!key) return { ok: false, reason: 'unknown_key' };
  const stored = key.authenticator?.sign_count ?? 0;
  const { verifyAuthenticationResponse } = await webauthn();
  try {
    const result = await verifyAuthenticationResponse({
      response: response as unknown as AuthenticationResponseJSON,
      expectedChallenge: ceremony.challenge,
      expectedOrigin: rp.origins,
      expectedRPID: rp.id,
      requireUserVerification,
      credential: {
        id: base64ToBase64Url(key.id),
        publicKey: new Uint8Array(Buffer.from(key.public_key, 'base64')),
        // The counter check is ours, so a clone can be told apart from a bad signature.
        counter: 0,
      },
    });
    if (!result.verified) return { ok: false, reason: 'invalid' };
    const next = result.authenticationInfo.newCounter;
    if ((next > 0 || stored > 0) && next <= stored) return { ok: false, reason: 'cloned', key };
    return { ok: true, key, signCount: next };
  } catch {
    return { ok: false, reason: 'invalid' };
  }
}
