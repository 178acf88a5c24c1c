#!/usr/bin/env node
// `node scripts/ensure-built.js && node bench/idle.js`: what an idle Tessera holds and spends.
// Starts `tessera serve --dev` on a fresh database and, with no traffic: resident memory 10 s
// after ready and at the end, split into the V8 heap (from /admin/metrics/prometheus), glibc's
// heap, other anonymous memory and file-backed pages (/proc/<pid>/smaps); CPU per idle second
// over the window (/proc/<pid>/stat, all threads); and, when gdb is installed, the resident
// memory after `malloc_trim(0)`, which is what glibc holds free. `--malloc glibc` starts the
// server without MALLOC_MMAP_THRESHOLD_ (glibc's own dynamic threshold), to compare.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { processCpuTicks } from './lib/cpu.js';
import { prepareDatabase } from './lib/databases.js';
import { startTessera } from './lib/tessera.js';

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'sqlite' },
    postgres: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
    seconds: { type: 'string', default: '40' },
    malloc: { type: 'string', default: 'fixed' },
  },
});
const MIB = 1024 * 1024;
const round1 = (value) => Math.round(value * 10) / 10;

/** Resident KiB of a process by kind of mapping. */
function residentParts(pid) {
  const parts = { glibcHeap: 0, otherAnonymous: 0, fileBacked: 0 };
  for (const mapping of readFileSync(`/proc/${pid}/smaps`, 'utf8').split(/\n(?=[0-9a-f]+-[0-9a-f]+ )/)) {
    const name = mapping.split('\n')[0].split(/\s+/).slice(5).join(' ');
    const kib = Number(/^Rss:\s+(\d+)/m.exec(mapping)?.[1] ?? 0);
    if (name === '[heap]') parts.glibcHeap += kib;
    else if (name === '' || name.startsWith('[')) parts.otherAnonymous += kib;
    else parts.fileBacked += kib;
  }
  return Object.fromEntries(Object.entries(parts).map(([key, kib]) => [`${key}MiB`, round1(kib / 1024)]));
}

async function v8HeapMiB(server) {
  const text = await (await fetch(`${server.adminUrl}/admin/metrics/prometheus`)).text();
  const total = /^nodejs_heap_size_total_bytes (\d+)/m.exec(text)?.[1];
  return total ? round1(Number(total) / MIB) : null;
}

function afterMallocTrim(server) {
  try {
    execFileSync('gdb', ['-p', String(server.pid), '-batch', '-ex', 'call (int)malloc_trim(0)'], {
      stdio: 'ignore',
      timeout: 30_000,
    });
  } catch {
    return null; // no gdb, or ptrace not allowed
  }
  return round1(server.memory().rssMiB);
}

const database = await prepareDatabase(values.db, { postgresUrl: values.postgres });
const env = values.malloc === 'glibc' ? { MALLOC_MMAP_THRESHOLD_: null } : {};
const server = await startTessera(database.dsn, database.cwd, env);
try {
  await sleep(10_000);
  const at10s = { rssMiB: round1(server.memory().rssMiB), v8HeapMiB: await v8HeapMiB(server) };
  Object.assign(at10s, residentParts(server.pid));
  const window = Math.max(1, Number(values.seconds) - 10);
  const ticks = processCpuTicks(server.pid);
  await sleep(window * 1000);
  const idleCpuMsPerSecond = round1(((processCpuTicks(server.pid) - ticks) * 10) / window);
  const atEnd = { rssMiB: round1(server.memory().rssMiB), ...residentParts(server.pid) };
  const result = {
    db: values.db,
    malloc: values.malloc === 'glibc' ? 'glibc dynamic threshold' : 'MALLOC_MMAP_THRESHOLD_=131072',
    readyMs: round1(server.readyMs),
    at10s,
    [`at${Number(values.seconds)}s`]: atEnd,
    idleCpuMsPerSecond,
    rssAfterMallocTrimMiB: afterMallocTrim(server),
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  await server.stop();
  await database.remove();
}
