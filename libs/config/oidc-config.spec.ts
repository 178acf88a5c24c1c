import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.loader.js';

const provider = {
  id: 'acme',
  provider: 'generic',
  client_id: 'client',
  client_secret: 'secret',
  issuer_url: 'https://idp.example.org',
  mapper_url: 'base64://e30=',
};

function problemsWith(providers: unknown[], env: Record<string, string> = {}): string[] {
  try {
    loadConfig({
      configFiles: [],
      env: {
        SELFSERVICE_METHODS_OIDC_ENABLED: 'true',
        SELFSERVICE_METHODS_OIDC_CONFIG_PROVIDERS: JSON.stringify(providers),
        SECRETS_COOKIE: 'a-cookie-secret-of-32-characters!',
        SECRETS_CIPHER: 'a-cipher-secret-of-32-characters',
        ...env,
      },
      dev: false,
      cwd: '/srv/app',
    });
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

const key = 'selfservice.methods.oidc.config.providers';

describe('selfservice.methods.oidc config', () => {
  it('accepts a generic provider and the presets that need no issuer', () => {
    expect(problemsWith([provider])).toEqual([]);
    expect(problemsWith([{ ...provider, id: 'g', provider: 'google', issuer_url: undefined }])).toEqual([]);
    expect(
      problemsWith([{ ...provider, id: 'gh', provider: 'github', issuer_url: undefined, pkce: 'never' }]),
    ).toEqual([]);
  });

  it('names the key of an invalid entry, one line each', () => {
    expect(problemsWith([{ ...provider, issuer_url: undefined }])).toEqual([
      `${key}.0.issuer_url: is required for provider "generic"`,
    ]);
    expect(problemsWith([provider, { ...provider }])).toEqual([`${key}.1.id: "acme" is listed twice`]);
    expect(problemsWith([{ ...provider, provider: 'vk' }])).toEqual([
      `${key}.0.provider: "vk" is not supported by Tessera (one of generic, google, github, microsoft, apple, gitlab, discord, auth0)`,
    ]);
    expect(problemsWith([{ ...provider, id: 'a/b' }])[0]).toMatch(new RegExp(`^${key}\\.0\\.id: must be`));
  });

  it('leaves schema violations to the JSON Schema (a missing mapper_url, an unknown pkce)', () => {
    const { mapper_url: _omitted, ...noMapper } = provider;
    expect(problemsWith([noMapper])).toEqual([`${key}.0.mapper_url: is required`]);
    expect(problemsWith([{ ...provider, pkce: 'sometimes' }])[0]).toMatch(
      /^selfservice\.methods\.oidc\.config\.providers\.0\.pkce: must be one of/,
    );
  });

  it('takes a microsoft subject_source of userinfo, me or oid, and nothing else', () => {
    const microsoft = {
      ...provider,
      provider: 'microsoft',
      issuer_url: undefined,
      microsoft_tenant: 'common',
    };
    for (const source of ['userinfo', 'me', 'oid']) {
      expect(problemsWith([{ ...microsoft, subject_source: source }])).toEqual([]);
    }
    expect(problemsWith([{ ...microsoft, subject_source: 'graph' }])[0]).toMatch(
      new RegExp(`^${key}\\.0\\.subject_source: must be one of`),
    );
  });

  it('wants secrets.cipher outside --dev: the provider tokens are sealed with it', () => {
    expect(problemsWith([provider], { SECRETS_CIPHER: '' })).toContainEqual(
      expect.stringMatching(/^secrets\.cipher: is required .* oidc is enabled/),
    );
  });
});
