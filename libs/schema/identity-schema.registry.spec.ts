import { once } from 'node:events';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdentitySchemaRegistry } from './identity-schema.registry.js';
import { type IdentitySchemaConfigEntry } from './identity-schema.types.js';
import { SchemaLoadError, UnknownIdentitySchemaError } from './schema.errors.js';

const SHIPPED = join(import.meta.dirname, '../../identity-schemas');
const MINIMAL = { properties: { traits: { type: 'object', properties: { email: { type: 'string' } } } } };

let dir: string;
let server: Server;
let origin: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tessera-schema-'));
  await mkdir(join(dir, 'config'));
  await writeFile(join(dir, 'config', 'identity.schema.json'), JSON.stringify(MINIMAL));
  server = createServer((req, res) => {
    if (req.url === '/schema.json') return void res.writeHead(200).end(JSON.stringify(MINIMAL));
    if (req.url === '/huge.json') {
      // No content-length: the limit must hold while streaming.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"pad":"');
      res.write('x'.repeat(1024 * 1024));
      return void res.end('"}');
    }
    res.writeHead(404).end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  server.close();
  await rm(dir, { recursive: true, force: true });
});

async function loaded(schemas: IdentitySchemaConfigEntry[], defaultSchemaId = schemas[0]!.id) {
  const registry = new IdentitySchemaRegistry({ defaultSchemaId, schemas, baseDir: dir });
  await registry.load();
  return registry;
}

async function loadError(url: string): Promise<SchemaLoadError> {
  const error = await loaded([{ id: 'broken', url }]).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SchemaLoadError);
  expect((error as SchemaLoadError).schemaId).toBe('broken');
  expect((error as SchemaLoadError).message).toContain('identity schema "broken" cannot be loaded');
  return error as SchemaLoadError;
}

const base64 = (doc: unknown, encoding: 'base64' | 'base64url' = 'base64') =>
  `base64://${Buffer.from(JSON.stringify(doc)).toString(encoding)}`;

