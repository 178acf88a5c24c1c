#!/usr/bin/env node
// `npm run bench:recovery`: how long a recovery code takes from `updateRecoveryFlow` (method code,
// email) until a local SMTP server has accepted the message. SQLite (the embedded default), the
// courier in-process, a real SMTP server on loopback. Numbers, not a pass/fail test.
import { performance } from 'node:perf_hooks';
import { clearTimeout, setTimeout } from 'node:timers';
import { parseArgs } from 'node:util';
import { describeMachine } from './lib/machine.js';
import { json, startRecoveryServer } from './lib/recovery-server.js';
import { percentile, round1 } from './lib/stats.js';
import { registerNative } from './scenarios/flows.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '200' } } });
const runs = Number(values.runs);

const { sink, database, server, stop } = await startRecoveryServer();
try {
  const email = `bench-recovery-${Date.now()}@example.org`;
  // An unknown address gets no message (no enumeration), so the account must really exist.
  await registerNative(server.publicUrl, email);
  const latencies = [];
  const responses = [];
  for (let i = 0; i < runs + 10; i += 1) {
    const flow = await json(await fetch(`${server.publicUrl}/self-service/recovery/api`));
    const delivered = sink.next(email);
    const started = performance.now();
    await json(
      await fetch(flow.ui.action, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ method: 'code', email }),
      }),
    );
    const answered = performance.now();
    let timer;
    const accepted = await Promise.race([
      delivered,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no message for run ${i} within 10 s`)), 10_000);
      }),
    ]);
    clearTimeout(timer);
    // The first ten warm the process up (JIT, connection pools) and are not counted.
    if (i >= 10) {
      latencies.push(accepted - started);
      responses.push(answered - started);
    }
  }
  const summary = (list) => ({
    p50: round1(percentile(list, 50)),
    p99: round1(percentile(list, 99)),
    max: round1(Math.max(...list)),
  });
  console.log(
    JSON.stringify(
      {
        machine: describeMachine(),
        database: database.engine,
        runs,
        updateRecoveryFlowToSmtpAcceptedMs: summary(latencies),
        updateRecoveryFlowResponseMs: summary(responses),
      },
      null,
      2,
    ),
  );
} catch (error) {
  const queued = await fetch(`${server.adminUrl}/admin/courier/messages`).then((r) => r.text());
  process.stderr.write(`courier messages: ${queued.slice(0, 1500)}\n`);
  throw error;
} finally {
  await stop();
}
