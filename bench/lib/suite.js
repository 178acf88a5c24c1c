// Everything measured on one database, on a fresh database of its own.
import { setTimeout as sleep } from 'node:timers/promises';
import { startTessera } from './tessera.js';
import { prepareDatabase } from './databases.js';
import { idleMemory, memoryNow, startupTimes } from '../scenarios/footprint.js';
import { createIdentity, getIdentity } from '../scenarios/identity.js';

const progress = (message) => process.stderr.write(`… ${message}\n`);

export async function benchDatabase(kind, options) {
  progress(`${kind}: fresh database, migrations`);
  const database = await prepareDatabase(kind, options);
  try {
    progress(`${kind}: ${options.starts} start-ups`);
    const startup = await startupTimes(database, options.starts);
    const server = await startTessera(database.dsn, database.cwd);
    try {
      progress(`${kind}: ${options.idle} s idle`);
      const memory = await idleMemory(server, options.idle);
      progress(`${kind}: createIdentity, ${options.warmup} s warm-up + ${options.duration} s`);
      const create = await createIdentity(server, options);
      progress(`${kind}: getIdentity, ${options.warmup} s warm-up + ${options.duration} s`);
      const read = await getIdentity(server, options, create.ids);
      memory.afterLoad = memoryNow(server);
      progress(`${kind}: ${options.idle} s idle after the load`);
      await sleep(options.idle * 1000);
      memory.afterLoadIdle = memoryNow(server);
      return {
        engine: database.engine,
        startup,
        memory,
        identitiesCreated: create.ids.length,
        scenarios: {
          createIdentity: { summary: create.summary, raw: create.raw },
          getIdentity: { summary: read.summary, raw: read.raw },
        },
      };
    } finally {
      await server.stop();
    }
  } finally {
    await database.remove();
  }
}
