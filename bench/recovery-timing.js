#!/usr/bin/env node
// `npm run bench:recovery-timing`: does the time `updateRecoveryFlow` takes tell whether an address
// has an account? Known and unknown addresses, interleaved, each on a fresh native flow; SQLite,
// the courier in-process, a local SMTP server. Numbers, not a pass/fail test.
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { describeMachine } from './lib/machine.js';
import { json, startRecoveryServer } from './lib/recovery-server.js';
import { percentile, round1 } from './lib/stats.js';
import { registerNative } from './scenarios/flows.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '300' } } });
const runs = Number(values.runs);

const { database, server, stop } = await startRecoveryServer();

async function submit(email) {
  const flow = await json(await fetch(`${server.publicUrl}/self-service/recovery/api`));
  const started = performance.now();
  await json(
    await fetch(flow.ui.action, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ method: 'code', email }),
    }),
  );
  return performance.now() - started;
}

try {
  const known = `bench-known-${Date.now()}@example.org`;
  const unknown = `bench-unknown-${Date.now()}@example.org`;
  await registerNative(server.publicUrl, known);
  const times = { known: [], unknown: [] };
  for (let i = 0; i < runs + 20; i += 1) {
    // Alternate which goes first, so drift on the machine hits both alike.
    const order = i % 2 === 0 ? ['known', 'unknown'] : ['unknown', 'known'];
    for (const which of order) {
      const ms = await submit(which === 'known' ? known : unknown);
      if (i >= 20) times[which].push(ms);
    }
  }
  const summary = (list) => ({
    p25: round1(percentile(list, 25)),
    p50: round1(percentile(list, 50)),
    p75: round1(percentile(list, 75)),
    p90: round1(percentile(list, 90)),
  });
  console.log(
    JSON.stringify(
      {
        machine: describeMachine(),
        database: database.engine,
        runs,
        knownAddressMs: summary(times.known),
        unknownAddressMs: summary(times.unknown),
        medianDifferenceMs: round1(percentile(times.known, 50) - percentile(times.unknown, 50)),
      },
      null,
      2,
    ),
  );
} finally {
  await stop();
}
