#!/usr/bin/env node
// Self time per function and per file (or package) from one or more .cpuprofile files written by
// `node --cpu-prof`: `node bench/profile-summary.js [--top 40] [--per <n>] file.cpuprofile…`.
// Functions of the bundle are named as written (through its source maps), not as minified.
// `--from ms` skips the samples of the first ms after the process started (start-up, warm-up).
// `--per n` divides every figure by n (e.g. the sign-ins the profile covered) to print ms per op.
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    top: { type: 'string', default: '40' },
    per: { type: 'string', default: '1' },
    from: { type: 'string', default: '0' },
  },
});
const top = Number(values.top);
const per = Number(values.per);
const fromUs = Number(values.from) * 1000;

/** node_modules/<package> or the path below dist/, so files group by what owns them. */
function owner(url) {
  if (!url) return '(native)';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const dist = url.indexOf('/dist/');
  if (dist >= 0) return url.slice(dist + '/dist/'.length);
  return url.replace(/^file:\/\//, '');
}

/** The bundle's source maps, by script URL: names and files as written, not as minified. */
const sourceMaps = new Map();
function sourceMapOf(url) {
  if (!url.startsWith('file://')) return null;
  if (!sourceMaps.has(url)) {
    const path = `${fileURLToPath(url)}.map`;
    sourceMaps.set(url, existsSync(path) ? new SourceMap(JSON.parse(readFileSync(path, 'utf8'))) : null);
  }
  return sourceMaps.get(url);
}

/** Where a sampled function was written: its source file (below the repository) and name. */
function origin({ functionName, url, lineNumber, columnNumber }) {
  const found = sourceMapOf(url)?.findOrigin(lineNumber + 1, columnNumber + 1);
  if (!found?.fileName)
    return { name: functionName, where: owner(url), at: `${owner(url)}:${lineNumber + 1}` };
  const file = found.fileName.replace(/^.*?\/((libs|apps|node_modules)\/)/, '$1');
  const where = file.startsWith('node_modules/') ? owner(file) : file;
  return {
    name: found.name ?? functionName,
    where,
    at: `${file.replace(/^node_modules\//, '')}:${found.lineNumber}`,
  };
}

const byFunction = new Map();
const byOwner = new Map();
let total = 0;
const add = (map, key, ms) => map.set(key, (map.get(key) ?? 0) + ms);

for (const file of positionals) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const selfMs = new Map();
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    if (at - profile.startTime < fromUs) continue;
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    selfMs.set(profile.samples[i], (selfMs.get(profile.samples[i]) ?? 0) + ms);
  }
  for (const node of profile.nodes) {
    const ms = selfMs.get(node.id) ?? 0;
    const { functionName } = node.callFrame;
    if (functionName === '(idle)' || functionName === '(program)') continue;
    total += ms;
    const { name, where, at } = origin(node.callFrame);
    add(byFunction, `${name || '(anonymous)'} ${at}`, ms);
    add(byOwner, where, ms);
  }
}

const print = (title, map) => {
  process.stdout.write(`\n${title}\n`);
  const rows = [...map].sort((a, b) => b[1] - a[1]).slice(0, top);
  for (const [key, ms] of rows) {
    process.stdout.write(
      `${(ms / per).toFixed(3).padStart(10)} ms ${((ms / total) * 100).toFixed(1).padStart(5)}%  ${key}\n`,
    );
  }
};
process.stdout.write(
  `busy (not idle) main-thread time: ${(total / per).toFixed(2)} ms${per === 1 ? '' : ' per op'}\n`,
);
print('self time by file or package', byOwner);
print('self time by function', byFunction);
