import { createServer, request, type Server } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionDrain } from './connection-drain.js';

const open: Server[] = [];
afterEach(() => {
  for (const server of open.splice(0)) server.close();
});

/** A server whose `/slow` answers only when `release()` is called. */
async function serverWithSlowRoute() {
  const server = createServer();
  open.push(server);
  const drain = new ConnectionDrain([server]);
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  server.on('request', (req, res) => {
    if (req.url === '/slow') void released.then(() => res.end('slow'));
    else res.end('fast');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { server, drain, port, release };
}

function get(port: number, path: string) {
  return new Promise<{ body: string; connection: string | undefined }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { Connection: 'keep-alive' } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ body, connection: res.headers['connection'] }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('ConnectionDrain', () => {
  it('waits for the request in flight, answers it with Connection: close, and refuses new ones', async () => {
    const { drain, port, release } = await serverWithSlowRoute();
    const slow = get(port, '/slow');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(drain.inFlight).toBe(1);
    let drained = false;
    const done = drain.drain().then(() => (drained = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(drained).toBe(false);
    await expect(get(port, '/fast')).rejects.toThrow(/ECONNREFUSED/);
    release();
    expect(await slow).toEqual({ body: 'slow', connection: 'close' });
    await done;
    expect(drain.inFlight).toBe(0);
  });

  it('closes idle kept-alive connections at once', async () => {
    const { drain, port } = await serverWithSlowRoute();
    const socket = connect(port, '127.0.0.1');
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    await new Promise<void>((resolve) => {
      socket.once('data', () => resolve());
      socket.write('GET /fast HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n');
    });
    await drain.drain();
    await closed;
  });
});
