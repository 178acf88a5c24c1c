import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { HttpMetrics, UNMATCHED_ROUTE } from '../../../libs/metrics/index.js';

describe('HttpMetrics middleware', () => {
  it('observes real requests under their Express route pattern, with no id, query or unknown path as a label', async () => {
    const registry = new Registry();
    const app = express();
    app.use(new HttpMetrics(registry).middleware());
    app.get('/self-service/login/flows', (_req, res) => void res.status(200).json({}));
    app.post('/admin/identities/:id', (_req, res) => void res.status(400).json({}));
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      await fetch(`${base}/self-service/login/flows?id=0b1c6c1e-6f0e-4b2a-9d0c-1234567890ab`);
      await fetch(`${base}/admin/identities/0b1c6c1e-6f0e-4b2a-9d0c-1234567890ab`, { method: 'POST' });
      await fetch(`${base}/admin/identities/someone@example.org`, { method: 'POST' });
      await fetch(`${base}/no/such/path/4711`);
    } finally {
      server.close();
    }
    const text = await registry.metrics();
    const count = (labels: string) => {
      const line = `http_request_duration_seconds_count{${labels}} `;
      const found = text.split('\n').find((l) => l.startsWith(line));
      return found === undefined ? undefined : Number(found.slice(line.length));
    };
    expect(count('route="/self-service/login/flows",method="GET",status_code="200"')).toBe(1);
    expect(count('route="/admin/identities/:id",method="POST",status_code="400"')).toBe(2);
    expect(count(`route="${UNMATCHED_ROUTE}",method="GET",status_code="404"`)).toBe(1);
    expect(text).not.toMatch(/0b1c6c1e|example\.org|4711|\?id=/);
  });
});
