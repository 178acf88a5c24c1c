import type { ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../errors/index.js';
import { AdminKeyRing, generateAdminKey, hashAdminKey } from './admin-key.js';
import { ADMIN_KEY_LOCAL, AdminKeyGuard, adminKeyMiddleware } from './admin-key.guard.js';

const KEY = generateAdminKey();
const ring = new AdminKeyRing([{ id: 'ops', hash: hashAdminKey(KEY) }]);

function request(routePath: string | undefined, authorization?: string): Request {
  return {
    route: routePath === undefined ? undefined : { path: routePath },
    header: (name: string) => (name.toLowerCase() === 'authorization' ? authorization : undefined),
    resume() {},
  } as unknown as Request;
}

function contextFor(req: Request, res = { locals: {} }): ExecutionContext {
  return {
    getType: () => 'http',
    switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }),
  } as unknown as ExecutionContext;
}

async function refusal(guardRing: AdminKeyRing, routePath: string | undefined, authorization?: string) {
  try {
    await new AdminKeyGuard(guardRing).canActivate(contextFor(request(routePath, authorization)));
    return undefined;
  } catch (error) {
    return error as ApiError;
  }
}

describe('AdminKeyGuard', () => {
  it('refuses an admin route without the key with a 401 that names the Bearer scheme', async () => {
    const error = await refusal(ring, '/admin/identities');
    expect(error).toBeInstanceOf(ApiError);
    expect(error!.code).toBe(401);
    expect(error!.init.headers).toEqual({ 'WWW-Authenticate': 'Bearer' });
    expect(error!.envelope().error).toMatchObject({ code: 401, status: 'Unauthorized' });
  });

  it('refuses a wrong key, another scheme, and the hash in place of the key', async () => {
    expect((await refusal(ring, '/admin/identities/:id', `Bearer ${KEY}x`))?.code).toBe(401);
    expect((await refusal(ring, '/admin/identities/:id', `Basic ${KEY}`))?.code).toBe(401);
    expect((await refusal(ring, '/admin/identities/:id', `Bearer ${hashAdminKey(KEY)}`))?.code).toBe(401);
  });

  it('lets the right key through, and leaves its id (not the key) for the access log', async () => {
    const res = { locals: {} as Record<string, unknown> };
    const guard = new AdminKeyGuard(ring);
    expect(await guard.canActivate(contextFor(request('/admin/identities', `Bearer ${KEY}`), res))).toBe(
      true,
    );
    expect(res.locals[ADMIN_KEY_LOCAL]).toBe('ops');
    expect(await refusal(ring, '/admin/courier/messages', `bearer ${KEY}`)).toBeUndefined();
  });

  it('leaves health, version and metrics open, and public routes alone', async () => {
    for (const path of [
      '/admin/health/alive',
      '/admin/health/ready',
      '/admin/version',
      '/admin/metrics/prometheus',
    ])
      expect(await refusal(ring, path), path).toBeUndefined();
    for (const path of ['/health/ready', '/self-service/login/api', '/sessions/whoami'])
      expect(await refusal(ring, path), path).toBeUndefined();
  });

  it('opens nothing by the spelling of a path: only registered patterns count', async () => {
    expect((await refusal(ring, '/admin/health/ready/../../identities'))?.code).toBe(401);
    expect((await refusal(ring, '/admin/health/:anything'))?.code).toBe(401);
    expect((await refusal(ring, undefined))?.code).toBe(401);
  });

  it('takes the key from the Authorization header only, never from access_token in the query or body', async () => {
    const req = Object.assign(request('/admin/identities'), {
      query: { access_token: KEY },
      body: { access_token: KEY },
    });
    await expect(new AdminKeyGuard(ring).canActivate(contextFor(req))).rejects.toMatchObject({ code: 401 });
  });

  it('does nothing when no key is configured', async () => {
    expect(await refusal(new AdminKeyRing([]), '/admin/identities')).toBeUndefined();
  });
});

describe('adminKeyMiddleware', () => {
  async function run(authorization?: string) {
    const sent: { status?: number; headers: Record<string, string>; body?: unknown; next: boolean } = {
      headers: {},
      next: false,
    };
    const res = {
      locals: {},
      status(code: number) {
        sent.status = code;
        return this;
      },
      setHeader(name: string, value: string) {
        sent.headers[name] = value;
      },
      json(body: unknown) {
        sent.body = body;
      },
    };
    await adminKeyMiddleware(ring)(request(undefined, authorization), res as never, () => (sent.next = true));
    return sent;
  }

  it('answers the document routes with the same 401 envelope unless the key is right', async () => {
    const refused = await run();
    expect(refused.next).toBe(false);
    expect(refused.status).toBe(401);
    expect(refused.headers['WWW-Authenticate']).toBe('Bearer');
    expect(refused.body).toMatchObject({ error: { code: 401, status: 'Unauthorized' } });
    expect((await run(`Bearer ${KEY}`)).next).toBe(true);
  });
});
