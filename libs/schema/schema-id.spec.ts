import { describe, expect, it } from 'vitest';
import { decodeSchemaId, encodeSchemaId, identitySchemaUrl } from './schema-id.js';

describe('schema id encoding', () => {
  it('encodes like Kratos schema_url (unpadded base64url)', () => {
    expect(encodeSchemaId('default')).toBe('ZGVmYXVsdA');
    expect(encodeSchemaId('customer/v2 ü')).toBe('Y3VzdG9tZXIvdjIgw7w');
  });

  it('round-trips', () => {
    for (const id of ['default', 'a', 'ab', 'abc', 'with space', 'ü/?#', 'preset://email']) {
      expect(decodeSchemaId(encodeSchemaId(id))).toBe(id);
    }
  });

  it('rejects what RawURLEncoding would reject', () => {
    expect(decodeSchemaId('ZGVmYXVsdA==')).toBeUndefined();
    expect(decodeSchemaId('ZGVm+XVsdA')).toBeUndefined();
    expect(decodeSchemaId('Z')).toBeUndefined();
    expect(decodeSchemaId('not an id!')).toBeUndefined();
  });

  it('builds schema_url from the public base URL', () => {
    expect(identitySchemaUrl('http://127.0.0.1:4433/', 'default')).toBe(
      'http://127.0.0.1:4433/schemas/ZGVmYXVsdA',
    );
    expect(identitySchemaUrl(new URL('https://id.example.org/kratos'), 'default')).toBe(
      'https://id.example.org/kratos/schemas/ZGVmYXVsdA',
    );
  });
});
