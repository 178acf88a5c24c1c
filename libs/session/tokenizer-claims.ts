import { randomUUID } from 'node:crypto';
import { type JsonnetProgram } from '../jsonnet/index.js';

export type SubjectSource = 'id' | 'external_id';

export type Claims = Record<string, unknown>;

/** What a template's claims are made of, besides the session itself. */
export interface ClaimsInput {
  issuer: string;
  now: Date;
  ttlMs: number;
  subjectSource: SubjectSource;
  sessionId: string;
  identityId: string;
  externalId?: string | null;
}

export type ClaimsResult = { ok: true; claims: Claims } | { ok: false; reason: string; debug?: string };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function subject(input: ClaimsInput): ClaimsResult | string {
  if (input.subjectSource === 'id') return input.identityId;
  if (!input.externalId) {
    return {
      ok: false,
      reason:
        "The session's identity does not have an external ID set, but it is required for the subject claim.",
    };
  }
  return input.externalId;
}

/**
 * Kratos' claims: `jti`, `iss` (the public base URL), `sub`, `sid`, `iat`, `nbf` and `exp` (now +
 * ttl), in seconds. The mapper sees them as `std.extVar('claims')` and the session as
 * `std.extVar('session')`; what it returns under `claims` is laid over them, except `sub`, which
 * always comes from the template's subject source.
 */
export function buildClaims(input: ClaimsInput, mapper?: JsonnetProgram, session?: unknown): ClaimsResult {
  const sub = subject(input);
  if (typeof sub !== 'string') return sub;
  const now = Math.floor(input.now.getTime() / 1000);
  const standard: Claims = {
    jti: randomUUID(),
    iss: input.issuer,
    exp: Math.floor((input.now.getTime() + input.ttlMs) / 1000),
    sid: input.sessionId,
    nbf: now,
    iat: now,
    sub,
  };
  if (!mapper) return { ok: true, claims: standard };
  const result = mapper.evaluate({ session, claims: standard });
  if (!result.ok) {
    return { ok: false, reason: 'Unable to execute tokenizer JsonNet.', debug: result.error.message };
  }
  const mapped = isObject(result.value) ? result.value['claims'] : undefined;
  if (!isObject(mapped)) {
    return { ok: false, reason: 'Expected tokenizer JsonNet to return a claims object but it did not.' };
  }
  return { ok: true, claims: { ...standard, ...mapped, sub } };
}
