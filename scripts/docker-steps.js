#!/usr/bin/env node
// Runs docker/Dockerfile's own steps where no Docker engine is available, then starts the result as
// docker/docker-compose.yml does: `migrate` first, then `tessera` with the compose file's
// environment (its DSN pointing at a fresh PostgreSQL schema here, no Redis, no SMTP).
//
//   TEST_DATABASE_POSTGRES=postgres://postgres@127.0.0.1:5432/test node scripts/docker-steps.js [--keep]
//
// Each stage gets a clean folder standing for its filesystem root; WORKDIR, COPY (from the build
// context, honouring docker/Dockerfile.dockerignore, or --from a stage), RUN (sh -c, in WORKDIR),
// ENV and ARG are carried out as written. An instruction it does not know stops it. What it cannot
// do: pull the base image (the host's node and npm stand in for it) and switch to USER (it checks
// that the final user is not root; `chown` to a user this host lacks is recorded, not done).
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, matchesGlob, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { parse as parseYaml } from 'yaml';

const root = new URL('..', import.meta.url).pathname;
const dockerfile = join(root, 'docker/Dockerfile');
const keep = process.argv.includes('--keep');
const started = Date.now();
const log = (line) =>
  process.stdout.write(`[docker-steps +${((Date.now() - started) / 1000).toFixed(1)}s] ${line}\n`);

/** Dockerfile instructions, continuation lines joined, comments and parser directives dropped. */
function parseDockerfile(text) {
  const lines = text.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
  return lines
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [, op, rest] = /^(\S+)\s+(.*)$/.exec(line) ?? [];
      if (!op) throw new Error(`cannot read Dockerfile line: ${line}`);
      return { op: op.toUpperCase(), args: rest.replace(/\s+/g, ' ').trim() };
    });
}

const expand = (value, vars) =>
  value.replace(/\$\{(\w+)(?::-([^}]*))?\}|\$(\w+)/g, (_, a, fallback, b) => vars[a ?? b] ?? fallback ?? '');

/** `k=v k2="v 2"` (ENV, ARG) */
function assignments(args) {
  return [...args.matchAll(/(\w+)=("[^"]*"|\S*)/g)].map(([, key, value]) => [
    key,
    value.replace(/^"|"$/g, ''),
  ]);
}

function splitFlags(args) {
  const flags = {};
  const words = [];
  for (const word of args.split(' ')) {
    const flag = /^--([\w-]+)=(.*)$/.exec(word);
    if (flag && words.length === 0) flags[flag[1]] = flag[2];
    else words.push(word);
  }
  return { flags, words };
}

function dockerignore() {
  const file = `${dockerfile}.dockerignore`;
  const patterns = readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  return (path) => patterns.some((p) => matchesGlob(path, p) || matchesGlob(path, `${p}/**`));
}

/** A container path inside a stage's folder. */
const inStage = (stageRoot, path) => join(stageRoot, path);

function copy(step, stage, stages, ignored) {
  const { flags, words } = splitFlags(step.args);
  const dest = words.pop();
  const from = flags.from ? stages.get(flags.from) : undefined;
  if (flags.from && !from) throw new Error(`COPY --from=${flags.from}: no such stage`);
  const target = dest.startsWith('/') ? inStage(stage.root, dest) : join(stage.root, stage.workdir, dest);
  for (const source of words) {
    const path = from ? inStage(from.root, source) : join(root, source);
    if (!existsSync(path)) throw new Error(`COPY ${source}: not found`);
    const into = dest.endsWith('/') ? join(target, source.split('/').pop()) : target;
    mkdirSync(dirname(into), { recursive: true });
    cpSync(path, into, {
      recursive: true,
      filter: (p) => from !== undefined || !ignored(relative(root, p)),
    });
  }
  if (flags.chown) stage.chowns.push(`${flags.chown} ${dest}`);
}

/** `chown` to users this host lacks (the image's `node`) is recorded instead of failing the RUN. */
function chownShim(dir) {
  const path = join(dir, 'chown');
  writeFileSync(path, '#!/bin/sh\necho "chown $* (recorded: the user exists in the image only)"\n');
  chmodSync(path, 0o755);
  return dir;
}

function runStages(steps, workRoot) {
  const stages = new Map();
  const ignored = dockerignore();
  const args = {};
  const shim = chownShim(mkdtempSync(join(tmpdir(), 'docker-steps-shim-')));
  let stage;
  for (const step of steps) {
    const vars = { ...args, ...(stage?.env ?? {}) };
    const text = expand(step.args, vars);
    switch (step.op) {
      case 'ARG':
        for (const [key, value] of assignments(text)) if (!stage) args[key] = value;
        break;
      case 'FROM': {
        const [image, , name] = text.split(' ');
        stage = {
          name: name ?? String(stages.size),
          image,
          root: join(workRoot, name ?? String(stages.size)),
        };
        Object.assign(stage, { workdir: '/', env: {}, user: 'root', chowns: [], entrypoint: [], cmd: [] });
        mkdirSync(stage.root, { recursive: true });
        stages.set(stage.name, stage);
        log(`stage ${stage.name} (${image}: the host's node ${process.version} stands in)`);
        break;
      }
      case 'WORKDIR':
        stage.workdir = text.startsWith('/') ? text : join(stage.workdir, text);
        mkdirSync(join(stage.root, stage.workdir), { recursive: true });
        break;
      case 'ENV':
        for (const [key, value] of assignments(text)) stage.env[key] = value;
        break;
      case 'COPY':
        log(`COPY ${text}`);
        copy({ args: text }, stage, stages, ignored);
        break;
      case 'RUN':
        log(`RUN ${text}`);
        execFileSync('sh', ['-c', text], {
          cwd: join(stage.root, stage.workdir),
          env: { ...process.env, ...stage.env, PATH: `${shim}:${process.env.PATH}` },
          stdio: 'inherit',
        });
        break;
      case 'USER':
        stage.user = text;
        break;
      case 'ENTRYPOINT':
        stage.entrypoint = JSON.parse(text);
        break;
      case 'CMD':
        stage.cmd = JSON.parse(text);
        break;
      case 'HEALTHCHECK':
        stage.healthcheck = JSON.parse(text.slice(text.indexOf('CMD ') + 4));
        break;
      case 'EXPOSE':
      case 'VOLUME':
      case 'LABEL':
        break;
      default:
        throw new Error(`docker-steps does not know ${step.op}: teach it before using it`);
    }
  }
  rmSync(shim, { recursive: true, force: true });
  return stage;
}

