import { Passport } from 'passport';
import { Strategy as BearerStrategy } from 'passport-http-bearer';
import { type AdminKeyRing, bearerToken } from './admin-key.js';

const STRATEGY = 'tessera-admin-key';

/**
 * Passport's bearer strategy over the key ring, on a Passport instance of its own (no global
 * state shared between applications in one process, no sessions). Only the Authorization header
 * counts: passport-http-bearer would also take `access_token` from the query string or the body,
 * and a key in a URL ends up in proxy logs, so the strategy is handed nothing but the header.
 */
export class AdminKeyAuthenticator {
  private readonly passport = new Passport();

  constructor(ring: AdminKeyRing) {
    this.passport.use(
      STRATEGY,
      new BearerStrategy((token, done) => {
        const id = ring.match(token);
        done(null, id ?? false);
      }),
    );
  }

  /** The id of the key the header carries, or undefined when it carries none that matches. */
  identify(authorization: string | undefined): Promise<string | undefined> {
    const token = bearerToken(authorization);
    const req = { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } };
    return new Promise((resolve, reject) => {
      const authenticate = this.passport.authenticate(
        STRATEGY,
        { session: false },
        (error: unknown, id: string | false | undefined) => {
          if (error) reject(error instanceof Error ? error : new Error(String(error)));
          else resolve(id || undefined);
        },
      ) as (req: unknown, res: unknown, next: (error?: unknown) => void) => void;
      authenticate(req, {}, (error) => reject(error instanceof Error ? error : new Error(String(error))));
    });
  }
}
