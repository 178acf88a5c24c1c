import { Injectable } from '@nestjs/common';
import { ConfigService } from '../../config/index.js';
import { ApiError } from '../../errors/index.js';

interface AllowedUrl {
  protocol: string;
  host: string;
  wildcard: boolean;
  path: string;
}

function allowedEntry(raw: string): AllowedUrl | undefined {
  try {
    const wildcard = /^[a-z][a-z0-9+.-]*:\/\/\*\./i.test(raw);
    const url = new URL(wildcard ? raw.replace('://*.', '://') : raw);
    return { protocol: url.protocol, host: url.host.toLowerCase(), wildcard, path: url.pathname || '/' };
  } catch {
    return undefined;
  }
}

function pathAllowed(path: string, allowed: string): boolean {
  if (allowed === '/' || allowed === '') return true;
  const prefix = allowed.endsWith('/') ? allowed : `${allowed}/`;
  return path === allowed || path.startsWith(prefix);
}

/**
 * `return_to` checks against `selfservice.allowed_return_urls`: scheme exact, host exact or under
 * a `*.` wildcard, and the path within the allowed one (whole segments, so `/app` does not allow
 * `/application`). Relative values resolve against the default return URL.
 */
@Injectable()
export class ReturnToPolicy {
  private readonly allowed: AllowedUrl[];

  constructor(private readonly config: ConfigService) {
    const configured = config.get<string[]>('selfservice.allowed_return_urls') ?? [];
    const implicit = [this.defaultReturnUrl(), config.url('public', 'self-service')];
    this.allowed = [...configured, ...implicit]
      .map(allowedEntry)
      .filter((a): a is AllowedUrl => a !== undefined);
  }

  defaultReturnUrl(): string {
    return this.config.get<string>('selfservice.default_browser_return_url')!;
  }

  isAllowed(candidate: string): boolean {
    let url: URL;
    try {
      url = new URL(candidate, this.defaultReturnUrl());
    } catch {
      return false;
    }
    if (url.username || url.password) return false;
    const host = url.host.toLowerCase();
    return this.allowed.some(
      (entry) =>
        entry.protocol === url.protocol &&
        (entry.wildcard ? host.endsWith(`.${entry.host}`) : host === entry.host) &&
        pathAllowed(url.pathname, entry.path),
    );
  }

  /** The absolute return URL to store on a flow, or a 400 when it is not allowed. */
  validate(candidate: string | undefined): string | null {
    if (candidate === undefined || candidate === '') return null;
    if (!this.isAllowed(candidate)) {
      throw new ApiError(400, {
        id: 'self_service_flow_return_to_forbidden',
        reason: `Requested return_to URL "${candidate}" is not allowed.`,
        message: 'self-service flow return_to forbidden',
      });
    }
    return new URL(candidate, this.defaultReturnUrl()).href;
  }
}