describe('IdentitySchemaRegistry.load', () => {
  it('reads file:// URLs: absolute, relative to baseDir (Kratos host+path), and ./relative', async () => {
    const registry = await loaded([
      { id: 'default', url: `file://${join(SHIPPED, 'email-password.schema.json')}` },
      { id: 'relative', url: 'file://config/identity.schema.json' },
      { id: 'dot', url: 'file://./config/identity.schema.json', selfserviceSelectable: true },
    ]);
    expect(registry.list().map((s) => s.id)).toEqual(['default', 'relative', 'dot']);
    expect(registry.getDefault().raw['title']).toBe('Person');
    expect(registry.get('relative').raw).toEqual(MINIMAL);
    expect(registry.getDefault().fields.map((f) => f.path)).toEqual(['email', 'name.first', 'name.last']);
  });

  it('reads percent-encoded file URLs such as pathToFileURL produces', async () => {
    await mkdir(join(dir, 'with space'), { recursive: true });
    await writeFile(join(dir, 'with space', 's.json'), JSON.stringify(MINIMAL));
    const registry = await loaded([{ id: 'spaced', url: `file://${dir}/with%20space/s.json` }]);
    expect(registry.get('spaced').raw).toEqual(MINIMAL);
  });

  it('reads base64:// in standard and URL-safe alphabets', async () => {
    const doc = { ...MINIMAL, title: '>>>???' };
    const registry = await loaded([
      { id: 'std', url: base64(doc) },
      { id: 'url', url: base64(doc, 'base64url') },
    ]);
    expect(registry.get('std').raw).toEqual(doc);
    expect(registry.get('url').raw).toEqual(doc);
  });

  it('fetches http:// URLs', async () => {
    const registry = await loaded([{ id: 'remote', url: `${origin}/schema.json` }]);
    expect(registry.get('remote').raw).toEqual(MINIMAL);
    expect(registry.get('remote').url).toBe(`${origin}/schema.json`);
  });

  it('loads all three shipped schemas', async () => {
    const registry = await loaded(
      ['email-password', 'username', 'phone'].map((id) => ({
        id,
        url: `file://${join(SHIPPED, `${id}.schema.json`)}`,
      })),
    );
    expect(registry.validateTraits('phone', { phone: '+15551234567' })).toEqual({ ok: true });
    expect(registry.validateTraits('username', { username: 'jd' }).ok).toBe(false);
  });

  it('fails on unreadable sources with the reason', async () => {
    expect((await loadError('file:///definitely/not/here.json')).reason).toMatch(/does not exist/);
    expect((await loadError(`${origin}/missing.json`)).reason).toMatch(/HTTP 404/);
    expect((await loadError('base64://not*base64')).reason).toMatch(/not valid base64/);
    expect((await loadError('ftp://example.org/x.json')).reason).toMatch(/must start with/);
  });

  it('refuses sources over 1 MiB', async () => {
    const big = { ...MINIMAL, pad: 'x'.repeat(1024 * 1024) };
    await writeFile(join(dir, 'big.json'), JSON.stringify(big));
    expect((await loadError('file://big.json')).reason).toMatch(/larger than 1048576 bytes/);
    expect((await loadError(base64(big))).reason).toMatch(/larger than/);
    expect((await loadError(`${origin}/huge.json`)).reason).toMatch(/larger than/);
  });

  it('fails on broken documents', async () => {
    expect((await loadError('base64://' + Buffer.from('{nope').toString('base64'))).reason).toMatch(
      /not valid JSON/,
    );
    expect((await loadError(base64({ properties: {} }))).reason).toMatch(/properties\.traits" is missing/);
    expect((await loadError(base64({ properties: { traits: { type: 'string' } } }))).reason).toMatch(
      /must be "object"/,
    );
    const typo = {
      properties: {
        traits: {
          type: 'object',
          properties: { e: { type: 'string', 'ory.sh/kratos': { credentials: { pasword: {} } } } },
        },
      },
    };
    expect((await loadError(base64(typo))).reason).toMatch(
      /must NOT have additional properties \("pasword"\)/,
    );
    const badRef = {
      properties: {
        traits: { type: 'object', properties: { e: { $ref: 'https://example.invalid/x.json' } } },
      },
    };
    expect((await loadError(base64(badRef))).reason).toMatch(/not a usable JSON Schema/);
  });

  it('checks the configuration itself', async () => {
    const url = base64(MINIMAL);
    await expect(loaded([{ id: 'a', url }], 'b')).rejects.toThrow(/default_schema_id/);
    await expect(
      loaded([
        { id: 'a', url },
        { id: 'a', url },
      ]),
    ).rejects.toThrow(/more than once/);
  });
});

describe('IdentitySchemaRegistry lookups', () => {
  it('gets, finds and answers selectability', async () => {
    const url = base64(MINIMAL);
    const registry = await loaded([
      { id: 'default', url },
      { id: 'customer', url, selfserviceSelectable: true },
      { id: 'internal', url },
    ]);
    expect(registry.has('customer')).toBe(true);
    expect(registry.find('nope')).toBeUndefined();
    expect(() => registry.get('nope')).toThrow(UnknownIdentitySchemaError);
    expect(() => registry.validateTraits('nope', {})).toThrow('Unable to find JSON Schema ID: nope');
    expect(['default', 'customer', 'internal', 'nope'].map((id) => registry.isSelectable(id))).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  it('refuses to answer before load() completed', () => {
    const registry = new IdentitySchemaRegistry({ defaultSchemaId: 'x', schemas: [], baseDir: dir });
    expect(() => registry.list()).toThrow(/load\(\) has not completed/);
  });

  it('hands out frozen documents', async () => {
    const registry = await loaded([{ id: 'default', url: base64(MINIMAL) }]);
    expect(Object.isFrozen(registry.getDefault().raw)).toBe(true);
  });
});
