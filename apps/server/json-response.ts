import type { Express, Response } from 'express';

const JSON_TYPE = 'application/json; charset=utf-8';
const NO_BODY_STATUSES = new Set([204, 205, 304]);

/**
 * `res.json` without the detours Express takes for every body: a MIME database lookup and a
 * Content-Type parse to add the charset, a copy of any body over 1 000 characters into a Buffer,
 * and a freshness check that only ETag or Last-Modified answers need (Tessera sends neither with
 * JSON). The bytes on the wire are the same: `application/json; charset=utf-8`, Content-Length,
 * the body. Anything unusual goes to Express's own `json`: a Content-Type, ETag or Last-Modified
 * already set, a status without a body, HEAD, a body JSON cannot write, or JSON settings.
 */
export function installJsonResponse(app: Express): void {
  if (app.get('json replacer') || app.get('json spaces') || app.get('json escape')) return;
  const express = app.response.json;
  app.response.json = function json(this: Response, body?: unknown): Response {
    if (
      NO_BODY_STATUSES.has(this.statusCode) ||
      this.req.method === 'HEAD' ||
      this.hasHeader('Content-Type') ||
      this.hasHeader('ETag') ||
      this.hasHeader('Last-Modified')
    ) {
      return express.call(this, body);
    }
    const text = JSON.stringify(body) as string | undefined;
    if (text === undefined) return express.call(this, body);
    this.setHeader('Content-Type', JSON_TYPE);
    this.setHeader('Content-Length', String(Buffer.byteLength(text)));
    this.end(text, 'utf8');
    return this;
  };
}
