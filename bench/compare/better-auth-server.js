// better-auth on node:http with its SQLite (better-sqlite3) database and email + password sign-in,
// run by run.js as Tessera is: a child process on a loopback port, migrated at start.
//   node better-auth-server.js <port> <sqlite file>
import { createServer } from 'node:http';
import Database from 'better-sqlite3';
import { betterAuth } from 'better-auth';
import { getMigrations } from 'better-auth/db/migration';
import { toNodeHandler } from 'better-auth/node';

const [port, file] = process.argv.slice(2);
const baseURL = `http://127.0.0.1:${port}`;
const auth = betterAuth({
  baseURL,
  secret: 'bench-secret-bench-secret-bench-secret',
  database: new Database(file),
  emailAndPassword: { enabled: true },
  // Its limiter would refuse the bench's thousands of sign-ins from one address; Tessera's
  // brute-force limits count failures per identifier and address, which the bench never makes.
  rateLimit: { enabled: false },
  telemetry: { enabled: false },
});
const { runMigrations } = await getMigrations(auth.options);
await runMigrations();
const handler = toNodeHandler(auth);
createServer(handler).listen(Number(port), '127.0.0.1');
