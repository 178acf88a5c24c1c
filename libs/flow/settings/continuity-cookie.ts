import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { appendSetCookie, CookieSettings, readCookie, serializeCookie } from '../../session/index.js';

/** Kratos' name for the cookie that ties a paused flow to the browser that paused it. */
export const CONTINUITY_COOKIE = 'ory_kratos_continuity';

/**
 * The `ory_kratos_continuity` cookie: it names the settings flow whose change this browser holds
 * and the nonce that unseals it (Kratos keeps a container id there; the container lives 15
 * minutes). Signed with the cookie secrets, HttpOnly, SameSite=Lax so that it survives the top-level
 * redirect back from the login UI, host-only, Secure as the other cookies; it lives as long as the
 * held change and is cleared when the browser comes back to the flow.
 */
@Injectable()
export class ContinuityCookie {
  constructor(private readonly cookies: CookieSettings) {}

  set(res: Response, flowId: string, nonce: string, expiresAt: Date, now: Date): void {
    const maxAge = Math.max(1, Math.floor((expiresAt.getTime() - now.getTime()) / 1000));
    appendSetCookie(res, this.serialize(this.cookies.sign(`${flowId}.${nonce}`), maxAge));
  }

  /** The nonce this browser holds for `flowId`, if its cookie is genuine and names that flow. */
  nonceFor(req: Request, flowId: string): string | undefined {
    const value = this.cookies.unsign(readCookie(req.header('cookie'), CONTINUITY_COOKIE));
    const dot = value?.indexOf('.') ?? -1;
    if (!value || dot < 0 || value.slice(0, dot) !== flowId) return undefined;
    return value.slice(dot + 1) || undefined;
  }

  clear(res: Response): void {
    appendSetCookie(res, this.serialize('', -1));
  }

  private serialize(value: string, maxAge: number): string {
    const { secure } = this.cookies.attributes('cookies');
    return serializeCookie(CONTINUITY_COOKIE, value, {
      path: '/',
      sameSite: 'Lax',
      secure,
      httpOnly: true,
      maxAge,
    });
  }
}
