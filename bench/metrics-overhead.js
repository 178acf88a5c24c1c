#!/usr/bin/env node
// `npm run build && node bench/metrics-overhead.js`: what the HTTP latency histogram adds to a request. Two measurements:
// the middleware alone (a request's timestamp, labels and observation, with no I/O around it),
// and a keep-alive loop of requests to one Express route with and without it, interleaved.
// Numbers, not a pass/fail test.
import { once } from 'node:events';
import { EventEmitter } from 'node:events';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import express from 'express';
import { Registry } from 'prom-client';
import { HttpMetrics } from '../dist/libs/metrics/index.js';
import { describeMachine } from './lib/machine.js';

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '200000' },
    requests: { type: 'string', default: '4000' },
    rounds: { type: 'string', default: '5' },
  },
});

/** ns per call of `middleware` on a fake request and response, finish emitted. */
function perCall(middleware, calls) {
  const routes = ['/sessions/whoami', '/self-service/login', '/admin/identities/:id'];
  const next = () => {};
  const run = (n) => {
    for (let i = 0; i < n; i++) {
      const res = new EventEmitter();
      res.statusCode = i % 7 === 0 ? 401 : 200;
      const req = { method: 'GET', baseUrl: '', route: { path: routes[i % 3] } };
      middleware(req, res, next);
      res.emit('finish');
    }
  };
  run(calls / 10); // warm-up
  const started = performance.now();
  run(calls);
  return ((performance.now() - started) * 1e6) / calls;
}

/** The middleware's own cost: its run less that of a middleware that only calls next. */
function middlewareAlone(calls) {
  const metrics = new HttpMetrics(new Registry()).middleware();
  const bare = (_req, _res, next) => next();
  const costs = [];
  for (let round = 0; round < 5; round++) costs.push(perCall(metrics, calls) - perCall(bare, calls));
  return costs.sort((a, b) => a - b)[2];
}

async function serve(withMetrics) {
  const app = express();
  if (withMetrics) app.use(new HttpMetrics(new Registry()).middleware());
  app.get('/sessions/whoami', (_req, res) => void res.status(401).json({ error: { code: 401 } }));
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

async function loop(port, n, agent) {
  const one = () =>
    new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/sessions/whoami', agent }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end();
    });
  const started = performance.now();
  for (let i = 0; i < n; i++) await one();
  return ((performance.now() - started) * 1000) / n; // µs per request
}

const calls = Number(values.calls);
const requests = Number(values.requests);
const rounds = Number(values.rounds);
console.log(describeMachine());
console.log(`middleware alone: ${middlewareAlone(calls).toFixed(0)} ns per request (median of 5 × ${calls})`);

const [plain, measured] = await Promise.all([serve(false), serve(true)]);
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
const times = { without: [], with: [] };
await loop(plain.address().port, requests / 4, agent);
await loop(measured.address().port, requests / 4, agent);
for (let round = 0; round < rounds; round++) {
  times.without.push(await loop(plain.address().port, requests, agent));
  times.with.push(await loop(measured.address().port, requests, agent));
}
agent.destroy();
plain.close();
measured.close();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const without = median(times.without);
const withMetrics = median(times.with);
console.log(
  `sequential keep-alive requests, median of ${rounds} rounds of ${requests}: ` +
    `${without.toFixed(1)} µs without, ${withMetrics.toFixed(1)} µs with ` +
    `(${(withMetrics - without).toFixed(1)} µs, ${(((withMetrics - without) / without) * 100).toFixed(1)}%)`,
);
