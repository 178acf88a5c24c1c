import 'reflect-metadata';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import express from 'express';
import {
  ConfigService,
  type LoadedConfig,
  otelEnvironment,
  type ServerKind,
} from '../../libs/config/index.js';
import {
  ADMIN_DOCUMENT_PATHS,
  AdminKeyGuard,
  adminKeyMiddleware,
  AdminKeyRing,
} from '../../libs/admin-auth/index.js';
import { ApiExceptionFilter } from '../../libs/errors/index.js';
import { ShutdownState } from '../../libs/health/index.js';
import { AppLogger } from '../../libs/logging/index.js';
import { SessionTransport, WHOAMI_PATH, WhoamiAnswers, whoamiRoute } from '../../libs/session/index.js';
import { HttpMetrics } from '../../libs/metrics/index.js';
import { Database } from '../../libs/persistence/index.js';
import { answerUnparsableRequests } from './client-error.js';
import { ConnectionDrain } from './connection-drain.js';
import { corsMiddleware } from './cors.js';
import { expressServerOptions } from './express-prototypes.js';
import { requireMigratedSchema } from './migrate.js';
import { collectStartupGarbage } from './startup-garbage.js';
import { installHttpPipeline } from './http-pipeline.js';
import { installJsonResponse } from './json-response.js';
import { buildOpenApiDocument, serveOpenApi } from './openapi.js';
import { prefilterRoutes } from './route-prefilter.js';
import { PortGuard, portOf, tagPort } from './port-guard.js';
import { routeForPort } from './port-routing.js';
import { parseQuery } from './query-parser.js';
import { ServerModule } from './server.module.js';
import { exporterSettings, startTracing, traceQueries, tracingMiddleware } from './tracing.js';

export interface RunningServer {
  app: NestExpressApplication;
  /** Requests still being answered, for the shutdown's log lines. */
  inFlight(): number;
  /**
   * Readiness turns 503 on both ports, the listeners stop accepting, in-flight requests finish
   * and their connections close; then the container closes (courier worker after its current
   * job, database, Redis). Bounding it in time is the caller's business.
   */
  close(): Promise<void>;
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Starts both listeners on one Nest application and one dependency-injection container. */
export async function startServer(
  loaded: LoadedConfig,
  logger: AppLogger,
  options: { watchCourier?: boolean } = {},
): Promise<RunningServer> {
  const startedAt = performance.now();
  const config = new ConfigService(loaded);
  const embedded = config.dsn === 'memory' || config.dsn.startsWith('sqlite://');
  // The embedded database is migrated at start; any other is the operator's (`migrate sql`).
  if (!embedded) await requireMigratedSchema(config.dsn);
  const tracingSettings = exporterSettings(config, otelEnvironment(), logger);
  const tracing = tracingSettings && (await startTracing(tracingSettings, logger));
  const expressApp = express();
  expressApp.disable('x-powered-by');
  // As Kratos: no ETag (a hash of every body) on answers that are never cached anyway.
  expressApp.set('etag', false);
  // One spelling per route: `/ADMIN/identities` or `/admin/identities/` is no route at all.
  expressApp.enable('case sensitive routing');
  expressApp.enable('strict routing');
  expressApp.set('query parser', parseQuery);
  installJsonResponse(expressApp);
  // Only these proxies' X-Forwarded-For counts: the client address keys the per-IP limits.
  const trusted = config.get<string[]>('serve.public.trusted_proxies') ?? [];
  if (trusted.length > 0) expressApp.set('trust proxy', trusted);
  const app = await NestFactory.create<NestExpressApplication>(
    ServerModule.forRoot({
      config: loaded,
      logger,
      migrateOnStart: embedded,
      watchCourier: options.watchCourier,
    }),
    new ExpressAdapter(expressApp),
    { logger, bodyParser: false, abortOnError: false },
  );
  // First, so that the span and the latency cover the whole pipeline (body parsing included).
  if (tracing) {
    app.use(tracingMiddleware(portOf));
    traceQueries(app.get(Database));
  }
  app.use(app.get(HttpMetrics).middleware());
  installHttpPipeline(
    app,
    logger,
    config.get<boolean>('serve.public.request_log.disable_for_health') !== true,
  );
  app.use(corsMiddleware(config));
  app.useGlobalFilters(new ApiExceptionFilter(logger));
  const adminKeys = new AdminKeyRing(config.adminApiKeys);
  app.useGlobalGuards(new PortGuard(), new AdminKeyGuard(adminKeys));
  app.use(ADMIN_DOCUMENT_PATHS, adminKeyMiddleware(adminKeys));
  // No enableShutdownHooks(): `tessera serve` owns SIGTERM/SIGINT and closes the app in order.
  serveOpenApi(app, () => buildOpenApiDocument(app));
  // Ahead of Nest's routes, which it hands everything but the common answer to.
  expressApp.get(
    WHOAMI_PATH,
    whoamiRoute({
      answers: app.get(WhoamiAnswers),
      transport: app.get(SessionTransport),
      isPublic: (req) => portOf(req) === 'public',
    }),
  );
  await app.init();
  prefilterRoutes(expressApp);

  const servers = (['public', 'admin'] as ServerKind[]).map((kind) => ({
    kind,
    server: createServer(expressServerOptions(expressApp)),
  }));
  const drain = new ConnectionDrain(servers.map(({ server }) => server));
  for (const { kind, server } of servers) {
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      tagPort(req, kind);
      if (routeForPort(kind, config, req, res)) expressApp(req, res);
    });
    server.keepAliveTimeout = 65_000;
    answerUnparsableRequests(server);
  }
  for (const { kind, server } of servers) {
    const { host, port } = config.listen(kind);
    await listen(server, host, port);
    logger.info(`${kind} API listening`, { host, port, base_url: config.listen(kind).baseUrl.href });
  }
  logger.info('tessera is ready', { startup_ms: Math.round(performance.now() - startedAt) });
  setImmediate(collectStartupGarbage);

  return {
    app,
    inFlight: () => drain.inFlight,
    async close() {
      app.get(ShutdownState).begin();
      await drain.drain();
      await app.close();
      await tracing?.shutdown();
    },
  };
}
