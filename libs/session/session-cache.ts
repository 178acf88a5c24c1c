import { type SessionEntity } from './session.entity.js';

interface Entry {
  session: SessionEntity;
  until: number;
}

/**
 * A short-lived, bounded cache of active sessions by token hash, so that an app calling whoami on
 * every request does not cost a database round trip each time. Revocations in this process
 * evict at once, and other replicas are told over Redis (see session-invalidation.ts); without
 * Redis they see them within the TTL (`session.whoami.cache_ttl`, 0 = off).
 */
export class SessionCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  get(tokenHash: string, now: number): SessionEntity | undefined {
    const entry = this.entries.get(tokenHash);
    if (!entry) return undefined;
    if (entry.until <= now) {
      this.entries.delete(tokenHash);
      return undefined;
    }
    return entry.session;
  }

  set(tokenHash: string, session: SessionEntity, now: number): void {
    if (this.ttlMs <= 0) return;
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    // Never past the session's own expiry, so an expired session is never served from here.
    this.entries.set(tokenHash, { session, until: Math.min(now + this.ttlMs, session.expiresAt.getTime()) });
  }

  clear(): void {
    this.entries.clear();
  }

  evict(match: (session: SessionEntity) => boolean): void {
    for (const [key, entry] of this.entries) if (match(entry.session)) this.entries.delete(key);
  }
}
