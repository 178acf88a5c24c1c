#!/usr/bin/env node
// `npm run bench`: numbers for tessera on this machine, not a pass/fail test. See --help.
import { writeFileSync } from 'node:fs';
import { describeMachine } from './lib/machine.js';
import { HELP, parseOptions } from './lib/options.js';
import { formatReport } from './lib/report.js';
import { benchDatabase } from './lib/suite.js';
import { argon2Baseline } from './scenarios/argon2.js';

const ARGON2_SECONDS = 3;

let options;
try {
  options = parseOptions(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${error.message}\n\n${HELP}\n`);
  process.exit(2);
}
if (options.help) {
  process.stdout.write(`${HELP}\n`);
  process.exit(0);
}

const machine = describeMachine();
process.stderr.write(`… argon2id alone, ${ARGON2_SECONDS} s\n`);
const argon2 = await argon2Baseline(options.createConnections, ARGON2_SECONDS);
const databases = {};
for (const kind of options.databases) databases[kind] = await benchDatabase(kind, options);

const { help: _help, ...settings } = options;
const results = { machine, settings, argon2, databases };
process.stdout.write(`${formatReport(results)}\n`);
if (options.json) {
  writeFileSync(options.json, `${JSON.stringify(results, null, 2)}\n`);
  process.stderr.write(`raw results written to ${options.json}\n`);
}
