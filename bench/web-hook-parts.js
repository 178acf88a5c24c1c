#!/usr/bin/env node
// The per-call pieces of one web hook call, from two builds side by side: `node
// bench/web-hook-parts.js --before <dist> --after <dist>` (default: this worktree's dist/ for both).
// Reading the body file, the request's fields for ctx, rendering the bench's body (Jsonnet) with
// JSON.stringify, and delivering it (keep-alive, to a receiver in a child process). Rounds of the
// two builds alternate in one process, so load on a shared machine hits both alike; CPU is
// process.cpuUsage() (all threads). Numbers, not a pass/fail test.
import { fork } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';

if (process.argv[2] === '--receiver') {
  const s = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}'));
  });
  s.listen(0, '127.0.0.1', () => process.send(s.address().port));
} else {
  await main();
}

async function main() {
  const here = fileURLToPath(new URL('../dist', import.meta.url));
  const { values } = parseArgs({
    options: { before: { type: 'string', default: here }, after: { type: 'string', default: here } },
  });
  const dir = mkdtempSync(join(tmpdir(), 'tessera-bench-hook-parts-'));
  const load = async (root) => {
    const at = (p) => import(pathToFileURL(resolve(root, p)).href);
    return {
      schema: await at('libs/schema/index.js'),
      ctxm: await at('libs/hooks/web-hook/web-hook-context.js'),
      tmpl: await at('libs/hooks/web-hook/web-hook-template.js'),
      jsonnet: await at('libs/jsonnet/index.js'),
      delivery: await at('libs/hooks/web-hook/web-hook-delivery.js'),
    };
  };
  const mods = { before: await load(values.before), after: await load(values.after) };
  const BODY = `function(ctx) {
  flow_id: ctx.flow.id,
  identity: ctx.identity,
  user_agent: std.get(ctx.request_headers, 'User-Agent', []),
  campaign: std.get(std.get(ctx.flow, 'transient_payload', {}), 'campaign', null),
}`;
  writeFileSync(join(dir, 'body.jsonnet'), BODY);
  // A real IncomingMessage, as the bench's client sends it.
  const req = await new Promise((resolve) => {
    const s = createServer((r, res) => {
      resolve(r);
      res.end();
      s.close();
    }).listen(0, '127.0.0.1', () => {
      request(`http://127.0.0.1:${s.address().port}/self-service/registration?flow=x`, {
        method: 'POST',
        headers: {
          Accept: 'application/json',
          'Content-Type': 'application/json',
          'User-Agent': 'bench',
          'Content-Length': 2,
        },
      }).end('{}');
    });
  });
  const identity = {
    id: '00000000-0000-0000-0000-000000000000',
    schema_id: 'default',
    schema_url: 'http://127.0.0.1:4433/schemas/ZGVmYXVsdA',
    state: 'active',
    state_changed_at: '2026-12-04T17:00:00.000Z',
    traits: { email: 'bench-1@example.org' },
    verifiable_addresses: [
      {
        id: '1b0e',
        value: 'bench-1@example.org',
        verified: false,
        via: 'email',
        status: 'pending',
        created_at: '2026-12-04T17:00:00.000Z',
        updated_at: '2026-12-04T17:00:00.000Z',
      },
    ],
    recovery_addresses: [
      {
        id: '2c1f',
        value: 'bench-1@example.org',
        via: 'email',
        created_at: '2026-12-04T17:00:00.000Z',
        updated_at: '2026-12-04T17:00:00.000Z',
      },
    ],
    metadata_public: null,
    created_at: '2026-12-04T17:00:00.000Z',
    updated_at: '2026-12-04T17:00:00.000Z',
    organization_id: null,
  };
  const flow = {
    id: 'f1',
    type: 'api',
    expires_at: 'x',
    issued_at: 'y',
    request_url: 'http://127.0.0.1/self-service/registration/api',
    active: 'password',
    ui: {
      action: 'http://x',
      method: 'POST',
      nodes: [
        {
          type: 'input',
          group: 'default',
          attributes: { name: 'csrf_token', type: 'hidden', value: '' },
          messages: [],
          meta: {},
        },
        {
          type: 'input',
          group: 'password',
          attributes: { name: 'password', type: 'password' },
          messages: [],
          meta: {},
        },
      ],
    },
    state: 'choose_method',
    transient_payload: { campaign: 'bench' },
  };
  // The receiver: a child process, so its CPU is not ours.
  const child = fork(fileURLToPath(import.meta.url), ['--receiver']);
  const port = await new Promise((r) => child.once('message', r));
  const url = `http://127.0.0.1:${port}/hook`;

  const pieces = {
    'read body file': async (m) => m.schema.readSchemaSource('file://body.jsonnet', dir),
    'request fields': async (m) => m.ctxm.requestFields(req, m.ctxm.DEFAULT_HEADER_ALLOWLIST),
    'render + JSON.stringify': async (m) => {
      m.templates ??= new m.tmpl.WebHookTemplates(
        new m.jsonnet.Jsonnet({ maxMillis: 1000, maxOutputBytes: 512 * 1024 }),
        dir,
      );
      const ctx = { flow, ...m.ctxm.requestFields(req, m.ctxm.DEFAULT_HEADER_ALLOWLIST), identity };
      return JSON.stringify(await m.templates.render('file://body.jsonnet', ctx));
    },
    deliver: async (m) =>
      m.delivery.deliver(
        {
          url,
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'Ory-Webhook-Trigger-ID': 't' },
          body: JSON.stringify({ identity }),
          timeoutMs: 30000,
        },
        1000,
      ),
  };
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const N = {
    'read body file': 2000,
    'request fields': 20000,
    'render + JSON.stringify': 2000,
    deliver: 500,
  };
  for (const [name, fn] of Object.entries(pieces)) {
    for (const side of ['before', 'after']) for (let i = 0; i < N[name] / 4; i++) await fn(mods[side]);
    const samples = { before: [], after: [] };
    for (let round = 0; round < 10; round++) {
      for (const side of round % 2 ? ['after', 'before'] : ['before', 'after']) {
        const c = cpu();
        for (let i = 0; i < N[name] / 10; i++) await fn(mods[side]);
        samples[side].push(((cpu() - c) * 1000) / (N[name] / 10));
      }
    }
    const med = (l) => [...l].sort((a, b) => a - b)[l.length >> 1];
    console.log(
      `${name.padEnd(26)} before ${med(samples.before).toFixed(1).padStart(7)} µs  after ${med(samples.after).toFixed(1).padStart(7)} µs CPU per call (median of 10)`,
    );
  }
  child.kill();
}
