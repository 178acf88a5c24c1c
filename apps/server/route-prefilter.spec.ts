import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prefilterRoutes } from './route-prefilter.js';

/** Routes shaped like Tessera's: literals, a literal before a pattern of the same prefix, `all`, next('route'). */
function routedApp(): Express {
  const app = express();
  app.enable('case sensitive routing');
  app.enable('strict routing');
  app.use((_req, res, next) => {
    res.setHeader('X-Seen', 'yes');
    next();
  });
  const answer = (name: string) => (req: express.Request, res: express.Response) =>
    res.json({ name, params: req.params, route: req.route?.path });
  app.get('/health/alive', answer('alive'));
  app.get('/sessions/whoami', answer('whoami-get'));
  app.all('/sessions/whoami', answer('whoami-any'));
  app.get('/sessions', answer('list'));
  app.delete('/sessions/:id', answer('revoke'));
  app.get('/admin/identities/:id', (req, _res, next) =>
    req.params['id'] === 'skip' ? next('route') : next(),
  );
  app.get('/admin/identities/:id', answer('identity'));
  app.get('/admin/identities/:id/credentials/:type', answer('credential'));
  app.get('/self-service/methods/oidc/callback/:provider', answer('callback'));
  app.get('/.well-known/ory/webauthn.js', answer('webauthn'));
  app.get('/boom', () => {
    throw new Error('boom');
  });
  app.use((_req, res) => res.status(404).json({ name: 'not found' }));
  app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) =>
    res.status((error as { status?: number }).status ?? 500).json({ error: error.message }),
  );
  return app;
}

async function listen(app: Express): Promise<{ server: Server; url: string }> {
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const REQUESTS: Array<[string, string]> = [
  ['GET', '/health/alive'],
  ['HEAD', '/health/alive'],
  ['POST', '/health/alive'],
  ['OPTIONS', '/health/alive'],
  ['GET', '/health/alive/'],
  ['GET', '/Health/alive'],
  ['GET', '/health/alive?x=1'],
  ['GET', '/health//alive'],
  ['GET', '/health/%61live'],
  ['GET', '/sessions/whoami'],
  ['PATCH', '/sessions/whoami'],
  ['DELETE', '/sessions/whoami'],
  ['GET', '/sessions/whoami/'],
  ['GET', '/sessions'],
  ['GET', '/sessions/'],
  ['DELETE', '/sessions/abc'],
  ['DELETE', '/sessions/a%2Fb'],
  ['DELETE', '/sessions/%E0%A4%A'],
  ['GET', '/admin/identities/42'],
  ['GET', '/admin/identities/skip'],
  ['GET', '/admin/identities/'],
  ['GET', '/admin/identities/42/credentials/password'],
  ['GET', '/self-service/methods/oidc/callback/github'],
  ['GET', '/self-service/methods/oidc/callback'],
  ['GET', '/.well-known/ory/webauthn.js'],
  ['GET', '/.well-known/ory/webauthnXjs'],
  ['GET', '/boom'],
  ['GET', '/nowhere'],
];

let plain: { server: Server; url: string };
let filtered: { server: Server; url: string };
let count: number;

beforeAll(async () => {
  plain = await listen(routedApp());
  const app = routedApp();
  count = prefilterRoutes(app);
  filtered = await listen(app);
});

afterAll(async () => {
  for (const { server } of [plain, filtered]) await new Promise((resolve) => server.close(resolve));
});

const describeAnswer = async (base: string, method: string, path: string) => {
  const response = await fetch(`${base}${path}`, { method });
  return { status: response.status, seen: response.headers.get('x-seen'), body: await response.text() };
};

describe('prefilterRoutes', () => {
  it('filters every route', () => {
    expect(count).toBe(11);
  });

  it.each(REQUESTS)('routes %s %s exactly as Express alone does', async (method, path) => {
    const expected = await describeAnswer(plain.url, method, path);
    expect(await describeAnswer(filtered.url, method, path)).toEqual(expected);
  });

  it("runs a route's matcher only for paths that fit its literal text", async () => {
    const app = routedApp();
    const asked: string[] = [];
    for (const layer of app.router.stack as unknown as Array<{
      route?: { path: string };
      match: (p: string) => unknown;
    }>) {
      if (!layer.route) continue;
      const match = layer.match.bind(layer);
      const path = layer.route.path;
      layer.match = (candidate) => (asked.push(path), match(candidate));
    }
    prefilterRoutes(app);
    const { server, url } = await listen(app);
    try {
      expect((await describeAnswer(url, 'GET', '/.well-known/ory/webauthn.js')).status).toBe(200);
      expect(asked).toEqual(['/.well-known/ory/webauthn.js']);
      asked.length = 0;
      expect((await describeAnswer(url, 'GET', '/admin/identities/42')).status).toBe(200);
      // The first calls next(), the second answers: the credentials route is never asked.
      expect(asked).toEqual(['/admin/identities/:id', '/admin/identities/:id']);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('leaves the routes alone unless routing is case-sensitive and strict', () => {
    const app = express();
    app.get('/a', (_req, res) => res.end());
    expect(prefilterRoutes(app)).toBe(0);
  });
});
