import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type JsonObject } from './identity-schema.types.js';
import { parseIdentitySchema } from './schema-extension.js';
import { traitNodes } from './trait-nodes.js';

const read = (...path: string[]) =>
  JSON.parse(readFileSync(join(import.meta.dirname, ...path), 'utf8')) as JsonObject;

// The traits nodes of the registration example in kratos-behaviour.md §2.4, verbatim.
const SECTION_2_4 = [
  '{"type":"input","group":"default","attributes":{"name":"traits.email","type":"email","required":true,"autocomplete":"email","disabled":false,"node_type":"input"},"messages":[],"meta":{"label":{"id":1070002,"text":"E-Mail","type":"info","context":{"name":"traits.email","title":"E-Mail"}}}}',
  '{"type":"input","group":"default","attributes":{"name":"traits.name.first","type":"text","disabled":false,"node_type":"input"},"messages":[],"meta":{"label":{"id":1070002,"text":"First Name","type":"info","context":{"name":"traits.name.first","title":"First Name"}}}}',
  '{"type":"input","group":"default","attributes":{"name":"traits.name.last","type":"text","disabled":false,"node_type":"input"},"messages":[],"meta":{"label":{"id":1070002,"text":"Last Name","type":"info","context":{"name":"traits.name.last","title":"Last Name"}}}}',
];

describe('traitNodes', () => {
  it('reproduces the §2.4 registration example byte for byte', () => {
    const schema = parseIdentitySchema(
      read('../../test/fixtures/kratos/quickstart-email-password/identity.schema.json'),
    );
    expect(traitNodes(schema).map((node) => JSON.stringify(node))).toEqual(SECTION_2_4);
    const ours = parseIdentitySchema(read('../../identity-schemas/email-password.schema.json'));
    expect(traitNodes(ours).map((node) => JSON.stringify(node))).toEqual(SECTION_2_4);
  });

  it('writes values back and uses the requested group', () => {
    const schema = parseIdentitySchema(read('../../identity-schemas/email-password.schema.json'));
    const nodes = traitNodes(
      schema,
      { email: 'foo@example.org', name: { first: '', last: null } },
      'profile',
    );
    expect(nodes.map((n) => [n.group, n.attributes.name, n.attributes.value])).toEqual([
      ['profile', 'traits.email', 'foo@example.org'],
      ['profile', 'traits.name.first', ''],
      ['profile', 'traits.name.last', undefined],
    ]);
    expect('value' in nodes[2]!.attributes).toBe(false);
  });

  it('maps types, formats, patterns, enums and disableFormField', () => {
    const schema = parseIdentitySchema({
      properties: {
        traits: {
          type: 'object',
          required: ['age'],
          properties: {
            phone: { type: 'string', format: 'tel' },
            website: { type: 'string', format: 'uri' },
            birthday: { type: 'string', format: 'date' },
            seen: { type: 'string', format: 'date-time' },
            age: { type: 'integer', maximum: 300 },
            score: { type: 'number' },
            tos: { type: 'boolean' },
            password: { type: 'string' },
            code: { type: 'string', pattern: '^[0-9]{6}$', minLength: 6 },
            plan: { type: 'string', enum: ['free', 'pro'] },
            locked: { type: 'string', disableFormField: true },
            tags: { type: 'array', items: { type: 'string' } },
            fixed: { const: 3 },
            anything: {},
            defaulted: { default: 'x' },
            nested: { type: 'array', items: { type: 'object' } },
            nullable: { type: ['string', 'null'] },
          },
        },
      },
    });
    const attrs = Object.fromEntries(
      traitNodes(schema).map((n) => [n.attributes.name.slice(7), n.attributes]),
    );
    expect(Object.keys(attrs)).toEqual([
      'phone',
      'website',
      'birthday',
      'seen',
      'age',
      'score',
      'tos',
      'password',
      'code',
      'plan',
      'locked',
      'tags',
      'fixed',
      'defaulted',
    ]);
    expect(attrs['phone']).toMatchObject({ type: 'tel', autocomplete: 'tel' });
    expect(attrs['website']).toMatchObject({ type: 'url', autocomplete: 'url' });
    expect(attrs['birthday']!.type).toBe('date');
    expect(attrs['seen']!.type).toBe('datetime-local');
    expect(attrs['age']).toEqual({
      name: 'traits.age',
      type: 'number',
      required: true,
      disabled: false,
      node_type: 'input',
    });
    expect(attrs['score']!.type).toBe('number');
    expect(attrs['tos']!.type).toBe('checkbox');
    expect(attrs['password']!.type).toBe('password');
    expect(attrs['code']).toEqual({
      name: 'traits.code',
      type: 'text',
      pattern: '^[0-9]{6}$',
      disabled: false,
      node_type: 'input',
    });
    expect(attrs['plan']!.options).toEqual([{ value: 'free' }, { value: 'pro' }]);
    expect(attrs['locked']!.disabled).toBe(true);
    expect(attrs['tags']!.type).toBe('text');
    expect(attrs['fixed']!.type).toBe('number');
    expect(attrs['defaulted']!.type).toBe('text');
  });

  it('omits the label when there is no title', () => {
    const schema = parseIdentitySchema({
      properties: { traits: { type: 'object', properties: { x: { type: 'string' } } } },
    });
    expect(traitNodes(schema)[0]!.meta).toEqual({});
  });
});
