import { parseArgs } from 'node:util';

export const HELP = `Usage: npm run bench -- [options]   (or: node bench/run.js [options])

Measures a real \`tessera serve --dev\` on 127.0.0.1 with autocannon: createIdentity and
getIdentity on the admin API (requests per second, p50/p99 latency), start-up time to ready
and resident memory. Numbers, not a pass/fail test.

Options:
  --db <sqlite|postgres|both>   databases to measure (default: sqlite)
  --duration <s>                length of each measured load run (default: 10)
  --warmup <s>                  unmeasured load before each run (default: 2)
  --connections <n>             connections for getIdentity (default: 10)
  --create-connections <n>      connections for createIdentity; each create hashes a
                                password with argon2id, so few are enough (default: 4)
  --max-requests <n>            upper bound of requests in one load run (default: 100000)
  --starts <n>                  start-ups timed per database, median reported (default: 5)
  --idle <s>                    idle time before the idle memory reading (default: 5)
  --postgres <url>              PostgreSQL server; a fresh schema is created in it and
                                dropped afterwards (default: postgres://postgres@127.0.0.1:5432/test)
  --json <file>                 also write the raw results (autocannon output included) as JSON
  -h, --help                    show this help

SQLite runs on a file database in a fresh temporary folder (the embedded default).
The load generator runs in this process, on the same machine as the server.`;

const DATABASES = { sqlite: ['sqlite'], postgres: ['postgres'], both: ['sqlite', 'postgres'] };

const SPEC = {
  db: { type: 'string', default: 'sqlite' },
  duration: { type: 'string', default: '10' },
  warmup: { type: 'string', default: '2' },
  connections: { type: 'string', default: '10' },
  'create-connections': { type: 'string', default: '4' },
  'max-requests': { type: 'string', default: '100000' },
  starts: { type: 'string', default: '5' },
  idle: { type: 'string', default: '5' },
  postgres: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
  json: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
};

function number(values, name, min) {
  const value = Number(values[name]);
  if (!Number.isFinite(value) || value < min) throw new Error(`--${name} must be a number ≥ ${min}`);
  return value;
}

/** The run's settings from the command line; `help` is true when only the help should be shown. */
export function parseOptions(argv) {
  const { values } = parseArgs({ args: argv, options: SPEC, strict: true });
  const databases = DATABASES[values.db];
  if (!databases) throw new Error('--db must be sqlite, postgres or both');
  return {
    help: values.help,
    databases,
    duration: number(values, 'duration', 1),
    warmup: number(values, 'warmup', 0),
    connections: Math.floor(number(values, 'connections', 1)),
    createConnections: Math.floor(number(values, 'create-connections', 1)),
    maxRequests: Math.floor(number(values, 'max-requests', 1)),
    starts: Math.floor(number(values, 'starts', 1)),
    idle: number(values, 'idle', 0),
    postgresUrl: values.postgres,
    json: values.json,
  };
}
