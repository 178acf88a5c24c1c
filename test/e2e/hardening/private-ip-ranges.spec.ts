import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHookReceiver, type HookReceiver } from '../../support/hook-receiver.js';
import { json, startHookServer, webHook, type HookServer } from '../../support/hook-server.js';
import { GOOD_PASSWORD, uniqueEmail } from '../../support/self-service.js';
import { REPO_ROOT } from '../../support/tessera-process.js';

// `clients.http.disallow_private_ip_ranges`: with it on, no outbound call of the server (web hooks,
// remote identity schemas) reaches a private address unless its exact URL is an exception.

let receiver: HookReceiver;
let server: HookServer;

const SCHEMA = readFileSync(join(REPO_ROOT, 'identity-schemas/email-password.schema.json'), 'utf8');

const guarded = (exceptions: string[] = []) => ({
  http: { disallow_private_ip_ranges: true, private_ip_exception_urls: exceptions },
  web_hook: { timeout: '500ms', retry_wait: '50ms' },
});

beforeAll(async () => {
  receiver = await startHookReceiver();
  const at = (path: string) => `${receiver.url}${path}`;
  server = await startHookServer({
    selfservice: {
      flows: {
        registration: { after: { password: { hooks: [webHook(at('/allowed')), { hook: 'session' }] } } },
        login: { after: { password: { hooks: [webHook(at('/internal'))] } } },
      },
    },
    clients: guarded([at('/allowed')]),
  });
});

afterAll(async () => {
  await server?.stop();
  await receiver?.close();
});

beforeEach(() => receiver.reset());

async function submit(kind: 'registration' | 'login', body: Record<string, unknown>) {
  const flow = await json(`${server.publicUrl}/self-service/${kind}/api`);
  return json(`${server.publicUrl}/self-service/${kind}?flow=${String(flow.body['id'])}`, { body });
}

describe('with private IP ranges disallowed', () => {
  it('calls a web hook whose exact URL is an exception, and refuses one that is not, at once', async () => {
    const email = uniqueEmail('private-ip');
    const registered = await submit('registration', {
      method: 'password',
      traits: { email },
      password: GOOD_PASSWORD,
    });
    expect(registered.status, JSON.stringify(registered.body)).toBe(200);
    expect(receiver.callsTo('/allowed')).toHaveLength(1);

    const login = await submit('login', { method: 'password', identifier: email, password: GOOD_PASSWORD });
    expect(login.status).toBe(502);
    expect(login.body).not.toHaveProperty('session_token');
    expect(JSON.stringify(login.body)).not.toContain('127.0.0.1');
    // Refused by policy: not sent, and not retried.
    expect(receiver.callsTo('/internal')).toHaveLength(0);
    expect(server.tessera.output()).toContain('is not a permitted destination');
  });

  it('refuses to start on an identity schema served from a private address', async () => {
    receiver.reply('/identity.schema.json', { body: SCHEMA });
    const schemaUrl = `${receiver.url}/identity.schema.json`;
    const identity = { default_schema_id: 'default', schemas: [{ id: 'default', url: schemaUrl }] };
    await expect(startHookServer({ identity, clients: guarded() })).rejects.toThrow(
      /is not a permitted destination/,
    );
    expect(receiver.callsTo('/identity.schema.json')).toHaveLength(0);

    const allowed = await startHookServer({ identity, clients: guarded([schemaUrl]) });
    try {
      expect(receiver.callsTo('/identity.schema.json')).toHaveLength(1);
      const schemas = await json(`${allowed.publicUrl}/schemas/default`);
      expect(schemas.status).toBe(200);
    } finally {
      await allowed.stop();
    }
  });
});
