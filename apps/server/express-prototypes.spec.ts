import { createServer, IncomingMessage, type Server, ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expressServerOptions } from './express-prototypes.js';

const app = express();
app.use(express.json());
app.post('/echo/:name', (req, res) => {
  res.setHeader('X-Node-Classes', String(req instanceof IncomingMessage && res instanceof ServerResponse));
  res
    .status(201)
    .json({ name: req.params['name'], path: req.path, query: req.query, body: req.body as unknown });
});

let server: Server;
let url: string;
/** Whether each request reached Express already on Express's prototypes. */
const bornExpress: boolean[] = [];

beforeAll(async () => {
  server = createServer(expressServerOptions(app));
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    bornExpress.push(
      Object.getPrototypeOf(req) === app.request && Object.getPrototypeOf(res) === app.response,
    );
    app(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise((resolve) => server.close(resolve)));

describe('expressServerOptions', () => {
  it('makes requests and responses that Express need not re-prototype, and that work as before', async () => {
    for (let i = 0; i < 3; i++) {
      const response = await fetch(`${url}/echo/ada?x=${i}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ n: i }),
      });
      expect(response.status).toBe(201);
      expect(response.headers.get('x-node-classes')).toBe('true');
      expect(await response.json()).toEqual({
        name: 'ada',
        path: '/echo/ada',
        query: { x: String(i) },
        body: { n: i },
      });
    }
    expect(bornExpress).toEqual([true, true, true]);
  });
});
