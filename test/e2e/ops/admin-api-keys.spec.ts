import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Configuration, IdentityApi } from '@ory/kratos-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startTessera, TESSERA_BIN, type TesseraProcess } from '../../support/tessera-process.js';

const run = promisify(execFile);

/** `tessera admin-key new`, as an operator runs it: the key and the entry to configure. */
async function newAdminKey(id: string): Promise<{ key: string; hash: string }> {
  const { stdout } = await run(process.execPath, [TESSERA_BIN, 'admin-key', 'new', '--id', id]);
  const key = stdout.split('\n').find((line) => line.startsWith('tessera_ak_'))!;
  const hash = /hash: ([0-9a-f]{64})/.exec(stdout)![1]!;
  return { key, hash };
}

/** The Ory SDK sends `apiKey` as the whole Authorization header (the contract's `oryAccessToken`). */
function identities(adminUrl: string, key?: string): IdentityApi {
  return new IdentityApi(
    new Configuration({
      basePath: adminUrl,
      apiKey: key === undefined ? undefined : `Bearer ${key}`,
      baseOptions: { validateStatus: () => true, maxRedirects: 0 },
    }),
  );
}

let tessera: TesseraProcess;
let key: string;
let otherKey: string;

beforeAll(async () => {
  const [first, second] = await Promise.all([newAdminKey('ci'), newAdminKey('ops')]);
  key = first.key;
  otherKey = second.key;
  tessera = await startTessera({
    env: {
      LOG_LEVEL: 'trace',
      SERVE_ADMIN_API_KEYS: JSON.stringify([
        { id: 'ci', hash: first.hash },
        { id: 'ops', hash: second.hash },
      ]),
    },
  });
});

afterAll(async () => {
  await tessera?.stop();
});

