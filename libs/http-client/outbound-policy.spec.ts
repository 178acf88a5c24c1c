import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { httpAttempt } from './http-attempt.js';
import { outboundFetch } from './outbound-fetch.js';
import { installOutboundPolicy, PrivateAddressError, resetOutboundPolicy } from './outbound-policy.js';

let server: Server;
let base: string;
const seen: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req.url ?? '');
    if (req.url === '/hop') res.writeHead(302, { location: '/inner' }).end();
    else res.end(`hello ${req.url}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise((resolve) => server.close(resolve)));

afterEach(() => {
  resetOutboundPolicy();
  seen.length = 0;
});

const get = (url: string) => httpAttempt({ url, method: 'GET', headers: {}, timeoutMs: 2000 });
const guard = (...exceptions: string[]) =>
  installOutboundPolicy({ disallowPrivate: true, exceptionUrls: new Set(exceptions) });

describe('clients.http.disallow_private_ip_ranges', () => {
  it('lets every call through when off, as by default', async () => {
    expect((await get(`http://${base}/open`)).body).toBe('hello /open');
  });

  it('refuses a private IP literal and a name that resolves to one, before any byte is sent', async () => {
    guard();
    const port = base.split(':')[1];
    for (const url of [`http://${base}/a`, `http://localhost:${port}/b`, `http://[::1]:${port}/c`])
      await expect(get(url)).rejects.toBeInstanceOf(PrivateAddressError);
    await expect(outboundFetch(`http://localhost:${port}/d`, { timeoutMs: 2000 })).rejects.toThrow(
      'is not a permitted destination',
    );
    expect(seen).toEqual([]);
  });

  it('lets exactly the exception URLs through, and no other URL of the same host', async () => {
    guard(`http://${base}/allowed`);
    expect((await get(`http://${base}/allowed`)).status).toBe(200);
    // A kept-alive socket to the host from the exception is not lent to other calls.
    await expect(get(`http://${base}/other`)).rejects.toBeInstanceOf(PrivateAddressError);
    await expect(get(`http://${base}/allowed?x=1`)).rejects.toBeInstanceOf(PrivateAddressError);
    expect(seen).toEqual(['/allowed']);
  });

  it('checks every redirect hop, so an allowed URL cannot bounce a call inward', async () => {
    guard(`http://${base}/hop`);
    await expect(
      outboundFetch(`http://${base}/hop`, { timeoutMs: 2000, redirect: 'follow' }),
    ).rejects.toBeInstanceOf(PrivateAddressError);
    expect(seen).toEqual(['/hop']);
    guard(`http://${base}/hop`, `http://${base}/inner`);
    const answer = await outboundFetch(`http://${base}/hop`, { timeoutMs: 2000, redirect: 'follow' });
    expect(await answer.text()).toBe('hello /inner');
  });
});
