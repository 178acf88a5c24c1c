// What the recovery benches share: SQLite (the embedded default), the courier in-process, a local
// SMTP sink, recovery on, and no send limits, so that one address can get every code.
import { prepareDatabase } from './databases.js';
import { startSink } from './smtp-sink.js';
import { startTessera } from './tessera.js';

export async function json(response) {
  if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
  return response.json();
}

export async function startRecoveryServer() {
  const sink = await startSink();
  const database = await prepareDatabase('sqlite', {});
  const server = await startTessera(database.dsn, database.cwd, {
    COURIER_SMTP_CONNECTION_URI: sink.uri,
    SELFSERVICE_FLOWS_RECOVERY_ENABLED: 'true',
    SECURITY_BRUTE_FORCE_ENABLED: 'false',
    SELFSERVICE_METHODS_PASSWORD_CONFIG_HAVEIBEENPWNED_ENABLED: 'false',
  });
  return {
    sink,
    database,
    server,
    async stop() {
      await server.stop();
      await sink.close();
      await database.remove();
    },
  };
}
