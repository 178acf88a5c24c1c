import { describe, expect, it } from 'vitest';
import { trustedProxyProblems } from './trusted-proxies.js';

describe('trustedProxyProblems', () => {
  it('accepts addresses, CIDR ranges and the named ranges', () => {
    expect(
      trustedProxyProblems([
        '10.0.0.1',
        '10.0.0.0/8',
        '::1',
        'fd00::/8',
        'loopback',
        'uniquelocal',
        'linklocal',
      ]),
    ).toEqual([]);
  });

  it('names every entry that is none of those', () => {
    expect(trustedProxyProblems(['10.0.0.0/33', 'proxy.internal', '::/129', '1.2.3.4/8/1', 42])).toEqual([
      expect.stringContaining('"10.0.0.0/33"'),
      expect.stringContaining('"proxy.internal"'),
      expect.stringContaining('"::/129"'),
      expect.stringContaining('"1.2.3.4/8/1"'),
      expect.stringContaining('42'),
    ]);
  });
});
