import 'reflect-metadata';
import { type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdentitySchemaRegistry } from './identity-schema.registry.js';
import { SchemaModule } from './schema.module.js';

const SHIPPED = join(import.meta.dirname, '../../identity-schemas');
const schemaFile = (name: string) => `file://${join(SHIPPED, `${name}.schema.json`)}`;

let app: INestApplication;
let base: string;

beforeAll(async () => {
  app = await NestFactory.create(
    SchemaModule.forRoot({
      useFactory: () => ({
        defaultSchemaId: 'default',
        baseDir: SHIPPED,
        schemas: [
          { id: 'default', url: schemaFile('email-password') },
          { id: 'user name', url: schemaFile('username'), selfserviceSelectable: true },
          { id: 'phone', url: 'file://phone.schema.json' },
        ],
      }),
    }),
    { logger: false },
  );
  await app.listen(0, '127.0.0.1');
  base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
});

afterAll(async () => {
  await app.close();
});

describe('SchemaModule', () => {
  it('loads the registry during module init', () => {
    expect(
      app
        .get(IdentitySchemaRegistry)
        .list()
        .map((s) => s.id),
    ).toEqual(['default', 'user name', 'phone']);
  });
});

describe('GET /schemas', () => {
  it('lists every schema as { id, schema } with Link and X-Total-Count', async () => {
    const response = await fetch(`${base}/schemas`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { id: string; schema: { title: string } }[];
    expect(body.map((s) => [s.id, s.schema.title])).toEqual([
      ['default', 'Person'],
      ['user name', 'Person (username)'],
      ['phone', 'Person (phone)'],
    ]);
    expect(response.headers.get('x-total-count')).toBe('3');
    expect(response.headers.get('link')).toMatch(
      /^<\/schemas\?page=0&page_size=3&page_token=[\w-]+&per_page=3>; rel="first"$/,
    );
  });

  it('paginates with page_size/page_token and with per_page/page', async () => {
    const first = await fetch(`${base}/schemas?page_size=2`);
    expect(((await first.json()) as { id: string }[]).map((s) => s.id)).toEqual(['default', 'user name']);
    const next = /<([^>]+)>; rel="next"/.exec(first.headers.get('link') ?? '')?.[1];
    expect(next).toBeDefined();
    const second = await fetch(`${base}${next}`);
    expect(((await second.json()) as { id: string }[]).map((s) => s.id)).toEqual(['phone']);
    const legacy = await fetch(`${base}/schemas?per_page=1&page=1`);
    expect(((await legacy.json()) as { id: string }[]).map((s) => s.id)).toEqual(['user name']);
  });
});

describe('GET /schemas/:id', () => {
  it('serves the raw document by id and by base64url(id)', async () => {
    const byId = await fetch(`${base}/schemas/default`);
    expect(byId.status).toBe(200);
    expect(byId.headers.get('content-type')).toMatch(/^application\/json/);
    const raw = app.get(IdentitySchemaRegistry).getDefault().raw;
    expect(await byId.json()).toEqual(raw);
    const encoded = await fetch(`${base}/schemas/ZGVmYXVsdA`);
    expect(await encoded.json()).toEqual(raw);
    const spaced = await fetch(`${base}/schemas/dXNlciBuYW1l`);
    expect(((await spaced.json()) as { title: string }).title).toBe('Person (username)');
  });

  it('answers 404 for unknown ids', async () => {
    const response = await fetch(`${base}/schemas/bm9wZQ`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { message: string }).message).toBe(
      'Identity schema `nope` could not be found.',
    );
  });
});

describe('OpenAPI metadata', () => {
  it('uses the contract operationIds and tag', () => {
    const document = SwaggerModule.createDocument(app, new DocumentBuilder().build());
    expect(document.paths['/schemas']?.get?.operationId).toBe('listIdentitySchemas');
    expect(document.paths['/schemas/{id}']?.get?.operationId).toBe('getIdentitySchema');
    expect(document.paths['/schemas']?.get?.tags).toEqual(['identity']);
    expect(
      document.paths['/schemas']?.get?.parameters?.map((p) => ('name' in p ? p.name : '')).sort(),
    ).toEqual(['page', 'page_size', 'page_token', 'per_page']);
  });
});
