import { describe, expect, it } from 'vitest';
import { parseQuery } from './query-parser.js';

describe('parseQuery', () => {
  it('reads a repeated parameter by its first value, as Kratos does', () => {
    expect(parseQuery('aal=aal2&aal=x&refresh=true&refresh=false')).toEqual({ aal: 'aal2', refresh: 'true' });
    expect(parseQuery('flow=%00&flow=abc')).toEqual({ flow: '\u0000' });
  });

  it("keeps every value of the contract's array parameters", () => {
    expect(
      parseQuery('ids=a&ids=b&include_credential=password&include_credential=oidc&expand=identity'),
    ).toEqual({
      ids: ['a', 'b'],
      include_credential: ['password', 'oidc'],
      expand: 'identity',
    });
  });

  it('decodes as before: plus as space, brackets as part of the name, bad escapes kept', () => {
    expect(parseQuery('return_to=a+b&aal[]=x&x=%ZZ&bare')).toEqual({
      return_to: 'a b',
      'aal[]': 'x',
      x: '%ZZ',
      bare: '',
    });
  });

  it('makes no object a name could reach through its prototype', () => {
    const query = parseQuery('__proto__=x&constructor=y');
    expect(Object.getPrototypeOf(query)).toBeNull();
    expect(query['__proto__']).toBe('x');
  });
});
