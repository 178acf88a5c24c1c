import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type JsonObject } from './identity-schema.types.js';
import { compileTraitValidator, type TraitValidationResult } from './trait-validator.js';

const shipped = (name: string) =>
  JSON.parse(
    readFileSync(join(import.meta.dirname, '../../identity-schemas', `${name}.schema.json`), 'utf8'),
  ) as JsonObject;

function errorsOf(result: TraitValidationResult) {
  if (result.ok) throw new Error('expected validation to fail');
  return result.errors;
}

describe('compileTraitValidator', () => {
  const emailPassword = compileTraitValidator(shipped('email-password'));

  it('accepts valid traits', () => {
    expect(emailPassword({ email: 'foo@example.org', name: { first: 'Foo' } })).toEqual({ ok: true });
  });

  it('points a required error at the missing property', () => {
    expect(errorsOf(emailPassword({}))).toEqual([
      {
        path: 'traits.email',
        pointer: '/traits/email',
        keyword: 'required',
        message: 'Property email is missing.',
        params: { missingProperty: 'email' },
      },
    ]);
  });

  it('reports every failure with keyword, params and value', () => {
    const errors = errorsOf(emailPassword({ email: 'x', name: { first: 7 }, extra: true }));
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: 'traits',
          keyword: 'additionalProperties',
          params: { additionalProperty: 'extra' },
        }),
        expect.objectContaining({
          path: 'traits.email',
          keyword: 'minLength',
          params: { limit: 3 },
          value: 'x',
        }),
        expect.objectContaining({ path: 'traits.email', keyword: 'format', params: { format: 'email' } }),
        expect.objectContaining({
          path: 'traits.name.first',
          pointer: '/traits/name/first',
          keyword: 'type',
          params: { type: 'string' },
          value: 7,
        }),
      ]),
    );
    expect(errors).toHaveLength(4);
  });

  it('rejects traits that are not an object', () => {
    for (const traits of [null, 'x', ['a'], 3, undefined]) {
      expect(errorsOf(emailPassword(traits))).toEqual([
        expect.objectContaining({
          path: 'traits',
          pointer: '/traits',
          keyword: 'type',
          params: { type: 'object' },
        }),
      ]);
    }
  });

  it('validates tel numbers leniently about separators', () => {
    const phone = compileTraitValidator(shipped('phone'));
    expect(phone({ phone: '+49 176 1234-5678' })).toEqual({ ok: true });
    expect(errorsOf(phone({ phone: 'call me maybe' }))).toEqual([
      expect.objectContaining({ path: 'traits.phone', keyword: 'format', params: { format: 'tel' } }),
    ]);
  });

  it('implies a format for address-bearing leaves without one, and honours no-validate', () => {
    const validate = compileTraitValidator({
      properties: {
        traits: {
          type: 'object',
          properties: {
            contact: { type: 'string', 'ory.sh/kratos': { verification: { via: 'email' } } },
            backup: { type: 'string', 'ory.sh/kratos': { recovery: { via: 'sms' } } },
            raw: {
              type: 'string',
              format: 'no-validate',
              'ory.sh/kratos': { verification: { via: 'email' } },
            },
          },
        },
      },
    });
    expect(validate({ contact: 'a@b.co', backup: '+15551234567', raw: 'anything' })).toEqual({ ok: true });
    expect(
      errorsOf(validate({ contact: 'nope', backup: 'nope' })).map((e) => [e.path, e.params['format']]),
    ).toEqual([
      ['traits.contact', 'email'],
      ['traits.backup', 'tel'],
    ]);
  });

  it('escapes pointers and indexes arrays', () => {
    const validate = compileTraitValidator({
      properties: {
        traits: {
          type: 'object',
          required: ['a/b'],
          properties: { list: { type: 'array', items: { type: 'string', maxLength: 2 } } },
        },
      },
    });
    expect(errorsOf(validate({ list: ['ok', 'too long'] }))).toEqual([
      expect.objectContaining({ path: 'traits.a/b', pointer: '/traits/a~1b', keyword: 'required' }),
      expect.objectContaining({
        path: 'traits.list.1',
        pointer: '/traits/list/1',
        keyword: 'maxLength',
        value: 'too long',
      }),
    ]);
  });
});
