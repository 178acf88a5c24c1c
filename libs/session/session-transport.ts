import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ConfigService } from '../config/index.js';
import { CookieSettings } from './cookie-settings.js';
import { readCookie, serializeCookie } from './http-cookies.js';
import { type DeviceInfo } from './session.service.js';

export function appendSetCookie(res: Response, cookie: string): void {
  const existing = res.getHeader('Set-Cookie');
  const list = existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)];
  res.setHeader('Set-Cookie', [...list, cookie]);
}

/** Where a session travels over HTTP: X-Session-Token, the session cookie, or a Bearer token. */
@Injectable()
export class SessionTransport {
  constructor(
    private readonly config: ConfigService,
    private readonly cookies: CookieSettings,
  ) {}

  get cookieName(): string {
    return this.config.get<string>('session.cookie.name') ?? 'ory_kratos_session';
  }

  /** The token the request presents, in Kratos' order of precedence. */
  tokenFrom(req: Request): string | undefined {
    const header = req.header('x-session-token');
    if (header) return header.trim();
    const cookie = this.cookieTokenFrom(req);
    if (cookie) return cookie;
    const authorization = req.header('authorization');
    const bearer = authorization && /^Bearer\s+(.+)$/i.exec(authorization);
    return bearer ? bearer[1]!.trim() : undefined;
  }

  cookieTokenFrom(req: Request): string | undefined {
    return this.cookies.unsign(readCookie(req.header('cookie'), this.cookieName));
  }

  setCookie(res: Response, token: string, expiresAt: Date): void {
    const persistent = this.config.get<boolean>('session.cookie.persistent') ?? true;
    const maxAge = persistent ? Math.floor((expiresAt.getTime() - Date.now()) / 1000) : undefined;
    appendSetCookie(
      res,
      serializeCookie(this.cookieName, this.cookies.sign(token), {
        ...this.cookies.attributes('session.cookie'),
        maxAge,
      }),
    );
  }

  clearCookie(res: Response): void {
    appendSetCookie(
      res,
      serializeCookie(this.cookieName, '', { ...this.cookies.attributes('session.cookie'), maxAge: -1 }),
    );
  }

  /**
   * The device a request comes from. Its location is what a proxy in front (Cloudflare's
   * `CF-IPCity`, `CF-IPCountry`) says, and only a trusted one: any client can send these headers.
   */
  deviceFrom(req: Request): DeviceInfo {
    const trusted = fromTrustedProxy(req);
    const location = trusted ? [req.header('cf-ipcity'), req.header('cf-ipcountry')] : [];
    return {
      ipAddress: req.ip ?? req.socket.remoteAddress ?? null,
      userAgent: req.header('user-agent') ?? null,
      location: location.filter(Boolean).join(', '),
    };
  }
}

/**
 * Whether the immediate peer is one of `serve.public.trusted_proxies`. Asks the same compiled
 * `trust proxy` function Express uses for X-Forwarded-For, so both headers trust the same hosts.
 */
function fromTrustedProxy(req: Request): boolean {
  const trust = req.app?.get('trust proxy fn') as ((address: string, hop: number) => boolean) | undefined;
  const peer = req.socket.remoteAddress;
  return typeof trust === 'function' && peer !== undefined && trust(peer, 0);
}
