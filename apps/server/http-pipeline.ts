import { randomUUID } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { ADMIN_KEY_LOCAL } from '../../libs/admin-auth/index.js';
import { assertBodyDepth } from '../../libs/errors/index.js';
import { type AppLogger, requestContext } from '../../libs/logging/index.js';

const BODY_LIMIT = '5mb';
const HEALTH_PATH = /^\/(admin\/)?health\//;

/**
 * What every request goes through before a controller: a request id (from X-Request-ID or
 * new), one access log line without query values, no-store caching for GETs, bounded bodies.
 */
export function installHttpPipeline(
  app: NestExpressApplication,
  logger: AppLogger,
  logHealth: boolean,
): void {
  app.use((req: Request, res: Response, next: NextFunction) => {
    const header = req.header('x-request-id');
    const requestId = header && /^[\w.:-]{1,128}$/.test(header) ? header : randomUUID();
    res.setHeader('X-Request-ID', requestId);
    if (req.method === 'GET') res.setHeader('Cache-Control', 'private, no-cache, no-store, must-revalidate');
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      if (!logHealth && HEALTH_PATH.test(req.path)) return;
      requestContext.run({ requestId }, () =>
        logger.info('request completed', {
          method: req.method,
          path: req.path,
          status: res.statusCode,
          duration_ms: Number(process.hrtime.bigint() - started) / 1e6,
          ...(typeof res.locals[ADMIN_KEY_LOCAL] === 'string'
            ? { admin_key: res.locals[ADMIN_KEY_LOCAL] }
            : {}),
        }),
      );
    });
    requestContext.run({ requestId, request: req }, next);
  });
  app.useBodyParser('json', { limit: BODY_LIMIT, type: ['application/json', 'application/*+json'] });
  // Flat, as Go's url.Values: `a[b]=1` is a field named `a[b]`, a repeated field an array of its
  // values; the flows read them as Kratos does (libs/flow/core/form-body.ts).
  app.useBodyParser('urlencoded', { limit: BODY_LIMIT, extended: false });
  app.use((req: Request, _res: Response, next: NextFunction) => {
    try {
      assertBodyDepth(req.body);
      next();
    } catch (error) {
      next(error);
    }
  });
}
