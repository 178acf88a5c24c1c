import { readFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import { type AdminClient, AdminApiError, adminClient, failure } from './admin-client.js';
import { formatIdentities, type Format, type IdentityRow } from './identity-format.js';

interface Common {
  endpoint?: string;
  format: Format;
}

const endpointOption = () =>
  new Option('-e, --endpoint <url>', 'admin API base URL (or TESSERA_ADMIN_URL / KRATOS_ADMIN_URL)');
const formatOption = () =>
  new Option('--format <format>', 'output format').choices(['table', 'json', 'json-pretty']).default('table');

function clientFor(options: Common, env: NodeJS.ProcessEnv): AdminClient {
  const endpoint = options.endpoint ?? env['TESSERA_ADMIN_URL'] ?? env['KRATOS_ADMIN_URL'] ?? '';
  if (!endpoint) throw new AdminApiError('no admin endpoint: pass --endpoint or set TESSERA_ADMIN_URL');
  // From the environment only: a key on the command line would show in `ps` and shell history.
  return adminClient(endpoint, env['TESSERA_ADMIN_API_KEY'] || undefined);
}

/** Runs one CLI action; problems become one line on stderr and exit code 1. */
function action<A extends unknown[]>(run: (...args: A) => Promise<void>) {
  return async (...args: A) => {
    try {
      await run(...args);
    } catch (error) {
      if (!(error instanceof AdminApiError) && !(error instanceof SyntaxError)) throw error;
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 1;
    }
  };
}

function print(rows: IdentityRow[], format: Format, single: boolean): void {
  process.stdout.write(formatIdentities(rows, format, single));
}

/** `tessera identities import|list|get|delete`: the admin identity API from a shell. */
export function identitiesCommand(env: NodeJS.ProcessEnv): Command {
  const identities = new Command('identities').description(
    'manage identities through the admin API (admin API key: TESSERA_ADMIN_API_KEY)',
  );

  identities
    .command('list')
    .description('list identities, one page at a time')
    .option('--page-size <n>', 'identities per page', '250')
    .option('--page-token <token>', 'continue after a previous page')
    .addOption(endpointOption())
    .addOption(formatOption())
    .action(
      action(async (options: Common & { pageSize: string; pageToken?: string }) => {
        const query = new URLSearchParams({ page_size: options.pageSize });
        if (options.pageToken) query.set('page_token', options.pageToken);
        const { status, body } = await clientFor(options, env).request('GET', `identities?${query}`);
        if (status !== 200) throw new AdminApiError(failure(status, body));
        print(body as IdentityRow[], options.format, false);
      }),
    );

  identities
    .command('get')
    .description('show identities by id')
    .argument('<id...>', 'identity ids')
    .addOption(endpointOption())
    .addOption(formatOption())
    .action(
      action(async (ids: string[], options: Common) => {
        const client = clientFor(options, env);
        const found: IdentityRow[] = [];
        for (const id of ids) {
          const { status, body } = await client.request('GET', `identities/${encodeURIComponent(id)}`);
          if (status !== 200) throw new AdminApiError(`${id}: ${failure(status, body)}`);
          found.push(body as IdentityRow);
        }
        print(found, options.format, ids.length === 1);
      }),
    );

  identities
    .command('delete')
    .description('delete identities by id')
    .argument('<id...>', 'identity ids')
    .addOption(endpointOption())
    .action(
      action(async (ids: string[], options: Common) => {
        const client = clientFor(options, env);
        for (const id of ids) {
          const { status, body } = await client.request('DELETE', `identities/${encodeURIComponent(id)}`);
          if (status !== 204) throw new AdminApiError(`${id}: ${failure(status, body)}`);
          process.stdout.write(`${id}\n`);
        }
      }),
    );

  identities
    .command('import')
    .description('create identities from JSON files (one identity or an array each)')
    .argument('<file...>', 'files holding createIdentityBody JSON')
    .addOption(endpointOption())
    .addOption(formatOption())
    .action(
      action(async (files: string[], options: Common) => {
        const client = clientFor(options, env);
        const created: IdentityRow[] = [];
        for (const file of files) {
          const parsed = JSON.parse(await readFile(file, 'utf8')) as unknown;
          for (const input of Array.isArray(parsed) ? parsed : [parsed]) {
            const { status, body } = await client.request('POST', 'identities', input);
            if (status !== 201) throw new AdminApiError(`${file}: ${failure(status, body)}`);
            created.push(body as IdentityRow);
          }
        }
        print(created, options.format, created.length === 1);
      }),
    );

  return identities;
}
