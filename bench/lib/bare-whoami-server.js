// The floor under Tessera's whoami: node:http and better-sqlite3 alone, no framework, no entities.
// `node bench/lib/bare-whoami-server.js <sqlite file> <port>` answers two routes on 127.0.0.1:
//   GET /health/alive     {"status":"ok"}
//   GET /sessions/whoami  the session behind X-Session-Token (SHA-256, as Tessera stores it) with
//                         its identity, addresses, devices and second factors, read by the same
//                         kind of statement as Tessera's (one indexed join, four JSON subqueries)
//                         and written as JSON from the row as it comes.
// A bench instrument only: it checks nothing else (expiry, AAL, state) and is not Tessera.
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import Database from 'better-sqlite3';

const [file, port] = process.argv.slice(2);
const db = new Database(file, { readonly: true, fileMustExist: true });
const columns = (table) =>
  db
    .prepare(`PRAGMA table_info(${table})`)
    .all()
    .map((c) => c.name);
const list = (alias, table) => columns(table).map((c) => `${alias}."${c}"`);
const nested = (table, where) =>
  `(SELECT json_group_array(json_array(${list('x', table).join(', ')})) ` +
  `FROM (SELECT * FROM ${table} x WHERE ${where} ORDER BY x.id) x)`;
const NESTED = [
  ['verifiable_addresses', 'identity_verifiable_addresses', 'x.identity_id = i.id'],
  ['recovery_addresses', 'identity_recovery_addresses', 'x.identity_id = i.id'],
  ['devices', 'session_devices', 'x.session_id = s.id'],
  [
    'factors',
    'identity_credentials',
    "x.identity_id = i.id AND x.type IN ('totp', 'lookup_secret', 'webauthn', 'code')",
  ],
];
const sessionColumns = columns('sessions');
const identityColumns = columns('identities');
const statement = db
  .prepare(
    `SELECT ${[...list('s', 'sessions'), ...list('i', 'identities'), ...NESTED.map(([, t, w]) => nested(t, w))].join(', ')} ` +
      'FROM sessions s JOIN identities i ON i.id = s.identity_id WHERE s.token_hash = ?',
  )
  .raw(true);

function whoami(token) {
  const row = token && statement.get(createHash('sha256').update(token).digest('hex'));
  if (!row) return null;
  const session = {};
  sessionColumns.forEach((name, n) => (session[name] = row[n]));
  const identity = {};
  identityColumns.forEach((name, n) => (identity[name] = row[sessionColumns.length + n]));
  NESTED.forEach(([name], n) => {
    const value = JSON.parse(row[sessionColumns.length + identityColumns.length + n]);
    (name === 'devices' ? session : identity)[name] = value;
  });
  session.identity = identity;
  return session;
}

function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'private, no-cache, no-store, must-revalidate',
  });
  res.end(text);
}

createServer((req, res) => {
  if (req.url === '/health/alive') return send(res, 200, { status: 'ok' });
  if (req.url !== '/sessions/whoami') return send(res, 404, { error: 'not found' });
  const session = whoami(req.headers['x-session-token']);
  if (!session) return send(res, 401, { error: 'no session' });
  res.setHeader('X-Kratos-Authenticated-Identity-Id', session.identity_id);
  send(res, 200, session);
}).listen(Number(port), '127.0.0.1', () => process.stdout.write('ready\n'));
