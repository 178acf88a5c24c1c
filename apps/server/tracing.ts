import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { NextFunction, Request, Response } from 'express';
import type { QueryRunner, ReplicationMode } from 'typeorm';
import type { ConfigService } from '../../libs/config/index.js';
import type { AppLogger } from '../../libs/logging/index.js';
import type { Database } from '../../libs/persistence/index.js';

/** A started OpenTelemetry SDK: flush and stop it last, after the servers have closed. */
export interface Tracing {
  shutdown(): Promise<void>;
}

export interface ExporterSettings {
  /** Undefined: the exporter reads `OTEL_EXPORTER_OTLP_*` itself. */
  url?: string;
  headers?: Record<string, string>;
  serviceName: string;
  samplingRatio?: number;
}

const tracer = () => trace.getTracer('tessera');

/**
 * What to export, from Kratos' `tracing` keys (`provider: otel`, OTLP over HTTP) or, without
 * them, the standard `OTEL_*` variables. Undefined: tracing is off (the default), and nothing
 * of the SDK is loaded.
 */
export function exporterSettings(
  config: ConfigService,
  env: Record<string, string | undefined>,
  logger: AppLogger,
): ExporterSettings | undefined {
  if (env['OTEL_SDK_DISABLED'] === 'true') return undefined;
  const provider = config.get<string>('tracing.provider');
  const serviceName = config.get<string>('tracing.service_name') ?? env['OTEL_SERVICE_NAME'] ?? 'tessera';
  if (provider === 'otel') {
    const otlp = (config.get<Record<string, unknown>>('tracing.providers.otlp') ?? {}) as {
      server_url?: string;
      insecure?: boolean;
      authorization_header?: string;
      sampling?: { sampling_ratio?: number };
    };
    const scheme = otlp.insecure ? 'http' : 'https';
    return {
      url: otlp.server_url ? `${scheme}://${otlp.server_url}/v1/traces` : undefined,
      headers: otlp.authorization_header ? { Authorization: otlp.authorization_header } : undefined,
      serviceName,
      samplingRatio: otlp.sampling?.sampling_ratio ?? 1,
    };
  }
  if (provider) {
    logger.warn(`tracing.provider "${provider}" is not supported: use "otel" (OTLP over HTTP). Not tracing.`);
    return undefined;
  }
  if (env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'] || env['OTEL_EXPORTER_OTLP_ENDPOINT']) return { serviceName };
  return undefined;
}

/** Starts the SDK before the application, so that every span has somewhere to go. */
export async function startTracing(settings: ExporterSettings, logger: AppLogger): Promise<Tracing> {
  const [{ NodeSDK }, { OTLPTraceExporter }, { ParentBasedSampler, TraceIdRatioBasedSampler }, resources] =
    await Promise.all([
      import('@opentelemetry/sdk-node'),
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/sdk-trace-base'),
      import('@opentelemetry/resources'),
    ]);
  const sdk = new NodeSDK({
    resource: resources.resourceFromAttributes({ 'service.name': settings.serviceName }),
    traceExporter: new OTLPTraceExporter({
      ...(settings.url ? { url: settings.url } : {}),
      ...(settings.headers ? { headers: settings.headers } : {}),
    }),
    // Without a ratio, OTEL_TRACES_SAMPLER and its argument decide.
    ...(settings.samplingRatio === undefined
      ? {}
      : { sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(settings.samplingRatio) }) }),
    instrumentations: [],
    autoDetectResources: false,
  });
  sdk.start();
  logger.info('tracing to OTLP', {
    url: settings.url ?? 'from OTEL_EXPORTER_OTLP_*',
    service: settings.serviceName,
  });
  return {
    async shutdown() {
      try {
        await sdk.shutdown();
      } catch (error) {
        logger.warn('tracing: could not flush the last spans', { err: error });
      }
    },
  };
}

/**
 * One server span per request, continuing the caller's `traceparent`. Named by the route pattern
 * (never the query: it can carry flow ids and one-time tokens).
 */
export function tracingMiddleware(port: (req: Request) => string | undefined) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const parent = propagation.extract(context.active(), req.headers);
    const span = tracer().startSpan(
      req.method,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': req.method,
          'url.path': req.path,
          ...(port(req) ? { 'tessera.port': port(req) } : {}),
        },
      },
      parent,
    );
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      const route = (req.route as { path?: string } | undefined)?.path;
      if (route) {
        span.updateName(`${req.method} ${route}`);
        span.setAttribute('http.route', route);
      }
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    };
    res.once('finish', end);
    res.once('close', end);
    context.with(trace.setSpan(parent, span), next);
  };
}

/** A client span around one SQL statement: its text, never its values. */
function querySpan<T>(system: string, sql: string, run: () => Promise<T>): Promise<T> {
  return tracer().startActiveSpan(
    `db ${/^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? 'QUERY'}`,
    {
      kind: SpanKind.CLIENT,
      attributes: { 'db.system.name': system, 'db.query.text': sql.slice(0, 2048) },
    },
    async (span) => {
      try {
        return await run();
      } catch (error) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/**
 * A client span around every SQL statement: those TypeORM runs and the prepared statements of the
 * hot paths (`Database.prepared`), which bypass TypeORM's query runners.
 */
export function traceQueries(database: Database): void {
  const dataSource = database.dataSource;
  const driver = dataSource.driver;
  const system = dataSource.options.type === 'postgres' ? 'postgresql' : 'sqlite';
  const createQueryRunner = driver.createQueryRunner.bind(driver);
  driver.createQueryRunner = (mode: ReplicationMode): QueryRunner => {
    const runner = createQueryRunner(mode);
    const query = runner.query.bind(runner) as (...args: unknown[]) => Promise<unknown>;
    runner.query = ((sql: string, ...rest: unknown[]) =>
      querySpan(system, sql, () => query(sql, ...rest))) as QueryRunner['query'];
    return runner;
  };
  database.aroundPrepared((sql, run) => querySpan(system, sql, run));
}
