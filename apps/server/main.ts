import 'reflect-metadata';
import { Command, Option } from 'commander';
import {
  ConfigError,
  ConfigService,
  loadConfig,
  packageVersion,
  type LoadedConfig,
} from '../../libs/config/index.js';
import { AppLogger } from '../../libs/logging/index.js';
import { migrateSql } from './migrate.js';
import { startServer } from './serve.js';

function configOrExit(files: string[], dev: boolean, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  try {
    return loadConfig({ configFiles: files, env, dev, cwd: process.cwd() });
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const line of error.problems) process.stderr.write(`config: ${line}\n`);
      process.exit(1);
    }
    throw error;
  }
}

function loggerFor(loaded: LoadedConfig): AppLogger {
  return new AppLogger({ level: new ConfigService(loaded).logLevel, secrets: loaded.secrets });
}

const configOption = () =>
  new Option('-c, --config <file...>', 'configuration file(s), YAML or JSON; later files win').default([]);

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
    .action(async (options: { config: string[]; dev: boolean }) => {
      const loaded = configOrExit(options.config, options.dev);
      const logger = loggerFor(loaded);
      for (const warning of loaded.warnings) logger.warn(warning);
      try {
        const server = await startServer(loaded, logger);
        const stop = async (signal: string) => {
          logger.info('shutting down', { signal });
          await server.close();
          process.exit(0);
        };
        process.once('SIGTERM', () => void stop('SIGTERM'));
        process.once('SIGINT', () => void stop('SIGINT'));
      } catch (error) {
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

  program
    .command('version')
    .description('print the version')
    .action(() => {
      process.stdout.write(`Version:    ${packageVersion()}\n`);
    });

  return program;
}

await cli().parseAsync(process.argv);
