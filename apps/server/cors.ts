import type { NextFunction, Request, Response } from 'express';
import { type ConfigService } from '../../libs/config/index.js';

interface CorsSettings {
  origins: ((origin: string) => boolean)[];
  methods: string[];
  headers: string[];
  exposed: string;
  credentials: boolean;
  maxAge: number;
}

function originMatcher(pattern: string): (origin: string) => boolean {
  if (pattern === '*') return () => true;
  const escaped = pattern
    .toLowerCase()
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'));
  const regex = new RegExp(`^${escaped.join('[^/]*')}$`);
  return (origin) => regex.test(origin.toLowerCase());
}

function settings(config: ConfigService): CorsSettings {
  const get = <T>(key: string, fallback: T): T => config.get<T>(`serve.public.cors.${key}`) ?? fallback;
  return {
    origins: get<string[]>('allowed_origins', ['*']).map(originMatcher),
    methods: get<string[]>('allowed_methods', ['POST', 'GET', 'PUT', 'PATCH', 'DELETE']).map((m) =>
      m.toUpperCase(),
    ),
    headers: get<string[]>('allowed_headers', [
      'Authorization',
      'Content-Type',
      'Max-Age',
      'X-Session-Token',
      'X-XSRF-TOKEN',
      'X-CSRF-TOKEN',
    ]).map((h) => h.toLowerCase()),
    exposed: get<string[]>('exposed_headers', ['Content-Type']).join(', '),
    credentials: get<boolean>('allow_credentials', true),
    maxAge: get<number>('max_age', 0),
  };
}

/**
 * `serve.public.cors` as Kratos applies it: SPAs on another origin may call the public API with
 * cookies. Never on the admin API. The allowed origin is echoed, never `*`, so credentials work.
 */
export function corsMiddleware(config: ConfigService) {
  const enabled = config.get<boolean>('serve.public.cors.enabled') === true;
  const cors = settings(config);
  return (req: Request, res: Response, next: NextFunction): void => {
    const origin = req.header('origin');
    if (!enabled || !origin || req.path.startsWith('/admin')) return next();
    res.vary('Origin');
    const requestedMethod =
      req.method === 'OPTIONS' ? req.header('access-control-request-method') : undefined;
    const allowed = cors.origins.some((matches) => matches(origin));
    if (!requestedMethod) {
      if (allowed) allowOrigin(res, origin, cors);
      return next();
    }
    // A preflight is answered here, and only an acceptable one carries CORS headers.
    res.vary('Access-Control-Request-Method');
    res.vary('Access-Control-Request-Headers');
    const requested = (req.header('access-control-request-headers') ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean);
    const acceptable =
      allowed &&
      cors.methods.includes(requestedMethod.toUpperCase()) &&
      requested.every((h) => cors.headers.includes(h));
    if (acceptable) {
      allowOrigin(res, origin, cors);
      res.setHeader('Access-Control-Allow-Methods', requestedMethod.toUpperCase());
      if (requested.length) res.setHeader('Access-Control-Allow-Headers', requested.join(', '));
      if (cors.maxAge > 0) res.setHeader('Access-Control-Max-Age', String(cors.maxAge));
    }
    res.status(204).end();
  };
}

function allowOrigin(res: Response, origin: string, cors: CorsSettings): void {
  res.setHeader('Access-Control-Allow-Origin', origin);
  if (cors.credentials) res.setHeader('Access-Control-Allow-Credentials', 'true');
  if (cors.exposed) res.setHeader('Access-Control-Expose-Headers', cors.exposed);
}
