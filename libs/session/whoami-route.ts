import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { IncomingMessage } from 'node:http';
import { type SessionTransport } from './session-transport.js';
import { type WhoamiAnswers } from './whoami-answers.js';

export const WHOAMI_PATH = '/sessions/whoami';

interface WhoamiRouteDeps {
  answers: WhoamiAnswers;
  transport: SessionTransport;
  /** Whether the request came in on the public listener (whoami is not an admin route). */
  isPublic: (req: IncomingMessage) => boolean;
}

/**
 * whoami's common answer without Nest's per-route pipeline (guards, filter, interceptors,
 * parameter decorators), which cost more than the lookup itself: a GET on the public port,
 * without `tokenize_as`, whose session is active and satisfies `session.whoami.required_aal`
 * gets its session here (WhoamiAnswers). Anything else (no or an unknown session, an
 * insufficient AAL, a tokenizer, an error) goes on to SessionPublicController, which stays the
 * one place that answers errors and documents the route. Install it ahead of Nest's routes,
 * after the middleware every request goes through.
 */
export function whoamiRoute({ answers, transport, isPublic }: WhoamiRouteDeps): RequestHandler {
  const answer = async (req: Request, res: Response, next: NextFunction) => {
    const found = await answers.answer(transport.tokenFrom(req));
    if (!found) return next();
    res.setHeader('X-Kratos-Authenticated-Identity-Id', found.identityId);
    if (typeof found.body === 'object') return void res.json(found.body);
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.end(found.body);
  };
  return (req, res, next) => {
    if (req.method !== 'GET' || !isPublic(req) || asksForToken(req)) return next();
    // The controller meets the same failure again and answers it in the contract's envelope.
    answer(req, res, next).catch(() => next());
  };
}

/** `tokenize_as` in any spelling the query parser reads as that key; no query, no parsing. */
function asksForToken(req: Request): boolean {
  return req.url.includes('?') && req.query['tokenize_as'] !== undefined;
}
