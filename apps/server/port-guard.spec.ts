import type { ExecutionContext } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import type { ServerKind } from '../../libs/config/index.js';
import { ApiError } from '../../libs/errors/index.js';
import { PortGuard, tagPort } from './port-guard.js';

function contextFor(kind: ServerKind | undefined, routePath: string | undefined): ExecutionContext {
  const req = { route: routePath === undefined ? undefined : { path: routePath } };
  if (kind) tagPort(req as never, kind);
  return {
    getType: () => 'http',
    switchToHttp: () => ({ getRequest: () => req }),
  } as unknown as ExecutionContext;
}

function refusal(kind: ServerKind | undefined, routePath: string | undefined): number | undefined {
  try {
    new PortGuard().canActivate(contextFor(kind, routePath));
    return undefined;
  } catch (error) {
    return (error as ApiError).code;
  }
}

describe('PortGuard', () => {
  it('lets each port reach only the routes it owns', () => {
    expect(refusal('public', '/sessions/whoami')).toBeUndefined();
    expect(refusal('admin', '/admin/identities/:id')).toBeUndefined();
    expect(refusal('admin', '/admin')).toBeUndefined();
  });

  it('refuses an admin route on the public port, whatever URL led there', () => {
    expect(refusal('public', '/admin/identities')).toBe(404);
    expect(refusal('public', '/admin/recovery/code')).toBe(404);
    expect(refusal('public', '/admin')).toBe(404);
  });

  it('refuses a public route on the admin port', () => {
    expect(refusal('admin', '/self-service/login/api')).toBe(404);
    expect(refusal('admin', '/administrators')).toBe(404);
  });

  it('fails closed when it cannot tell the port or the route', () => {
    expect(refusal(undefined, '/sessions/whoami')).toBe(404);
    expect(refusal('public', undefined)).toBe(404);
  });
});