async function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function freshSchema(url) {
  const schema = `docker_steps_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`CREATE SCHEMA ${schema}`);
  await client.end();
  const dsn = new URL(url);
  dsn.searchParams.set('options', `-c search_path=${schema}`);
  return { dsn: dsn.href, drop: () => dropSchema(url, schema) };
}

async function dropSchema(url, schema) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`DROP SCHEMA ${schema} CASCADE`);
  await client.end();
}

/** The container's command line, its absolute paths moved into the stage's folder. */
const hostCommand = (stage, argv) =>
  argv.map((arg) =>
    arg.startsWith('/') && existsSync(inStage(stage.root, arg)) ? inStage(stage.root, arg) : arg,
  );

function checkImage(stage) {
  if (['root', '0', '0:0'].includes(stage.user)) throw new Error('the final stage runs as root');
  // Production dependencies only: nothing the lockfile marks dev-only may be in the image.
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  const devOnly = Object.entries(lock.packages).filter(([path, entry]) => path && entry.dev);
  const present = devOnly.filter(([path]) => existsSync(join(stage.root, stage.workdir, path)));
  if (present.length > 0)
    throw new Error(`dev-only packages in the image: ${present.map(([p]) => p).join(', ')}`);
  if (devOnly.length === 0) throw new Error('package-lock.json marks no package dev-only: cannot check');
  if (!stage.healthcheck) throw new Error('the final stage has no HEALTHCHECK');
  log(
    `final stage: USER ${stage.user}, none of ${devOnly.length} dev-only packages, HEALTHCHECK ${stage.healthcheck.join(' ')}`,
  );
}

async function waitReady(urls, child, output) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`tessera exited with ${child.exitCode}:\n${output()}`);
    const ready = await Promise.all(
      urls.map((u) =>
        fetch(`${u}/health/ready`).then(
          (r) => r.ok,
          () => false,
        ),
      ),
    );
    if (ready.every(Boolean)) return;
    await sleep(200);
  }
  throw new Error(`tessera did not become ready:\n${output()}`);
}

async function main() {
  const postgres = process.env.TEST_DATABASE_POSTGRES;
  if (!postgres)
    throw new Error('set TEST_DATABASE_POSTGRES=postgres://… (the image is started on PostgreSQL)');
  const compose = parseYaml(readFileSync(join(root, 'docker/docker-compose.yml'), 'utf8'));
  const workRoot = mkdtempSync(join(tmpdir(), 'tessera-docker-steps-'));
  log(`building in ${workRoot}`);
  const runtime = runStages(parseDockerfile(readFileSync(dockerfile, 'utf8')), workRoot);
  log('build steps done');
  checkImage(runtime);

  const database = await freshSchema(postgres);
  const [publicPort, adminPort] = [await freePort(), await freePort()];
  // The compose file's environment, but for the addresses of its other containers.
  const {
    DSN: _,
    REDIS_URL: __,
    COURIER_SMTP_CONNECTION_URI: ___,
    ...composeEnv
  } = compose['x-tessera'].environment;
  const env = {
    PATH: process.env.PATH,
    ...runtime.env,
    ...composeEnv,
    DSN: database.dsn,
    SERVE_PUBLIC_PORT: String(publicPort),
    SERVE_ADMIN_PORT: String(adminPort),
  };
  const cwd = join(runtime.root, runtime.workdir);
  const [node, ...entry] = hostCommand(runtime, runtime.entrypoint);
  const command = (service) => compose.services[service].command ?? runtime.cmd;
  let child;
  try {
    log(`migrate: ${runtime.entrypoint.join(' ')} ${command('migrate').join(' ')}`);
    execFileSync(node, [...entry, ...command('migrate')], { cwd, env, stdio: 'inherit' });
    log(`serve: ${runtime.entrypoint.join(' ')} ${command('tessera').join(' ')}`);
    let output = '';
    child = spawn(node, [...entry, ...command('tessera')], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    const urls = [`http://127.0.0.1:${publicPort}`, `http://127.0.0.1:${adminPort}`];
    await waitReady(urls, child, () => output);
    log(`ready: ${urls.map((u) => `${u}/health/ready`).join(', ')} answer 200`);
    const [hcNode, ...hcArgs] = hostCommand(runtime, runtime.healthcheck);
    execFileSync(hcNode, hcArgs, { cwd, env, stdio: 'inherit' });
    log('HEALTHCHECK exits 0');
  } finally {
    child?.kill('SIGTERM');
    await database.drop();
    if (!keep) rmSync(workRoot, { recursive: true, force: true });
  }
  log('passed');
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  main().catch((error) => {
    process.stderr.write(`docker-steps failed: ${error.stack ?? error}\n`);
    process.exit(1);
  });
}
