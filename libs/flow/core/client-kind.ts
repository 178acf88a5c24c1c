import type { Request } from 'express';
import { type FlowType } from './flow.entity.js';

/** Native app (API flow), server-rendered browser form, or browser SPA speaking JSON. */
export type ClientKind = 'api' | 'browser' | 'spa';

/** Kratos' rule: Accept negotiation prefers JSON over HTML, or the body is sent as JSON. */
export function wantsJson(req: Request): boolean {
  if ((req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase() === 'application/json')
    return true;
  return req.accepts(['text/html', 'application/json']) === 'application/json';
}

export function clientKind(type: FlowType, req: Request): ClientKind {
  if (type === 'api') return 'api';
  return wantsJson(req) ? 'spa' : 'browser';
}
