import { describe, expect, it } from 'vitest';
import { methodLabel, routeLabel, statusLabel, UNMATCHED_ROUTE } from './http-labels.js';

describe('http labels', () => {
  it('names a request by its route pattern, with the router base, never by its URL', () => {
    expect(routeLabel({ route: { path: '/admin/identities/:id' }, baseUrl: '' })).toBe(
      '/admin/identities/:id',
    );
    expect(routeLabel({ route: { path: '/:id' }, baseUrl: '/admin/identities' })).toBe(
      '/admin/identities/:id',
    );
  });

  it('puts every request no route took under one label', () => {
    expect(routeLabel({})).toBe(UNMATCHED_ROUTE);
    expect(routeLabel({ route: { path: /^\/x/ } })).toBe(UNMATCHED_ROUTE);
    expect(routeLabel({ route: { path: '' } })).toBe(UNMATCHED_ROUTE);
  });

  it('keeps methods to the known set and statuses to what can be sent', () => {
    expect(methodLabel({ method: 'post' })).toBe('POST');
    expect(methodLabel({ method: 'PROPFIND' })).toBe('OTHER');
    expect(methodLabel({})).toBe('OTHER');
    expect(statusLabel(303)).toBe('303');
    expect(statusLabel(0)).toBe('000');
    expect(statusLabel(1000)).toBe('000');
  });
});
