import { ApiError } from '../errors/index.js';

type Aal = 'aal1' | 'aal2';

/**
 * Each identity's available AAL for a short while, so that whoami on an aal1 session does not
 * read credentials on every call. Changes in this process evict at once (identity listeners);
 * other replicas see an enrolment within the TTL (`session.whoami.cache_ttl`).
 */
export class AvailableAalCache {
  private readonly entries = new Map<string, { aal: Aal; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  async get(identityId: string, now: number, load: () => Promise<Aal>): Promise<Aal> {
    const entry = this.entries.get(identityId);
    if (entry && entry.until > now) return entry.aal;
    const aal = await load();
    if (this.ttlMs > 0) {
      if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(identityId, { aal, until: now + this.ttlMs });
    }
    return aal;
  }

  forget(identityId: string): void {
    this.entries.delete(identityId);
  }

  clear(): void {
    this.entries.clear();
  }
}

/** 403 `session_aal2_required`: the browser is to be sent to an aal2 login. */
export function aal2Required(redirectBrowserTo: string): ApiError {
  return new ApiError(403, {
    id: 'session_aal2_required',
    reason:
      'An active session was found but it does not fulfil the Authenticator Assurance Level, implying that the session must (e.g.) authenticate the second factor.',
    message: 'Session does not fulfill the requested Authenticator Assurance Level',
    details: { redirect_browser_to: redirectBrowserTo },
    extra: { redirect_browser_to: redirectBrowserTo },
  });
}
