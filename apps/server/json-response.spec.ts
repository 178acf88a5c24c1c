import { request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installJsonResponse } from './json-response.js';

/** Answers shaped by the query: a status, a header set before the body, a body of some size. */
function jsonApp(lean: boolean): Express {
  const app = express();
  app.set('etag', false);
  if (lean) installJsonResponse(app);
  app.all('/json', (req, res) => {
    const { status, header, size, body } = req.query as Record<string, string | undefined>;
    if (status) res.status(Number(status));
    if (header === 'type') res.setHeader('Content-Type', 'application/problem+json');
    if (header === 'etag') res.setHeader('ETag', '"v1"');
    if (body === 'undefined') return res.json(undefined);
    res.json({ text: 'å'.repeat(Number(size ?? 3)), list: [1, null, true], nested: { at: '2026-12-06' } });
  });
  return app;
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

function send(url: string, method: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const { date: _date, connection: _connection, ...rest } = res.headers;
        resolve({ status: res.statusCode!, headers: rest, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.once('error', reject);
    req.end();
  });
}

async function listen(app: Express): Promise<{ server: Server; url: string }> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/json` };
}

const CASES: Array<[string, string, Record<string, string>?]> = [
  ['GET', ''],
  ['POST', '?status=400'],
  ['GET', '?size=2000'],
  ['GET', '?status=204'],
  ['GET', '?status=304'],
  ['HEAD', ''],
  ['HEAD', '?size=2000'],
  ['GET', '?header=type&status=422'],
  ['GET', '?header=etag', { 'If-None-Match': '"v1"' }],
  ['GET', '?header=etag', { 'If-None-Match': '"v0"' }],
  ['GET', '?body=undefined'],
  ['GET', '', { 'If-Modified-Since': 'Sun, 06 Dec 2026 00:00:00 GMT' }],
];

describe('installJsonResponse', () => {
  let express5: { server: Server; url: string };
  let lean: { server: Server; url: string };

  beforeAll(async () => {
    express5 = await listen(jsonApp(false));
    lean = await listen(jsonApp(true));
  });
  afterAll(() => {
    express5.server.close();
    lean.server.close();
  });

  it.each(CASES)('%s %s answers what Express answers, byte for byte', async (method, query, headers) => {
    const expected = await send(express5.url + query, method, headers);
    const actual = await send(lean.url + query, method, headers);
    expect(actual).toEqual(expected);
  });

  it('writes the body as UTF-8 JSON with its length in bytes', async () => {
    const answer = await send(`${lean.url}?size=700`, 'GET');
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(Number(answer.headers['content-length'])).toBe(Buffer.byteLength(answer.body));
    expect(JSON.parse(answer.body)).toMatchObject({ text: 'å'.repeat(700) });
  });

  it('answers If-None-Match: * with the body, where Express would say 304 for an answer with no ETag', async () => {
    const headers = { 'If-None-Match': '*' };
    expect((await send(express5.url, 'GET', headers)).status).toBe(304);
    const answer = await send(lean.url, 'GET', headers);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ list: [1, null, true] });
  });
});
