import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type JsonObject } from './identity-schema.types.js';
import { parseIdentitySchema } from './schema-extension.js';
import {
  codeAddresses,
  credentialIdentifiers,
  identifierFields,
  passkeyDisplayName,
  recoveryAddresses,
  totpAccountName,
  verifiableAddresses,
} from './trait-extraction.js';

const read = (...path: string[]) =>
  JSON.parse(readFileSync(join(import.meta.dirname, ...path), 'utf8')) as JsonObject;
const shipped = (name: string) => parseIdentitySchema(read('../../identity-schemas', `${name}.schema.json`));
const quickstart = (name: string) =>
  parseIdentitySchema(read('../../test/fixtures/kratos', `quickstart-${name}`, 'identity.schema.json'));

describe('parseIdentitySchema', () => {
  it('flattens nested objects with dots, in document order, with required flags', () => {
    const { fields } = shipped('email-password');
    expect(fields.map((f) => [f.path, f.required])).toEqual([
      ['email', true],
      ['name.first', false],
      ['name.last', false],
    ]);
  });

  it('resolves local $refs, allOf branches and extensions on array items', () => {
    const { fields } = parseIdentitySchema({
      definitions: {
        mail: { type: 'string', format: 'email', 'ory.sh/kratos': { recovery: { via: 'email' } } },
      },
      properties: {
        traits: {
          type: 'object',
          required: ['primary', 'nick'],
          properties: {
            primary: { $ref: '#/definitions/mail' },
            emails: { type: 'array', items: { $ref: '#/definitions/mail' } },
          },
          allOf: [{ properties: { nick: { type: 'string' } } }],
        },
      },
    });
    expect(fields.map((f) => [f.path, f.required, f.extension.recovery?.via])).toEqual([
      ['primary', true, 'email'],
      ['emails', false, 'email'],
      ['nick', true, undefined],
    ]);
  });
});

describe('extension values on the shipped schemas', () => {
  it('email-password: email is password and code identifier, verifiable and recoverable', () => {
    const schema = shipped('email-password');
    const traits = { email: ' Foo@Example.org ', name: { first: 'Foo' } };
    expect(credentialIdentifiers(schema, traits)).toEqual({
      password: ['foo@example.org'],
      webauthn: [],
      code: ['foo@example.org'],
      passkey: [],
      totp: [],
    });
    expect(verifiableAddresses(schema, traits)).toEqual([{ value: 'foo@example.org', via: 'email' }]);
    expect(recoveryAddresses(schema, traits)).toEqual([{ value: 'foo@example.org', via: 'email' }]);
    expect(codeAddresses(schema, traits)).toEqual([{ value: 'foo@example.org', via: 'email' }]);
  });

  it('username: username identifies, the optional email verifies and recovers', () => {
    const schema = shipped('username');
    expect(credentialIdentifiers(schema, { username: 'JaneDoe' }).password).toEqual(['janedoe']);
    expect(verifiableAddresses(schema, { username: 'JaneDoe' })).toEqual([]);
    const traits = { username: 'JaneDoe', email: 'Jane@Example.org' };
    expect(verifiableAddresses(schema, traits)).toEqual([{ value: 'jane@example.org', via: 'email' }]);
    expect(recoveryAddresses(schema, traits)).toEqual([{ value: 'jane@example.org', via: 'email' }]);
    expect(codeAddresses(schema, traits)).toEqual([]);
  });

  it('phone: the number identifies for password and code and is verified via sms', () => {
    const schema = shipped('phone');
    const traits = { phone: '+49 176 1234-5678' };
    expect(credentialIdentifiers(schema, traits)).toMatchObject({
      password: ['+4917612345678'],
      code: ['+4917612345678'],
    });
    expect(verifiableAddresses(schema, traits)).toEqual([{ value: '+4917612345678', via: 'sms' }]);
    expect(codeAddresses(schema, traits)).toEqual([{ value: '+4917612345678', via: 'sms' }]);
    expect(recoveryAddresses(schema, traits)).toEqual([]);
  });
});

