import { IncomingMessage, type ServerOptions, ServerResponse } from 'node:http';
import type { Express } from 'express';

/**
 * Node's request and response classes, born with the prototypes Express gives them. Express sets
 * `app.request` and `app.response` as the prototypes of every request it handles; on an object
 * made by Node's own classes that is a prototype change per request, which gives the object a new
 * hidden class and leaves every property access on `req` and `res` after it megamorphic. On
 * objects made by these it is the prototype they already have, which V8 treats as no change.
 */
export function expressServerOptions(app: Express): ServerOptions {
  // Node defines both as plain functions. Should one become a `class` (which cannot be applied
  // to an object), the servers keep Node's own classes and Express works as before.
  // Reflect.construct would cover both, but with its objects the constant route answered 2.4×
  // fewer requests per second than with these.
  if (isClass(IncomingMessage) || isClass(ServerResponse)) return {};
  function ExpressRequest(this: IncomingMessage, ...args: ConstructorParameters<typeof IncomingMessage>) {
    IncomingMessage.apply(this, args);
  }
  ExpressRequest.prototype = app.request;
  function ExpressResponse(this: ServerResponse, ...args: ConstructorParameters<typeof ServerResponse>) {
    ServerResponse.apply(this, args);
  }
  ExpressResponse.prototype = app.response;
  return {
    IncomingMessage: ExpressRequest as unknown as typeof IncomingMessage,
    ServerResponse: ExpressResponse as unknown as typeof ServerResponse,
  };
}

function isClass(constructor: unknown): boolean {
  return /^class\b/.test(Function.prototype.toString.call(constructor));
}
