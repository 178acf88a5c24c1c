import { describe, expect, it } from 'vitest';
import { ConfigService, loadConfig } from '../../libs/config/index.js';
import type { AppLogger } from '../../libs/logging/index.js';
import { exporterSettings } from './tracing.js';

function settings(configEnv: Record<string, string>, processEnv: Record<string, string> = {}) {
  const warnings: string[] = [];
  const logger = { warn: (message: string) => warnings.push(message) } as unknown as AppLogger;
  const config = new ConfigService(loadConfig({ configFiles: [], env: configEnv, dev: true, cwd: '/' }));
  return { result: exporterSettings(config, processEnv, logger), warnings };
}

describe('tracing settings', () => {
  it('is off by default', () => {
    expect(settings({}).result).toBeUndefined();
  });

  it("takes Kratos' otel keys: OTLP over HTTP(S) at server_url, its ratio and authorization header", () => {
    expect(
      settings({
        TRACING_PROVIDER: 'otel',
        TRACING_SERVICE_NAME: 'auth',
        TRACING_PROVIDERS_OTLP_SERVER_URL: 'collector:4318',
        TRACING_PROVIDERS_OTLP_SAMPLING_SAMPLING_RATIO: '0.25',
        TRACING_PROVIDERS_OTLP_AUTHORIZATION_HEADER: 'Bearer abc',
      }).result,
    ).toEqual({
      url: 'https://collector:4318/v1/traces',
      headers: { Authorization: 'Bearer abc' },
      serviceName: 'auth',
      samplingRatio: 0.25,
    });
    expect(
      settings({
        TRACING_PROVIDER: 'otel',
        TRACING_PROVIDERS_OTLP_SERVER_URL: 'c:4318',
        TRACING_PROVIDERS_OTLP_INSECURE: 'true',
      }).result?.url,
    ).toBe('http://c:4318/v1/traces');
  });

  it('falls back to the standard OTEL_* variables, leaving endpoint and sampler to them', () => {
    expect(
      settings({}, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SERVICE_NAME: 'svc' }).result,
    ).toEqual({
      serviceName: 'svc',
    });
    expect(
      settings({}, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SDK_DISABLED: 'true' }).result,
    ).toBeUndefined();
  });

  it('says so, and does not trace, for a provider it does not speak', () => {
    const { result, warnings } = settings({ TRACING_PROVIDER: 'jaeger' });
    expect(result).toBeUndefined();
    expect(warnings).toEqual([expect.stringContaining('"jaeger" is not supported')]);
  });
});
