import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { type SelfServiceFlow } from '../../flow/index.js';

const KEY = 'oidc_auth_code_session';
/** Kratos' `ory_kratos_oidc_auth_code_session` container lives 30 minutes. */
const LIFESPAN_MS = 30 * 60_000;
/** After a callback it stays one more minute, so that a double submit still resolves. */
const GRACE_MS = 60_000;

interface Container {
  nonce_hash: string;
  state_hash: string;
  expires_at: string;
  traits?: Record<string, unknown>;
  transient_payload?: Record<string, unknown>;
}

export interface ContinuityStart {
  nonce: string;
  expiresAt: Date;
}

type Resumed =
  | { ok: true; traits?: Record<string, unknown>; transientPayload?: Record<string, unknown> }
  | { ok: false; reason: 'not_resumable' | 'state_mismatch' };

const hash = (value: string) => createHash('sha256').update(value).digest();

/**
 * Kratos' OIDC continuity container, kept on the flow (internal context): the hash of the state
 * sent to the provider, the traits and transient payload submitted with the start, and the hash
 * of a nonce only the starting browser holds (in its `ory_kratos_continuity` cookie).
 */
export const OidcContinuity = {
  start(
    flow: SelfServiceFlow,
    state: string,
    now: Date,
    extra: { traits?: Record<string, unknown>; transientPayload?: Record<string, unknown> },
  ): ContinuityStart {
    const nonce = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Math.min(now.getTime() + LIFESPAN_MS, flow.expiresAt.getTime()));
    const container: Container = {
      nonce_hash: hash(nonce).toString('base64url'),
      state_hash: hash(state).toString('base64url'),
      expires_at: expiresAt.toISOString(),
      ...(extra.traits ? { traits: extra.traits } : {}),
      ...(extra.transientPayload ? { transient_payload: extra.transientPayload } : {}),
    };
    flow.internalContext = { ...(flow.internalContext ?? {}), [KEY]: container };
    return { nonce, expiresAt };
  },

  /**
   * Checks the browser's nonce and the returned state against the flow's container; on success
   * the container is set to expire a minute later (the caller saves the flow).
   */
  resume(flow: SelfServiceFlow, nonce: string | undefined, state: string, now: Date): Resumed {
    const container = flow.internalContext?.[KEY] as Container | undefined;
    if (!container || !nonce || !(new Date(container.expires_at) > now))
      return { ok: false, reason: 'not_resumable' };
    if (!same(hash(nonce), container.nonce_hash)) return { ok: false, reason: 'not_resumable' };
    return OidcContinuity.resumeWithoutBrowser(flow, state, now);
  },

  /**
   * A native app's token-exchange flow: the system browser has no continuity cookie (the caller
   * has checked the state's init-code hash instead); the state must still be the one stored.
   */
  resumeWithoutBrowser(flow: SelfServiceFlow, state: string, now: Date): Resumed {
    const container = flow.internalContext?.[KEY] as Container | undefined;
    if (!container || !(new Date(container.expires_at) > now)) return { ok: false, reason: 'not_resumable' };
    if (!same(hash(state), container.state_hash)) return { ok: false, reason: 'state_mismatch' };
    const graceEnd = new Date(Math.min(now.getTime() + GRACE_MS, new Date(container.expires_at).getTime()));
    flow.internalContext = {
      ...flow.internalContext,
      [KEY]: { ...container, expires_at: graceEnd.toISOString() },
    };
    return { ok: true, traits: container.traits, transientPayload: container.transient_payload };
  },
};

function same(actual: Buffer, stored: string): boolean {
  const expected = Buffer.from(stored, 'base64url');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
