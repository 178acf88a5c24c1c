import { Command } from 'commander';
import { generateAdminKey, hashAdminKey } from '../../libs/admin-auth/index.js';

/**
 * `tessera admin-key new`: a fresh admin API key and the entry that goes into
 * `serve.admin.api_keys`. Only the entry is configured; the key itself is shown once.
 */
export function adminKeyCommand(): Command {
  const command = new Command('admin-key').description('admin API keys (serve.admin.api_keys)');
  command
    .command('new')
    .description('print a new random admin API key and its serve.admin.api_keys entry')
    .option('--id <id>', 'a name for the key, shown in no log but useful to rotate it', 'admin')
    .action((options: { id: string }) => {
      const key = generateAdminKey();
      const entry = { id: options.id, hash: hashAdminKey(key) };
      process.stdout.write(
        [
          '# The key: give it to the admin API client (Authorization: Bearer <key>). It is shown only now.',
          key,
          '# Its entry under serve.admin.api_keys (the SHA-256 of the key; not a secret):',
          `- id: ${JSON.stringify(entry.id)}`,
          `  hash: ${entry.hash}`,
          '# or as an environment variable:',
          `SERVE_ADMIN_API_KEYS='${JSON.stringify([entry])}'`,
          '',
        ].join('\n'),
      );
    });
  return command;
}
