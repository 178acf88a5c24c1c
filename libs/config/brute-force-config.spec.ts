import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.loader.js';
import { ConfigService } from './config.service.js';

const load = (env: Record<string, string>) => loadConfig({ configFiles: [], env, dev: true, cwd: '/' });

function problemsOf(env: Record<string, string>): string[] {
  try {
    load(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('security.brute_force', () => {
  it('defaults to 10 failures per identifier and address, 100 per identifier, 100 per address', () => {
    const config = new ConfigService(load({}));
    const key = (path: string) => config.get(`security.brute_force.${path}`);
    expect(
      ['enabled', 'per_identifier.limit', 'per_identifier.window', 'per_identifier_total.limit'].map(key),
    ).toEqual([true, 10, '15m', 100]);
    expect(['per_identifier_total.window', 'per_ip.limit', 'per_ip.window'].map(key)).toEqual([
      '24h',
      100,
      '15m',
    ]);
  });

  it('takes the identifier-wide ceiling from the environment, up to 100 (NIST SP 800-63B)', () => {
    const config = new ConfigService(load({ SECURITY_BRUTE_FORCE_PER_IDENTIFIER_TOTAL_LIMIT: '20' }));
    expect(config.get('security.brute_force.per_identifier_total.limit')).toBe(20);
    expect(problemsOf({ SECURITY_BRUTE_FORCE_PER_IDENTIFIER_TOTAL_LIMIT: '101' })).toEqual([
      expect.stringMatching(/^security\.brute_force\.per_identifier_total\.limit: /),
    ]);
  });

  it('refuses limits below one and windows that are no duration', () => {
    expect(
      problemsOf({
        SECURITY_BRUTE_FORCE_PER_IP_LIMIT: '0',
        SECURITY_BRUTE_FORCE_PER_IDENTIFIER_TOTAL_WINDOW: 'a day',
      }),
    ).toEqual([
      expect.stringMatching(/^security\.brute_force\.per_identifier_total\.window: /),
      expect.stringMatching(/^security\.brute_force\.per_ip\.limit: /),
    ]);
  });
});