describe('admin API keys', () => {
  it('prints a fresh key and the entry holding only its SHA-256', async () => {
    const { stdout } = await run(process.execPath, [TESSERA_BIN, 'admin-key', 'new']);
    const printed = stdout.split('\n').find((line) => line.startsWith('tessera_ak_'))!;
    expect(printed).toMatch(/^tessera_ak_[\w-]{43}$/);
    expect(stdout).toContain('- id: "admin"');
    expect(stdout).toContain(`SERVE_ADMIN_API_KEYS='[{"id":"admin","hash":"`);
    expect(stdout.match(new RegExp(printed, 'g'))).toHaveLength(1);
  });

  it('answers listIdentities without a key with 401, the envelope and a Bearer challenge', async () => {
    const response = await identities(tessera.adminUrl).listIdentities();
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer');
    expect(response.data).toMatchObject({
      error: { code: 401, status: 'Unauthorized', message: 'The request could not be authorized' },
    });
    expect(JSON.stringify(response.data)).not.toContain('stack');
  });

  it('answers a wrong key, another scheme, or the stored hash with 401', async () => {
    expect((await identities(tessera.adminUrl, `${key}x`).listIdentities()).status).toBe(401);
    expect((await identities(tessera.adminUrl, 'tessera_ak_wrong').listIdentities()).status).toBe(401);
    for (const authorization of [`Basic ${key}`, key, `Bearer`, `Bearer ${key} ${key}`]) {
      const response = await fetch(`${tessera.adminUrl}/admin/identities`, {
        headers: { Authorization: authorization },
      });
      expect(response.status, authorization).toBe(401);
    }
  });

  it('lets either configured key through to every admin route, SDK and CLI alike', async () => {
    const listed = await identities(tessera.adminUrl, key).listIdentities();
    expect(listed.status).toBe(200);
    expect(Array.isArray(listed.data)).toBe(true);
    const created = await identities(tessera.adminUrl, otherKey).createIdentity({
      createIdentityBody: { schema_id: 'default', traits: { email: 'keyed@example.org' } },
    });
    expect(created.status).toBe(201);
    const courier = await fetch(`${tessera.adminUrl}/admin/courier/messages`, {
      headers: { Authorization: `bearer ${key}` },
    });
    expect(courier.status).toBe(200);
    const { stdout } = await run(
      process.execPath,
      [TESSERA_BIN, 'identities', 'list', '--format', 'json', '-e', tessera.adminUrl],
      { env: { PATH: process.env['PATH'] ?? '', TESSERA_ADMIN_API_KEY: key } },
    );
    expect(stdout).toContain('keyed@example.org');
    const refused = await run(process.execPath, [TESSERA_BIN, 'identities', 'list', '-e', tessera.adminUrl], {
      env: { PATH: process.env['PATH'] ?? '' },
    }).catch((error: { code: number; stderr: string }) => error);
    expect(refused).toMatchObject({ code: 1, stderr: expect.stringContaining('401') });
  });

  it('guards the OpenAPI document and Swagger UI too', async () => {
    for (const path of ['/admin/openapi.json', '/admin/docs', '/openapi.json', '/docs/']) {
      const refused = await fetch(`${tessera.adminUrl}${path}`);
      expect(refused.status, path).toBe(401);
      expect(refused.headers.get('www-authenticate'), path).toBe('Bearer');
    }
    const document = await fetch(`${tessera.adminUrl}/admin/openapi.json`, {
      headers: { Authorization: `Bearer ${key}` },
    });
    expect(document.status).toBe(200);
    // As in Kratos' document: admin operations name `oryAccessToken`, so Swagger UI can send a key.
    const served = (await document.json()) as {
      components: { securitySchemes: Record<string, unknown> };
      paths: Record<string, Record<string, { security?: unknown }>>;
    };
    expect(served.components.securitySchemes['oryAccessToken']).toEqual({
      type: 'apiKey',
      in: 'header',
      name: 'Authorization',
    });
    expect(served.paths['/admin/identities']!['get']!.security).toEqual([{ oryAccessToken: [] }]);
    expect(served.paths['/sessions/whoami']!['get']!.security).toBeUndefined();
  });

  it('leaves the health and version routes open on the admin port, with either spelling', async () => {
    for (const path of [
      '/health/alive',
      '/health/ready',
      '/version',
      '/admin/health/ready',
      '/admin/version',
    ]) {
      const response = await fetch(`${tessera.adminUrl}${path}`);
      expect(response.status, path).toBe(200);
    }
  });

  it('leaves the public port alone: no key asked, no admin route reachable with one', async () => {
    const public_ = await fetch(`${tessera.publicUrl}/self-service/login/api`);
    expect(public_.status).toBe(200);
    expect((await fetch(`${tessera.publicUrl}/health/ready`)).status).toBe(200);
    const whoami = await fetch(`${tessera.publicUrl}/sessions/whoami`, {
      headers: { Authorization: 'Bearer ory_st_not-a-session' },
    });
    expect(whoami.status).toBe(401);
    const admin = await fetch(`${tessera.publicUrl}/admin/sessions`, {
      headers: { Authorization: `Bearer ${key}` },
    });
    expect(admin.status).toBe(404);
  });

  it('takes as long for a wrong key of any length: it compares digests, not keys', async () => {
    const probes = {
      short: 'x',
      sameLength: `tessera_ak_${'A'.repeat(key.length - 'tessera_ak_'.length)}`,
      long: 'y'.repeat(4096),
      nearlyRight: `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`,
    };
    const times: Record<string, number[]> = { short: [], sameLength: [], long: [], nearlyRight: [] };
    const url = `${tessera.adminUrl}/admin/identities`;
    // Interleaved, so that a slow moment of this shared machine lands on every kind alike.
    for (let round = 0; round < 60; round++) {
      for (const [name, probe] of Object.entries(probes)) {
        const started = performance.now();
        const response = await fetch(url, { headers: { Authorization: `Bearer ${probe}` } });
        await response.arrayBuffer();
        times[name]!.push(performance.now() - started);
        expect(response.status).toBe(401);
      }
    }
    const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const medians = Object.values(times).map(median);
    // A check that did real work per key byte, or a slow hash per request, would show here.
    expect(Math.max(...medians) - Math.min(...medians)).toBeLessThan(3);
  });

  it('never writes a key to the log, right or wrong', async () => {
    await fetch(`${tessera.adminUrl}/admin/identities`, { headers: { Authorization: `Bearer ${key}` } });
    await fetch(`${tessera.adminUrl}/admin/identities`, { headers: { Authorization: `Bearer ${key}typo` } });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const output = tessera.output();
    expect(output).toContain('"status":401');
    // The access log names the key's id instead.
    expect(
      tessera.logs().some((line) => line['path'] === '/admin/identities' && line['admin_key'] === 'ci'),
    ).toBe(true);
    expect(output).not.toContain(key);
    expect(output).not.toContain(otherKey);
    expect(output).not.toContain(key.slice('tessera_ak_'.length));
  });
});

describe('an admin API bound beyond loopback', () => {
  async function serve(env: Record<string, string>) {
    const cwd = mkdtempSync(join(tmpdir(), 'tessera-admin-bind-'));
    return run(process.execPath, [TESSERA_BIN, 'serve', '--dev'], {
      cwd,
      env: { PATH: process.env['PATH'] ?? '', DSN: 'memory', ...env },
      timeout: 30_000,
    }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
  }

  it('refuses to start without keys, in one line naming the key to set', async () => {
    const { code, stdout, stderr } = await serve({
      SERVE_ADMIN_HOST: '0.0.0.0',
      SERVE_ADMIN_PORT: String(await freePort()),
    });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toEqual([
      'config: serve.admin.api_keys: is required when serve.admin.host is "0.0.0.0" (not loopback); create one with `tessera admin-key new`, or set serve.admin.allow_unauthenticated: true',
    ]);
  });

  it('starts with a warning when allow_unauthenticated says something else guards it', async () => {
    const open = await startTessera({
      env: { SERVE_ADMIN_HOST: '0.0.0.0', SERVE_ADMIN_ALLOW_UNAUTHENTICATED: 'true' },
    });
    try {
      const warning = open
        .logs()
        .find((line) => String(line['msg']).includes('serve.admin.allow_unauthenticated is true'));
      expect(warning?.['level']).toBe('warn');
      expect((await fetch(`${open.adminUrl}/admin/identities`)).status).toBe(200);
    } finally {
      await open.stop();
    }
  });
});
