// The admin identity API under load: createIdentity (each one hashes a password) and getIdentity.
import { randomBytes } from 'node:crypto';
import { load } from '../lib/load.js';

const PASSWORD = `bench-${randomBytes(12).toString('hex')}`;

function createRequests(nextEmail, ids) {
  return [
    {
      method: 'POST',
      path: '/admin/identities',
      headers: { 'content-type': 'application/json' },
      setupRequest: (request) => ({
        ...request,
        body: JSON.stringify({
          schema_id: 'default',
          traits: { email: nextEmail() },
          credentials: { password: { config: { password: PASSWORD } } },
        }),
      }),
      onResponse: (status, body) => {
        if (status === 201) ids.push(JSON.parse(body).id);
      },
    },
  ];
}

function getRequests(ids) {
  let next = 0;
  return [
    {
      method: 'GET',
      setupRequest: (request) => ({ ...request, path: `/admin/identities/${ids[next++ % ids.length]}` }),
    },
  ];
}

async function warmThenMeasure(server, options, connections, requestsForRun) {
  const run = (duration) =>
    load({
      url: server.adminUrl,
      requests: requestsForRun(),
      connections,
      duration,
      maxRequests: options.maxRequests,
      tesseraPid: server.pid,
    });
  if (options.warmup > 0) await run(options.warmup);
  return run(options.duration);
}

/** POST /admin/identities with a password, a unique email per request; also returns the new ids. */
export async function createIdentity(server, options) {
  const prefix = `bench-${randomBytes(4).toString('hex')}`;
  let counter = 0;
  const nextEmail = () => `${prefix}-${counter++}@example.org`;
  const ids = [];
  const result = await warmThenMeasure(server, options, options.createConnections, () =>
    createRequests(nextEmail, ids),
  );
  return { ...result, ids };
}

/** GET /admin/identities/<id>, cycling through identities that exist. */
export async function getIdentity(server, options, ids) {
  if (ids.length === 0) throw new Error('getIdentity needs identities; createIdentity made none');
  return warmThenMeasure(server, options, options.connections, () => getRequests(ids));
}
