import type { Request } from 'express';
import { describe, expect, it } from 'vitest';
import { parseIdentitySchema } from '../../schema/index.js';
import { decodeFormFields, submittedBody, traitFieldKinds, transientPayloadOf } from './form-body.js';

const FORM = 'application/x-www-form-urlencoded';

/** A request as Express hands it over after its flat urlencoded or JSON parser. */
function request(contentType: string, body: unknown): Request {
  return { body, is: (type: string) => (contentType.includes(type) ? type : false) } as unknown as Request;
}

const schema = parseIdentitySchema({
  properties: {
    traits: {
      type: 'object',
      properties: {
        email: { type: 'string', format: 'email' },
        tags: { type: 'array', items: { type: 'string' } },
        newsletter: { type: 'boolean' },
        age: { type: 'integer' },
        name: { type: 'object', properties: { first: { type: 'string' } } },
      },
    },
  },
});

describe('a form field sent more than once', () => {
  it('takes the first value of a single-valued field, as Kratos does with method=code&method=code', () => {
    const body = submittedBody(request(FORM, { method: ['code', 'code'], code: '123456', csrf_token: 't' }));
    expect(body).toEqual({ method: 'code', code: '123456', csrf_token: 't' });
  });

  it('takes the first of differing values, not the last', () => {
    expect(decodeFormFields({ method: ['password', 'profile'], identifier: ['a@x.org', 'b@x.org'] })).toEqual(
      {
        method: 'password',
        identifier: 'a@x.org',
      },
    );
  });

  it('takes the last value of a boolean button, and reads it as Go reads a boolean', () => {
    expect(
      decodeFormFields({
        lookup_secret_regenerate: ['false', 'true'],
        lookup_secret_reveal: 'True',
        lookup_secret_confirm: ['true', '0'],
        totp_unlink: '1',
      }),
    ).toEqual({
      lookup_secret_regenerate: true,
      lookup_secret_reveal: true,
      lookup_secret_confirm: false,
      totp_unlink: true,
    });
  });

  it('leaves out an empty boolean and keeps a boolean it cannot read as text the method refuses', () => {
    expect(decodeFormFields({ totp_unlink: '', lookup_secret_disable: 'yes' })).toEqual({
      lookup_secret_disable: 'yes',
    });
  });

  it('keeps an anti-CSRF token sent with two different values as the list no check accepts', () => {
    expect(decodeFormFields({ csrf_token: ['good', 'forged'] })).toEqual({ csrf_token: ['good', 'forged'] });
    expect(decodeFormFields({ csrf_token: ['good', 'good'] })).toEqual({ csrf_token: 'good' });
  });

  it('reads transient_payload as the JSON text a form sends, and keeps text that is not JSON', () => {
    expect(decodeFormFields({ transient_payload: ['{"a":1}', '{"b":2}'] })).toEqual({
      transient_payload: { a: 1 },
    });
    const body = submittedBody(request(FORM, { transient_payload: 'x' }));
    expect(() => transientPayloadOf(body)).toThrow('transient_payload must be a JSON object.');
  });
});

describe('traits in a form, read per the identity schema', () => {
  const kinds = traitFieldKinds(schema);

  it('keeps every value of an array trait, one value included', () => {
    expect(
      submittedBody(request(FORM, { 'traits.tags': ['a', 'b'], 'traits.email': 'ada@x.org' }), kinds),
    ).toEqual({ traits: { tags: ['a', 'b'], email: 'ada@x.org' } });
    expect(submittedBody(request(FORM, { 'traits.tags': 'a' }), kinds)).toEqual({ traits: { tags: ['a'] } });
  });

  it('takes the first value of a single trait and the last of a boolean one', () => {
    expect(
      submittedBody(
        request(FORM, {
          'traits.email': ['ada@x.org', 'eve@x.org'],
          'traits.name.first': ['Ada', 'Eve'],
          'traits.age': ['36', '99'],
          'traits.newsletter': ['false', 'true'],
        }),
        kinds,
      ),
    ).toEqual({ traits: { email: 'ada@x.org', name: { first: 'Ada' }, age: '36', newsletter: true } });
  });

  it('reads a trait the schema does not know as single-valued', () => {
    expect(submittedBody(request(FORM, { 'traits.other': ['1', '2'] }), kinds)).toEqual({
      traits: { other: '1' },
    });
  });
});

describe('a JSON body', () => {
  it('is taken as parsed: an array for a single-valued field stays an array, as in Kratos', () => {
    expect(submittedBody(request('application/json', { method: ['code', 'code'], code: '1' }))).toEqual({
      method: ['code', 'code'],
      code: '1',
    });
  });

  it('nests dotted keys like a form, and merges them with nested objects', () => {
    expect(
      submittedBody(
        request('application/json', { 'traits.name.first': 'Ada', traits: { email: 'ada@x.org' } }),
      ),
    ).toEqual({ traits: { email: 'ada@x.org', name: { first: 'Ada' } } });
  });
});

describe('names that could reach the prototype', () => {
  it('are dropped, in forms and JSON', () => {
    const form = submittedBody(
      request(FORM, { 'constructor.prototype.admin': '1', 'a..b': '1', method: 'x' }),
    );
    expect(form).toEqual({ method: 'x' });
    expect(({} as Record<string, unknown>)['admin']).toBeUndefined();
    const json = submittedBody(
      request('application/json', JSON.parse('{"__proto__":{"admin":1},"method":"x"}')),
    );
    expect(json).toEqual({ method: 'x' });
  });

  it('answers an empty body for anything but an object', () => {
    expect(submittedBody(request('application/json', [1, 2]))).toEqual({});
    expect(submittedBody(request('text/plain', 'method=password'))).toEqual({});
  });
});
