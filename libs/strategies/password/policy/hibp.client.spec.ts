import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HibpClient, parseRange, type HibpClientOptions } from './hibp.client.js';
import { HibpRange } from './hibp-range.cache.js';
import { DEFAULT_PASSWORD_POLICY_OPTIONS, type PasswordPolicyOptions } from './password-policy.options.js';
import { PasswordPolicy } from './password-policy.service.js';

const sha1 = (password: string) => createHash('sha1').update(password, 'utf8').digest('hex').toUpperCase();
const randomSuffix = () => randomBytes(18).toString('hex').slice(0, 35).toUpperCase();

const PASSWORD_HASH = sha1('password'); // 5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8
const PADDED_ONLY = 'correct horse battery staple';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/** A Pwned Passwords range server on 127.0.0.1 that answers every prefix with the same padded range. */
class RangeServer {
  readonly requests: Array<{ url: string; addPadding: string | undefined }> = [];
  handler: Handler = (_request, response) => this.serveRange(response);
  private server!: Server;

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      this.requests.push({ url: request.url ?? '', addPadding: request.headers['add-padding'] as string });
      this.handler(request, response);
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  get host(): string {
    return `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Real suffix lines, CRLF-separated like the API, with zero-count padding around them. */
  serveRange(response: ServerResponse): void {
    const lines = [
      `${randomSuffix()}:3`,
      `${PASSWORD_HASH.slice(5)}:10`,
      `${randomSuffix()}:1,024`,
      ...Array.from({ length: 20 }, () => `${randomSuffix()}:0`),
      `${sha1(PADDED_ONLY).slice(5)}:0`,
    ];
    response.writeHead(200, { 'content-type': 'text/plain' }).end(lines.join('\r\n'));
  }
}

describe('HibpClient against a local range server', () => {
  const server = new RangeServer();
  let now = 0;
  const client = (overrides: Partial<HibpClientOptions> = {}) =>
    new HibpClient({ host: server.host, scheme: 'http', timeoutMs: 2000, now: () => now, ...overrides });

  beforeAll(() => server.start());
  afterAll(() => server.stop());
  afterEach(() => {
    server.requests.length = 0;
    server.handler = (_request, response) => server.serveRange(response);
    now = 0;
  });

  it('finds the breach count of a listed password', async () => {
    await expect(client().lookup('password')).resolves.toEqual({ ok: true, breaches: 10 });
  });

  it('sends only the five-character prefix, asking for padding', async () => {
    await client().lookup('password');
    expect(server.requests).toEqual([{ url: '/range/5BAA6', addPadding: 'true' }]);
    expect(server.requests[0].url).not.toContain(PASSWORD_HASH.slice(5, 10));
  });

  it('counts a suffix that appears only as padding as not breached', async () => {
    await expect(client().lookup(PADDED_ONLY)).resolves.toEqual({ ok: true, breaches: 0 });
  });

  it('counts an unlisted suffix as not breached', async () => {
    await expect(client().lookup('l3f9toh1uaf81n21')).resolves.toEqual({ ok: true, breaches: 0 });
  });

  it('answers a repeated prefix from the cache', async () => {
    const hibp = client();
    await hibp.lookup('password');
    await expect(hibp.lookup('password')).resolves.toEqual({ ok: true, breaches: 10 });
    expect(server.requests).toHaveLength(1);
  });

  it('shares one request between concurrent lookups of a prefix', async () => {
    const hibp = client();
    const results = await Promise.all([hibp.lookup('password'), hibp.lookup('password')]);
    expect(results).toEqual([
      { ok: true, breaches: 10 },
      { ok: true, breaches: 10 },
    ]);
    expect(server.requests).toHaveLength(1);
  });

  it('fetches a range again once it has expired', async () => {
    const hibp = client({ cacheTtlMs: 1000 });
    await hibp.lookup('password');
    now = 999;
    await hibp.lookup('password');
    expect(server.requests).toHaveLength(1);
    now = 1000;
    await hibp.lookup('password');
    expect(server.requests).toHaveLength(2);
  });

  it('evicts the least recently used prefix beyond its capacity', async () => {
    const hibp = client({ cacheMaxPrefixes: 2 });
    await hibp.lookup('password'); // 5BAA6
    await hibp.lookup(PADDED_ONLY); // another prefix
    await hibp.lookup('password'); // hit, now most recent
    await hibp.lookup('l3f9toh1uaf81n21'); // a third prefix evicts PADDED_ONLY's
    await hibp.lookup('password');
    expect(server.requests).toHaveLength(3);
    await hibp.lookup(PADDED_ONLY);
    expect(server.requests).toHaveLength(4);
  });

  it('reports a non-200 answer without caching it', async () => {
    server.handler = (_request, response) => response.writeHead(503).end('busy');
    const hibp = client();
    const result = await hibp.lookup('password');
    expect(result).toEqual({
      ok: false,
      reason:
        'it could not be checked against known data breaches (the breach database answered with HTTP status 503)',
    });
    server.handler = (_request, response) => server.serveRange(response);
    await expect(hibp.lookup('password')).resolves.toEqual({ ok: true, breaches: 10 });
    expect(server.requests).toHaveLength(2);
  });

  it('does not follow redirects', async () => {
    server.handler = (_request, response) =>
      response.writeHead(302, { location: 'http://127.0.0.1:9/' }).end();
    await expect(client().lookup('password')).resolves.toMatchObject({ ok: false });
    expect(server.requests).toHaveLength(1);
  });

  it('reports a server that does not answer in time', async () => {
    server.handler = () => undefined;
    const result = await client({ timeoutMs: 100 }).lookup('password');
    expect(result).toEqual({
      ok: false,
      reason:
        'it could not be checked against known data breaches (the breach database did not answer in time)',
    });
  });

  it('does not ask again for the backoff after a timeout, then asks again', async () => {
    server.handler = () => undefined;
    const hibp = client({ timeoutMs: 100, unreachableBackoffMs: 30_000 });
    const timedOut = {
      ok: false,
      reason:
        'it could not be checked against known data breaches (the breach database did not answer in time)',
    };
    await expect(hibp.lookup('password')).resolves.toEqual(timedOut);
    server.handler = (_request, response) => server.serveRange(response);
    now = 29_999;
    await expect(hibp.lookup(PADDED_ONLY)).resolves.toEqual(timedOut);
    expect(server.requests).toHaveLength(1);
    now = 30_000;
    await expect(hibp.lookup('password')).resolves.toEqual({ ok: true, breaches: 10 });
    expect(server.requests).toHaveLength(2);
  });

  it('reports an answer with a count that is not a number', async () => {
    server.handler = (_request, response) => response.writeHead(200).end(`${randomSuffix()}:text\r\n`);
    await expect(client().lookup('password')).resolves.toEqual({
      ok: false,
      reason:
        'it could not be checked against known data breaches (the breach database sent a malformed answer)',
    });
  });

  it('refuses an answer far larger than a range', async () => {
    server.handler = (_request, response) => response.writeHead(200).end('A'.repeat(2 * 1024 * 1024));
    await expect(client().lookup('password')).resolves.toMatchObject({ ok: false });
  });

  it('never puts the password or its hash into a reason', async () => {
    server.handler = (_request, response) => response.writeHead(500).end(PASSWORD_HASH);
    const result = await client().lookup('password');
    expect(JSON.stringify(result)).not.toMatch(/password|5BAA6/i);
  });
});

describe('HibpClient without a server', () => {
  it('reports a refused connection', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await expect(
      new HibpClient({ host, scheme: 'http', timeoutMs: 2000 }).lookup('password'),
    ).resolves.toEqual({
      ok: false,
      reason: 'it could not be checked against known data breaches (the breach database is unreachable)',
    });
  });
});

describe('PasswordPolicy against a local range server', () => {
  const server = new RangeServer();
  beforeAll(() => server.start());
  afterAll(() => server.stop());

  const policy = (hibp: Partial<PasswordPolicyOptions['haveIBeenPwned']>, host = server.host) =>
    new PasswordPolicy({
      ...DEFAULT_PASSWORD_POLICY_OPTIONS,
      haveIBeenPwned: { ...DEFAULT_PASSWORD_POLICY_OPTIONS.haveIBeenPwned, host, scheme: 'http', ...hibp },
    });

  it('refuses a breached password with its breach count', async () => {
    await expect(policy({}).check('password', ['alice@example.com'])).resolves.toEqual({
      id: 4000034,
      context: { breaches: 10 },
    });
  });

  it('accepts a breached password while the count is within maxBreaches', async () => {
    await expect(policy({ maxBreaches: 10 }).check('password', [])).resolves.toBeNull();
    await expect(policy({ maxBreaches: 9 }).check('password', [])).resolves.toEqual({
      id: 4000034,
      context: { breaches: 10 },
    });
  });

  it('accepts a password listed only as padding', async () => {
    await expect(policy({}).check(PADDED_ONLY, ['alice@example.com'])).resolves.toBeNull();
  });

  it('ignores an unreachable breach database when told to, and refuses otherwise', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const host = `127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    await expect(policy({ ignoreNetworkErrors: true }, host).check('password', [])).resolves.toBeNull();
    await expect(policy({ ignoreNetworkErrors: false }, host).check('password', [])).resolves.toEqual({
      id: 4000005,
      context: {
        reason: 'it could not be checked against known data breaches (the breach database is unreachable)',
      },
    });
  });

  it('asks again on every check when failing closed, and only after a pause when failing open', async () => {
    const open = policy({ ignoreNetworkErrors: true, timeoutMs: 100 });
    const closed = policy({ ignoreNetworkErrors: false, timeoutMs: 100 });
    server.handler = () => undefined;
    await expect(open.check('password', [])).resolves.toBeNull();
    await expect(closed.check('password', [])).resolves.toMatchObject({ id: 4000005 });
    server.requests.length = 0;
    server.handler = (_request, response) => server.serveRange(response);
    await expect(closed.check('password', [])).resolves.toEqual({ id: 4000034, context: { breaches: 10 } });
    await expect(open.check('password', [])).resolves.toBeNull();
    expect(server.requests).toHaveLength(1);
  });
});

describe('parseRange', () => {
  it('reads suffix lines, tolerating blank lines, CRLF and thousands separators', () => {
    expect(parseRange('AAA:1\r\n\r\nbbb:2,345\nCCC:0\n')).toEqual([
      ['AAA', 1],
      ['BBB', 2345],
      ['CCC', 0],
    ]);
  });

  it('counts a line without a count once, as Kratos does', () => {
    expect(parseRange('AAA\nBBB:2')).toEqual([
      ['AAA', 1],
      ['BBB', 2],
    ]);
  });

  it('rejects the whole answer when a count is not a number', () => {
    expect(parseRange('AAA:1\nBBB:text')).toBeNull();
    expect(parseRange('AAA:-1')).toBeNull();
  });
});

describe('HibpRange', () => {
  it('drops padding and matches whole suffixes only', () => {
    const range = HibpRange.fromCounts([
      ['AB', 0],
      ['ABC', 7],
      ['XYZ', 2],
    ]);
    expect(range.count('ABC')).toBe(7);
    expect(range.count('XYZ')).toBe(2);
    expect(range.count('AB')).toBe(0);
    expect(range.count('BC')).toBe(0);
  });
});
