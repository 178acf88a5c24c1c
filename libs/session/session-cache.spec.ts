import { describe, expect, it } from 'vitest';
import { SessionCache } from './session-cache.js';
import { type SessionEntity } from './session.entity.js';

const session = (id: string, identityId: string, expiresAt = 10_000) =>
  ({ id, identityId, expiresAt: new Date(expiresAt) }) as SessionEntity;

describe('SessionCache', () => {
  it('serves an entry until its TTL, never past the session expiry', () => {
    const cache = new SessionCache(1000);
    cache.set('a', session('s1', 'i1'), 0);
    expect(cache.get('a', 999)?.id).toBe('s1');
    expect(cache.get('a', 1000)).toBeUndefined();
    cache.set('b', session('s2', 'i1', 500), 0);
    expect(cache.get('b', 499)?.id).toBe('s2');
    expect(cache.get('b', 500)).toBeUndefined();
  });

  it('evicts what a revocation names, and stores nothing when off', () => {
    const cache = new SessionCache(1000);
    cache.set('a', session('s1', 'i1'), 0);
    cache.set('b', session('s2', 'i2'), 0);
    cache.evict((s) => s.identityId === 'i1');
    expect(cache.get('a', 1)).toBeUndefined();
    expect(cache.get('b', 1)?.id).toBe('s2');
    const off = new SessionCache(0);
    off.set('a', session('s1', 'i1'), 0);
    expect(off.get('a', 1)).toBeUndefined();
  });

  it('stays bounded', () => {
    const cache = new SessionCache(1000, 2);
    for (const key of ['a', 'b', 'c']) cache.set(key, session(key, 'i'), 0);
    expect(cache.get('a', 1)).toBeUndefined();
    expect(cache.get('c', 1)?.id).toBe('c');
  });
});
