import 'reflect-metadata';
import { Command, Option } from 'commander';
import {
  adminExposure,
  ConfigError,
  ConfigService,
  loadConfig,
  packageVersion,
  type LoadedConfig,
} from '../../libs/config/index.js';
import { AppLogger } from '../../libs/logging/index.js';
import { adminKeyCommand } from '../cli/admin-key.command.js';
import { identitiesCommand } from '../cli/identities.command.js';
import { migrateSql, SchemaNotMigratedError } from './migrate.js';
import { startServer } from './serve.js';
import { stopOnSignals } from './shutdown.js';
import { startCourierWorker } from './courier-watch.js';

function configOrExit(
  files: string[],
  dev: boolean,
  env: NodeJS.ProcessEnv = process.env,
  needsCookieSecret = true,
): LoadedConfig {
  try {
    return loadConfig({ configFiles: files, env, dev, cwd: process.cwd(), needsCookieSecret });
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const line of error.problems) process.stderr.write(`config: ${line}\n`);
      process.exit(1);
    }
    throw error;
  }
}

/** A config problem found while starting (e.g. a courier template) ends the start like a bad key. */
function exitOnConfigError(error: unknown): void {
  if (!(error instanceof ConfigError)) return;
  for (const line of error.problems) process.stderr.write(`config: ${line}\n`);
  process.exit(1);
}

function loggerFor(loaded: LoadedConfig): AppLogger {
  return new AppLogger({ level: new ConfigService(loaded).logLevel, secrets: loaded.secrets });
}

/**
 * `-c` as in Kratos: repeated (`-c a.yml -c b.yml`) or comma-separated, later files win. One value
 * per flag, so that `migrate sql -c tessera.yml postgres://…` leaves the DSN an argument.
 */
const configOption = () =>
  new Option('-c, --config <file>', 'configuration file, YAML or JSON; repeatable, later files win')
    .argParser((value: string, previous: string[]) => [...previous, ...value.split(',').filter(Boolean)])
    .default([]);

export function cli(): Command {
  const program = new Command('tessera').description(
    'Headless identity server, wire-compatible with Ory Kratos',
  );

  program
    .command('serve')
    .description('serve the public (4433) and admin (4434) APIs')
    .addOption(configOption())
    .option('--dev', 'development mode: no Secure cookies, random cookie secret if none is set', false)
    .option('--watch-courier', 'also run the courier worker in this process', false)
    .action(async (options: { config: string[]; dev: boolean; watchCourier: boolean }) => {
      const loaded = configOrExit(options.config, options.dev);
      const config = new ConfigService(loaded);
      const exposure = adminExposure(config);
      if (exposure.kind === 'refused') {
        process.stderr.write(`config: ${exposure.line}\n`);
        process.exit(1);
      }
      const logger = loggerFor(loaded);
      for (const warning of loaded.warnings) logger.warn(warning);
      if (exposure.kind === 'opted_out') logger.warn(exposure.line);
      try {
        const server = await startServer(loaded, logger, { watchCourier: options.watchCourier });
        stopOnSignals(server, logger, config.shutdownGracePeriodMs);
      } catch (error) {
        exitOnConfigError(error);
        if (error instanceof SchemaNotMigratedError) {
          logger.fatal(error.message, { pending: error.pending });
          process.exit(1);
        }
        logger.fatal('tessera could not start', { err: error });
        process.exit(1);
      }
    });

  const migrate = program.command('migrate').description('database migrations');
  migrate
    .command('sql')
    .description('apply pending SQL migrations')
    .argument('[dsn]', 'database to migrate (else from -e or -c)')
    .option('-e, --read-from-env', 'read the DSN from the DSN environment variable', false)
    .option('-y, --yes', 'do not ask for confirmation', false)
    .addOption(configOption())
    .action(
      async (dsn: string | undefined, options: { readFromEnv: boolean; yes: boolean; config: string[] }) => {
        const env = { ...process.env, DSN: dsn ?? (options.readFromEnv ? process.env['DSN'] : undefined) };
        // Migrating needs no cookie secret; dev mode only waives that check here.
        const loaded = configOrExit(options.config, true, env);
        process.exitCode = await migrateSql(loaded, loggerFor(loaded), options.yes);
      },
    );

  program.addCommand(identitiesCommand(process.env));
  program.addCommand(adminKeyCommand());
  const courier = program.command('courier').description('the courier: sends queued email and SMS');
  courier
    .command('watch')
    .description('run only the courier worker (BullMQ consumer with Redis, database poller without)')
    .addOption(configOption())
    .option('--dev', 'development mode: messages without a configured channel are logged, not kept', false)
    .action(async (options: { config: string[]; dev: boolean }) => {
      const loaded = configOrExit(options.config, options.dev, process.env, false);
      const logger = loggerFor(loaded);
      for (const warning of loaded.warnings) logger.warn(warning);
      try {
        const worker = await startCourierWorker(loaded, logger);
        // The message being sent finishes, within the same grace period as `serve`.
        stopOnSignals(worker, logger, new ConfigService(loaded).shutdownGracePeriodMs);
      } catch (error) {
        exitOnConfigError(error);
        logger.fatal('tessera courier worker could not start', { err: error });
        process.exit(1);
      }
    });

  program
    .command('version')
    .description('print the version')
    .action(() => {
      process.stdout.write(`Version:    ${packageVersion()}\n`);
    });

  return program;
}

await cli().parseAsync(process.argv);
