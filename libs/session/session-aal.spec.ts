import { describe, expect, it } from 'vitest';
import { aal2Required, AvailableAalCache } from './session-aal.js';

describe('AvailableAalCache', () => {
  it('loads once per identity within the TTL, again after it or after forget', async () => {
    const cache = new AvailableAalCache(1000);
    let loads = 0;
    const load = async () => {
      loads++;
      return 'aal2' as const;
    };
    expect(await cache.get('a', 0, load)).toBe('aal2');
    expect(await cache.get('a', 999, load)).toBe('aal2');
    expect(loads).toBe(1);
    await cache.get('a', 1000, load);
    expect(loads).toBe(2);
    cache.forget('a');
    await cache.get('a', 1001, load);
    expect(loads).toBe(3);
  });

  it('does not cache with a TTL of 0', async () => {
    const cache = new AvailableAalCache(0);
    let loads = 0;
    const load = async () => (loads++, 'aal1' as const);
    await cache.get('a', 0, load);
    await cache.get('a', 0, load);
    expect(loads).toBe(2);
  });
});

describe('aal2Required', () => {
  it('carries redirect_browser_to in details and next to the error', () => {
    const envelope = aal2Required('https://id.example/self-service/login/browser?aal=aal2').envelope();
    expect(envelope.error).toMatchObject({ id: 'session_aal2_required', code: 403 });
    expect(envelope.error.details).toEqual({
      redirect_browser_to: 'https://id.example/self-service/login/browser?aal=aal2',
    });
    expect(envelope['redirect_browser_to']).toBe('https://id.example/self-service/login/browser?aal=aal2');
  });
});
