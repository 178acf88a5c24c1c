// The compact, human-readable table printed to stdout.
const COLUMNS = [
  ['scenario', 16, (name) => name],
  ['conns', 6, (_, s) => s.connections],
  ['req/s', 9, (_, s) => s.rps.toFixed(1)],
  ['p50 ms', 8, (_, s) => s.p50Ms?.toFixed(1) ?? '-'],
  ['p99 ms', 8, (_, s) => s.p99Ms?.toFixed(1) ?? '-'],
  ['2xx', 8, (_, s) => s.ok],
  ['non-2xx', 8, (_, s) => s.non2xx],
  ['errors', 7, (_, s) => s.errors],
  ['cores: tessera/db/bench/other', 31, (_, s) => cpuShares(s.cpu)],
];

const cpuShares = ({ tessera, postgres, bench, other }) =>
  [tessera, postgres, bench, other].map((value) => value.toFixed(2)).join(' / ');

const row = (cells) =>
  cells
    .map((cell, i) => (i === 0 ? String(cell).padEnd(COLUMNS[i][1]) : String(cell).padStart(COLUMNS[i][1])))
    .join('');

function databaseSection(kind, result) {
  const { startup, memory } = result;
  return [
    `${kind} — ${result.engine}`,
    row(COLUMNS.map(([title]) => title)),
    ...Object.entries(result.scenarios).map(([name, { summary }]) =>
      row(COLUMNS.map(([, , cell]) => cell(name, summary))),
    ),
    `start-up to ready: median ${startup.medianMs} ms of ${startup.runsMs.length} ` +
      `(${startup.runsMs.join(', ')}; cores tessera/db/bench/other ${cpuShares(startup.cpu)})`,
    `tessera RSS MiB: ready ${memory.ready.rssMiB}, after ${memory.idleSeconds} s idle ${memory.idle.rssMiB}, ` +
      `after load ${memory.afterLoad.rssMiB}, ${memory.idleSeconds} s later ${memory.afterLoadIdle.rssMiB} ` +
      `(peak ${memory.afterLoadIdle.peakMiB})`,
  ].join('\n');
}

// Above this many cores used by unrelated processes, a run's numbers say more about them.
const OTHER_CPU_WARNING = 0.2;

function interference(argon2, databases) {
  const other = [
    argon2.cpu.other,
    ...Object.values(databases).flatMap((result) => [
      result.startup.cpu.other,
      ...Object.values(result.scenarios).map(({ summary }) => summary.cpu.other),
    ]),
  ];
  const worst = Math.max(0, ...other);
  return worst > OTHER_CPU_WARNING
    ? [
        `\nWarning: other processes used up to ${worst.toFixed(2)} cores during a run; rerun on a quiet machine.`,
      ]
    : [];
}

export function formatReport({ machine, argon2, databases }) {
  const dirty = machine.uncommittedChanges ? ' + uncommitted changes' : '';
  return [
    `Tessera benchmark — ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGiB} GiB, ` +
      `Node ${machine.node}, commit ${machine.commit}${dirty}`,
    'The load generator (autocannon, this process) shares those CPUs with the server.',
    `${argon2.parameters} alone: ${argon2.msPerHash} ms per hash; ` +
      `${argon2.hashesPerSecond} hashes/s with ${argon2.concurrency} in flight ` +
      `(cores bench ${argon2.cpu.bench.toFixed(2)}, other ${argon2.cpu.other.toFixed(2)})`,
    ...Object.entries(databases).map(([kind, result]) => `\n${databaseSection(kind, result)}`),
    ...interference(argon2, databases),
  ].join('\n');
}
