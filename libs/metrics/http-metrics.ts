import { Inject, Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Histogram, Registry } from 'prom-client';
import { methodLabel, routeLabel, statusLabel } from './http-labels.js';

/** 1 ms to 10 s: a cached read to a hash under load, with a bucket past any sane timeout. */
export const HTTP_DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Request latency per route pattern, method and status, measured from arrival to the last byte. */
@Injectable()
export class HttpMetrics {
  private readonly duration: Histogram<'route' | 'method' | 'status_code'>;

  constructor(@Inject(Registry) registry: Registry) {
    this.duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from a request arriving to its response finishing, by route pattern, method and status.',
      labelNames: ['route', 'method', 'status_code'],
      buckets: HTTP_DURATION_BUCKETS,
      registers: [registry],
    });
  }

  /**
   * Express middleware to install first: the labels are read when the response finishes, once the
   * router has chosen a route. Costs a timestamp and one histogram observation per request.
   */
  middleware(): (req: Request, res: Response, next: NextFunction) => void {
    return (req, res, next) => {
      const started = process.hrtime.bigint();
      res.once('finish', () => {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        this.duration.observe(
          { route: routeLabel(req), method: methodLabel(req), status_code: statusLabel(res.statusCode) },
          seconds,
        );
      });
      next();
    };
  }
}
