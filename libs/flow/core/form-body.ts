import { ApiError } from '../../errors/index.js';
import type { Request } from 'express';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The submitted body as one nested object: HTML forms send `traits.name.first=Ada`, JSON clients
 * send `{"traits": {"name": {"first": "Ada"}}}`; both arrive here the same.
 */
export function submittedBody(req: Request): Record<string, unknown> {
  const body: unknown = req.body;
  if (!isObject(body)) return {};
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
    const path = key.split('.');
    if (
      path.some(
        (segment) =>
          segment === '' || segment === '__proto__' || segment === 'constructor' || segment === 'prototype',
      )
    )
      continue;
    let cursor = out;
    for (const segment of path.slice(0, -1)) {
      if (!isObject(cursor[segment])) cursor[segment] = {};
      cursor = cursor[segment] as Record<string, unknown>;
    }
    const last = path[path.length - 1]!;
    cursor[last] =
      isObject(value) && isObject(cursor[last]) ? { ...(cursor[last] as object), ...value } : value;
  }
  return out;
}

/** `transient_payload` travels with a submission; anything but a JSON object is refused. */
export function transientPayloadOf(body: Record<string, unknown>): Record<string, unknown> | null {
  const payload = body['transient_payload'];
  if (payload === undefined || payload === null) return null;
  if (!isObject(payload)) throw new ApiError(400, { reason: 'transient_payload must be a JSON object.' });
  return payload;
}