describe('extension values on the Kratos quickstart schemas', () => {
  it('email-password', () => {
    const schema = quickstart('email-password');
    const traits = { email: 'a@b.co' };
    expect(credentialIdentifiers(schema, traits).password).toEqual(['a@b.co']);
    expect(credentialIdentifiers(schema, traits).code).toEqual([]);
    expect(verifiableAddresses(schema, traits)).toEqual([{ value: 'a@b.co', via: 'email' }]);
  });

  it('phone-password: two password identifiers, sms verification', () => {
    const schema = quickstart('phone-password');
    const traits = { email: 'A@B.co', phone: '+1 (555) 123-4567' };
    expect(credentialIdentifiers(schema, traits)).toMatchObject({
      password: ['a@b.co', '+15551234567'],
      code: ['a@b.co'],
    });
    expect(verifiableAddresses(schema, traits)).toEqual([
      { value: 'a@b.co', via: 'email' },
      { value: '+15551234567', via: 'sms' },
    ]);
  });

  it('all-strategies: password, webauthn, code and passkey display name', () => {
    const schema = quickstart('all-strategies');
    const traits = { email: 'Foo@Example.org' };
    expect(credentialIdentifiers(schema, traits)).toEqual({
      password: ['foo@example.org'],
      webauthn: ['foo@example.org'],
      code: ['foo@example.org'],
      passkey: ['Foo@Example.org'],
      totp: [],
    });
    expect(passkeyDisplayName(schema, traits)).toBe('Foo@Example.org');
    expect(totpAccountName(schema, traits)).toBeUndefined();
    expect(identifierFields(schema).map((f) => f.path)).toEqual(['email']);
  });

  it('passkey and webauthn', () => {
    expect(credentialIdentifiers(quickstart('passkey'), { email: 'x@y.z' })).toMatchObject({
      password: ['x@y.z'],
      webauthn: ['x@y.z'],
      passkey: ['x@y.z'],
    });
    expect(recoveryAddresses(quickstart('passkey'), { email: 'x@y.z' })).toEqual([]);
    expect(credentialIdentifiers(quickstart('webauthn'), { email: 'x@y.z' }).webauthn).toEqual(['x@y.z']);
  });
});

describe('extension values, edge cases', () => {
  const schema = parseIdentitySchema({
    properties: {
      traits: {
        type: 'object',
        properties: {
          emails: {
            type: 'array',
            items: {
              type: 'string',
              format: 'email',
              'ory.sh/kratos': {
                credentials: { password: { identifier: true } },
                verification: { via: 'email' },
              },
            },
          },
          handle: {
            type: 'string',
            'ory.sh/kratos': {
              credentials: { totp: { account_name: true }, password: { identifier: true } },
            },
          },
          age: { type: 'number', 'ory.sh/kratos': { credentials: { password: { identifier: true } } } },
        },
      },
    },
  });

  it('counts every string of an array and deduplicates after normalisation', () => {
    const traits = { emails: ['A@x.org', 'a@X.org ', 'b@x.org', 7], handle: 'B@x.org' };
    expect(credentialIdentifiers(schema, traits).password).toEqual(['a@x.org', 'b@x.org']);
    expect(verifiableAddresses(schema, traits)).toEqual([
      { value: 'a@x.org', via: 'email' },
      { value: 'b@x.org', via: 'email' },
    ]);
    expect(totpAccountName(schema, traits)).toBe('B@x.org');
  });

  it('ignores missing, empty and non-string values', () => {
    expect(credentialIdentifiers(schema, { emails: [''], age: 42 }).password).toEqual([]);
    expect(credentialIdentifiers(schema, {}).password).toEqual([]);
    expect(verifiableAddresses(schema, null)).toEqual([]);
  });
});
