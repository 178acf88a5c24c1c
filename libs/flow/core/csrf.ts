import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ConfigService } from '../../config/index.js';
import { ApiError } from '../../errors/index.js';
import { appendSetCookie, CookieSettings, readCookie, serializeCookie } from '../../session/index.js';
import { type SelfServiceFlow } from './flow.entity.js';
import { nodeNamed } from './ui.js';

const ONE_YEAR = 31_536_000;
/** Where a response keeps the token of the CSRF cookie it sets, so that it sets only one. */
const ISSUED = 'csrfTokenIssued';

export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

type RejectReason = 'no_cookie_header' | 'no_csrf_cookie' | 'no_token' | 'mismatch';

const HINTS: Record<RejectReason, string> = {
  no_cookie_header: 'The browser did not send any cookies. Check that the request is made with credentials.',
  no_csrf_cookie: 'The request carries cookies, but not the CSRF cookie of this server.',
  no_token: 'The form did not send the csrf_token field (or the X-CSRF-Token header).',
  mismatch: 'The csrf_token does not belong to this browser or this flow.',
};

export function csrfViolation(reason: RejectReason): ApiError {
  return new ApiError(403, {
    id: 'security_csrf_violation',
    reason:
      'Please retry the flow and optionally clear your cookies. The request was rejected to protect you from Cross-Site-Request-Forgery (CSRF) which could cause account takeover, leaking personal information, and other serious security issues.',
    message: 'the request was rejected to protect you from Cross-Site-Request-Forgery',
    details: {
      docs: 'https://www.ory.sh/kratos/docs/debug/csrf',
      hint: HINTS[reason],
      reject_reason: HINTS[reason],
    },
  });
}

/**
 * Double-submit CSRF for browser flows: a signed cookie token, a flow bound to its hash, and a
 * masked copy in the form (a fresh one-time pad each render, so the page never shows the
 * cookie value itself).
 */
@Injectable()
export class CsrfTokens {
  readonly cookieName: string;

  constructor(
    config: ConfigService,
    private readonly cookies: CookieSettings,
  ) {
    this.cookieName = `csrf_token_${sha256(config.listen('public').baseUrl.href)}`;
  }

  /**
   * The browser's CSRF token, issuing a new cookie when it has none (or a forged one). Called twice
   * on one response, it issues one cookie: the flows it binds all match what the browser keeps.
   */
  ensure(req: Request, res: Response): string {
    const issued = res.locals[ISSUED] as string | undefined;
    return issued ?? this.fromCookie(req) ?? this.regenerate(res);
  }

  regenerate(res: Response): string {
    const token = randomBytes(32).toString('base64');
    res.locals[ISSUED] = token;
    appendSetCookie(
      res,
      serializeCookie(this.cookieName, this.cookies.sign(token), {
        ...this.cookies.attributes('cookies'),
        maxAge: ONE_YEAR,
      }),
    );
    return token;
  }

  fromCookie(req: Request): string | undefined {
    return this.cookies.unsign(readCookie(req.header('cookie'), this.cookieName));
  }

  mask(token: string): string {
    const raw = Buffer.from(token, 'base64');
    const pad = randomBytes(raw.length);
    return Buffer.concat([pad, Buffer.from(raw.map((byte, i) => byte ^ pad[i]!))]).toString('base64');
  }

  private unmask(masked: string): Buffer | undefined {
    const bytes = Buffer.from(masked, 'base64');
    if (bytes.length !== 64) return undefined;
    return Buffer.from(bytes.subarray(32).map((byte, i) => byte ^ bytes[i]!));
  }

  /**
   * Throws 403 `security_csrf_violation` unless cookie, flow and submitted token agree. A flow bound
   * to no browser (empty hash) matches no cookie: it is refused, never let through unchecked.
   * Returns the browser's cookie token.
   */
  verify(req: Request, flowTokenHash: string, submitted: unknown): string {
    const cookieToken = this.verifyCookieOnly(req, flowTokenHash);
    const sent = typeof submitted === 'string' && submitted ? submitted : req.header('x-csrf-token');
    if (!sent) throw csrfViolation('no_token');
    const unmasked = this.unmask(sent);
    const expected = Buffer.from(cookieToken, 'base64');
    if (!unmasked || unmasked.length !== expected.length || !timingSafeEqual(unmasked, expected)) {
      throw csrfViolation('mismatch');
    }
    return cookieToken;
  }

  /** Fetching a browser flow needs the cookie it was made for. Returns the cookie's token. */
  verifyCookieOnly(req: Request, flowTokenHash: string): string {
    const cookieToken = this.fromCookie(req);
    if (!req.header('cookie')) throw csrfViolation('no_cookie_header');
    if (!cookieToken) throw csrfViolation('no_csrf_cookie');
    if (!boundTo(flowTokenHash, cookieToken)) throw csrfViolation('mismatch');
    return cookieToken;
  }

  /**
   * Writes a freshly masked copy of the browser's token into the flow's `csrf_token` node, for the
   * answer about to be rendered. Flows are stored without it (only the hash binds them), so a
   * stored flow never holds a value that unmasks to the cookie. Only the browser the flow is bound
   * to gets a value; API flows keep the empty one.
   */
  present<T extends SelfServiceFlow>(flow: T, token: string | undefined): T {
    const node = nodeNamed(flow.ui, 'csrf_token');
    if (!node) return flow;
    const bound = flow.type === 'browser' && token !== undefined && boundTo(flow.csrfTokenHash, token);
    node.attributes['value'] = bound ? this.mask(token) : '';
    return flow;
  }
}

/** Whether a flow's stored hash is that of `token`; an empty hash is bound to nothing. */
function boundTo(flowTokenHash: string, token: string): boolean {
  if (flowTokenHash.length !== 64) return false;
  return timingSafeEqual(Buffer.from(sha256(token)), Buffer.from(flowTokenHash));
}
