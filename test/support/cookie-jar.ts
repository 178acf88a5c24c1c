/** One cookie as a Set-Cookie header defined it; attribute names are lower-cased. */
export interface SetCookie {
  name: string;
  value: string;
  attributes: Record<string, string | true>;
}

interface StoredCookie {
  value: string;
  /** Epoch milliseconds; undefined for a browser-session cookie. */
  expiresAt?: number;
}

export function parseSetCookie(line: string): SetCookie {
  const [pair = '', ...rest] = line.split(';');
  const index = pair.indexOf('=');
  const attributes: Record<string, string | true> = {};
  for (const part of rest) {
    const trimmed = part.trim();
    if (!trimmed) continue;
    const eq = trimmed.indexOf('=');
    if (eq < 0) attributes[trimmed.toLowerCase()] = true;
    else attributes[trimmed.slice(0, eq).trim().toLowerCase()] = trimmed.slice(eq + 1).trim();
  }
  return { name: pair.slice(0, index).trim(), value: pair.slice(index + 1).trim(), attributes };
}

/** The Set-Cookie lines of a fetch or axios response. */
export function setCookieLines(response: Response | { headers: Record<string, unknown> }): string[] {
  if (response instanceof Response) return response.headers.getSetCookie();
  const raw = response.headers['set-cookie'];
  return Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? [raw] : [];
}

/**
 * The cookie store of one browser talking to one site: what Set-Cookie stored (expired and
 * `Max-Age<=0` cookies deleted), sent back as a Cookie header. Domain and path are not
 * matched: every test talks to a single host. Two jars are two browsers.
 */
export class CookieJar {
  private readonly cookies = new Map<string, StoredCookie>();
  /** Every Set-Cookie this browser received, oldest first, for asserting attributes. */
  readonly received: SetCookie[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  store(lines: readonly string[]): void {
    for (const line of lines) {
      const cookie = parseSetCookie(line);
      if (!cookie.name) continue;
      this.received.push(cookie);
      const expiresAt = this.expiryOf(cookie);
      if (expiresAt !== undefined && expiresAt <= this.now()) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, { value: cookie.value, expiresAt });
    }
  }

  private expiryOf(cookie: SetCookie): number | undefined {
    const maxAge = cookie.attributes['max-age'];
    if (typeof maxAge === 'string' && /^-?\d+$/.test(maxAge)) return this.now() + Number(maxAge) * 1000;
    const expires = cookie.attributes['expires'];
    if (typeof expires === 'string' && !Number.isNaN(Date.parse(expires))) return Date.parse(expires);
    return undefined;
  }

  get(name: string): string | undefined {
    const cookie = this.cookies.get(name);
    if (!cookie) return undefined;
    if (cookie.expiresAt !== undefined && cookie.expiresAt <= this.now()) {
      this.cookies.delete(name);
      return undefined;
    }
    return cookie.value;
  }

  names(): string[] {
    return [...this.cookies.keys()].filter((name) => this.get(name) !== undefined);
  }

  /** The newest Set-Cookie for a name, to check its attributes. */
  lastSetCookie(name: string): SetCookie | undefined {
    return this.received.filter((cookie) => cookie.name === name).at(-1);
  }

  /** The Cookie request header, or '' when the jar is empty. */
  header(): string {
    return this.names()
      .map((name) => `${name}=${this.get(name)}`)
      .join('; ');
  }

  /** A second browser that starts with this one's cookies (e.g. a stolen or stale copy). */
  copy(): CookieJar {
    const twin = new CookieJar(this.now);
    for (const [name, cookie] of this.cookies) twin.cookies.set(name, { ...cookie });
    return twin;
  }

  /** `fetch` as this browser: sends the jar's cookies, stores the answer's, never follows redirects. */
  async fetch(url: string | URL, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const cookie = this.header();
    if (cookie && !headers.has('cookie')) headers.set('cookie', cookie);
    const response = await fetch(url, { redirect: 'manual', ...init, headers });
    this.store(setCookieLines(response));
    return response;
  }
}
