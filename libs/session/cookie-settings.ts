import { createHmac, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '../config/index.js';
import { type CookieAttributes } from './http-cookies.js';

type SameSite = CookieAttributes['sameSite'];

function sameSiteOf(value: string | undefined): SameSite {
  const normalized = (value ?? 'Lax').toLowerCase();
  return normalized === 'strict' ? 'Strict' : normalized === 'none' ? 'None' : 'Lax';
}

/**
 * Cookie attributes from `cookies.*` and `session.cookie.*`, and HMAC signing with
 * `secrets.cookie` (the first secret signs; all verify, so secrets can rotate).
 */
@Injectable()
export class CookieSettings {
  private readonly secrets: string[];

  constructor(private readonly config: ConfigService) {
    const secrets = config.get<string[]>('secrets.cookie') ?? [];
    this.secrets = secrets.length > 0 ? secrets : (config.get<string[]>('secrets.default') ?? []);
  }

  attributes(scope: 'cookies' | 'session.cookie'): Omit<CookieAttributes, 'maxAge'> {
    const specific = scope === 'session.cookie';
    const pick = <T>(key: string): T | undefined =>
      (specific ? this.config.get<T>(`session.cookie.${key}`) : undefined) ??
      this.config.get<T>(`cookies.${key}`);
    const secure = pick<boolean>('secure') ?? !this.config.dev;
    const sameSite = sameSiteOf(pick<string>('same_site'));
    return {
      domain: pick<string>('domain') || undefined,
      path: pick<string>('path') ?? '/',
      // Browsers drop SameSite=None cookies that are not Secure; Lax is what works then. The CSRF
      // cookie is Lax whenever it is not Secure, as Kratos sets it.
      sameSite: !secure && (sameSite === 'None' || scope === 'cookies') ? 'Lax' : sameSite,
      secure,
      httpOnly: true,
    };
  }

  sign(value: string): string {
    return `${value}.${createHmac('sha256', this.secrets[0]!).update(value).digest('base64url')}`;
  }

  /** The signed value, or undefined when no configured secret produced the signature. */
  unsign(signed: string | undefined): string | undefined {
    if (!signed) return undefined;
    const dot = signed.lastIndexOf('.');
    if (dot <= 0) return undefined;
    const value = signed.slice(0, dot);
    const given = Buffer.from(signed.slice(dot + 1));
    for (const secret of this.secrets) {
      const expected = Buffer.from(createHmac('sha256', secret).update(value).digest('base64url'));
      if (expected.length === given.length && timingSafeEqual(expected, given)) return value;
    }
    return undefined;
  }
}
