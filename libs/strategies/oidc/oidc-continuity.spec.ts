import { describe, expect, it } from 'vitest';
import { LoginFlowEntity } from '../../flow/index.js';
import { OidcContinuity } from './oidc-continuity.js';

const NOW = new Date('2026-12-03T12:00:00Z');

function flow(): LoginFlowEntity {
  return Object.assign(new LoginFlowEntity(), {
    id: 'flow-1',
    expiresAt: new Date(NOW.getTime() + 3_600_000),
    internalContext: null,
  });
}

describe('OidcContinuity', () => {
  it('resumes a browser flow only with its nonce and state', () => {
    const f = flow();
    const { nonce } = OidcContinuity.start(f, 'state-a', NOW, { traits: { email: 'a@example.org' } });
    expect(OidcContinuity.resume(f, undefined, 'state-a', NOW)).toEqual({
      ok: false,
      reason: 'not_resumable',
    });
    expect(OidcContinuity.resume(f, 'other', 'state-a', NOW)).toEqual({ ok: false, reason: 'not_resumable' });
    expect(OidcContinuity.resume(f, nonce, 'state-b', NOW)).toEqual({ ok: false, reason: 'state_mismatch' });
    expect(OidcContinuity.resume(f, nonce, 'state-a', NOW)).toMatchObject({
      ok: true,
      traits: { email: 'a@example.org' },
    });
  });

  it('resumes a token-exchange flow without a browser nonce, still only with the stored state', () => {
    const f = flow();
    OidcContinuity.start(f, 'state-a', NOW, { transientPayload: { a: 1 } });
    expect(OidcContinuity.resumeWithoutBrowser(f, 'state-b', NOW)).toEqual({
      ok: false,
      reason: 'state_mismatch',
    });
    expect(OidcContinuity.resumeWithoutBrowser(f, 'state-a', NOW)).toMatchObject({
      ok: true,
      transientPayload: { a: 1 },
    });
    const late = new Date(NOW.getTime() + 31 * 60_000);
    expect(OidcContinuity.resumeWithoutBrowser(flow(), 'state-a', NOW)).toEqual({
      ok: false,
      reason: 'not_resumable',
    });
    const g = flow();
    OidcContinuity.start(g, 'state-a', NOW, {});
    expect(OidcContinuity.resumeWithoutBrowser(g, 'state-a', late)).toEqual({
      ok: false,
      reason: 'not_resumable',
    });
  });
});
