import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parse as parseYaml, parseAllDocuments, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../libs/config/index.js';

/**
 * What can be checked of charts/tessera without a `helm` binary: values against the schema, every
 * `.Values` path a template reads, template block structure, and the YAML skeleton of each
 * template (its actions replaced by a placeholder) with the hooks and wiring it declares.
 */
const REPO_ROOT = join(import.meta.dirname, '../../..');
const CHART = join(REPO_ROOT, 'charts/tessera');
const TEMPLATES = join(CHART, 'templates');
const read = (path: string) => readFileSync(path, 'utf8');

type Tree = Record<string, unknown>;
const values = parseYaml(read(join(CHART, 'values.yaml'))) as Tree;
const schema = JSON.parse(read(join(CHART, 'values.schema.json'))) as object;
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
const templateFiles = readdirSync(TEMPLATES).filter((f) => f.endsWith('.yaml') || f.endsWith('.tpl'));
const manifests = templateFiles.filter((f) => f.endsWith('.yaml'));
const allTemplates = templateFiles.map((f) => read(join(TEMPLATES, f))).join('\n');

/** Values with one change; `undefined` deletes the key. */
function withValue(path: string, value: unknown): Tree {
  const copy = structuredClone(values);
  const keys = path.split('.');
  const parent = keys.slice(0, -1).reduce<Tree>((node, key) => node[key] as Tree, copy);
  if (value === undefined) delete parent[keys.at(-1)!];
  else parent[keys.at(-1)!] = value;
  return copy;
}

/** A template as YAML: whole-line actions dropped, inline actions replaced by `X`. */
function skeleton(file: string): Tree[] {
  const text = read(join(TEMPLATES, file))
    .split('\n')
    .filter((line) => !/^\s*\{\{.*\}\}\s*$/.test(line))
    .map((line) => line.replace(/\{\{.*?\}\}/g, 'X'))
    .join('\n');
  return parseAllDocuments(text).map((doc) => {
    expect(doc.errors, `${file}: ${doc.errors.join('; ')}`).toEqual([]);
    return doc.toJS() as Tree;
  });
}
const kindOf = (kind: string, component?: string) =>
  manifests
    .flatMap(skeleton)
    .find(
      (doc) =>
        doc['kind'] === kind &&
        (!component ||
          (doc['metadata'] as { labels: Tree }).labels['app.kubernetes.io/component'] === component),
    )!;
const annotationsOf = (doc: Tree) => (doc['metadata'] as { annotations: Record<string, string> }).annotations;

describe('charts/tessera', () => {
  it('has a Chart.yaml of apiVersion v2 whose appVersion is the package version', () => {
    const chart = parseYaml(read(join(CHART, 'Chart.yaml'))) as Tree;
    const pkg = JSON.parse(read(join(REPO_ROOT, 'package.json'))) as { version: string };
    expect(chart).toMatchObject({ apiVersion: 'v2', name: 'tessera', appVersion: pkg.version });
    expect(chart['version']).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('ships values.yaml that values.schema.json accepts', () => {
    expect(validate(values), JSON.stringify(validate.errors)).toBe(true);
  });

  it('ships a tessera.config that Tessera loads without a warning, with the secrets the chart passes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-chart-'));
    const file = join(dir, 'tessera.yml');
    writeFileSync(file, stringify((values['tessera'] as Tree)['config']));
    const env = { DSN: 'postgres://tessera:pw@db:5432/tessera', SECRETS_COOKIE: '0123456789abcdef0123' };
    const loaded = loadConfig({ configFiles: [file], env, dev: false, cwd: dir });
    expect(loaded.warnings).toEqual([]);
    expect(() => loadConfig({ configFiles: [file], env: { DSN: env.DSN }, dev: false, cwd: dir })).toThrow();
  });

  it.each([
    ['a misspelt key', 'replicas', 3],
    ['a SQLite DSN (replicas cannot share it)', 'tessera.secrets.dsn', 'sqlite:///data/db.sqlite'],
    ['a cipher secret that is not 32 characters', 'tessera.secrets.cipher', ['too-short']],
    ['a cookie secret under 16 characters', 'tessera.secrets.cookie', ['short']],
    ['the DSN inside the plain config', 'tessera.config', { dsn: 'postgres://u:p@db/t' }],
    ['zero API replicas', 'replicaCount', 0],
    [
      'an ingress path without a slash',
      'ingress.hosts',
      [{ host: 'a', paths: [{ path: 'x', pathType: 'Prefix' }] }],
    ],
    ['a service type Kubernetes does not know', 'service.admin.type', 'Public'],
  ])('refuses %s', (_, path, value) => {
    expect(validate(withValue(path, value))).toBe(false);
  });

  it('reads only .Values paths that values.yaml defines', () => {
    const paths = [
      ...new Set([...allTemplates.matchAll(/\.Values((?:\.\w+)+)/g)].map((m) => m[1]!.slice(1))),
    ];
    expect(paths.length).toBeGreaterThan(40);
    const missing = paths.filter((path) => {
      let node: unknown = values;
      for (const key of path.split('.')) {
        if (typeof node !== 'object' || node === null || !(key in node)) return true;
        node = (node as Tree)[key];
      }
      return false;
    });
    expect(missing).toEqual([]);
  });

  it('uses every value it offers (no setting that does nothing)', () => {
    const FREE_FORM = [
      'tessera.config',
      'tessera.identitySchemas',
      'tessera.secrets',
      'resources',
      'podSecurityContext',
      'securityContext',
    ];
    const offered = Object.entries(values).flatMap(([key, value]) =>
      value && typeof value === 'object' && !Array.isArray(value) && !FREE_FORM.includes(key)
        ? Object.keys(value).map((sub) => `${key}.${sub}`)
        : [key],
    );
    const unused = offered.filter(
      (path) =>
        !FREE_FORM.some((free) => path.startsWith(`${free}.`)) && !allTemplates.includes(`.Values.${path}`),
    );
    expect(unused).toEqual([]);
  });

  it.each(templateFiles)('%s closes every action and block it opens', (file) => {
    const text = read(join(TEMPLATES, file));
    expect(text.split('{{').length).toBe(text.split('}}').length);
    const actions = [...text.matchAll(/\{\{-?\s*(\w+)/g)].map((m) => m[1]);
    const opened = actions.filter((word) => ['if', 'range', 'with', 'define'].includes(word!)).length;
    expect(actions.filter((word) => word === 'end').length).toBe(opened);
  });

  it.each(manifests)('%s is a Kubernetes manifest once its actions are filled in', (file) => {
    for (const doc of skeleton(file)) {
      expect(doc).toMatchObject({ apiVersion: expect.any(String), kind: expect.any(String) });
      expect(doc['metadata']).toHaveProperty('name');
    }
  });

  it('migrates in a pre-install/pre-upgrade hook job, after the Secret it needs', () => {
    const job = kindOf('Job');
    const secret = kindOf('Secret');
    expect(annotationsOf(job)).toMatchObject({ 'helm.sh/hook': 'pre-install,pre-upgrade' });
    expect(annotationsOf(secret)['helm.sh/hook']).toBe('pre-install,pre-upgrade');
    expect(Number(annotationsOf(secret)['helm.sh/hook-weight'])).toBeLessThan(
      Number(annotationsOf(job)['helm.sh/hook-weight']),
    );
    const compose = parseYaml(read(join(REPO_ROOT, 'docker/docker-compose.yml'))) as {
      services: Record<string, { command: string[] }>;
    };
    const container = (job['spec'] as { template: { spec: { containers: { args: string[] }[] } } }).template
      .spec.containers[0]!;
    expect(container.args).toEqual(compose.services['migrate']!.command);
  });

  it('rolls the API out without losing capacity, probed on the health endpoints', () => {
    const api = kindOf('Deployment', 'api');
    expect(api['spec']).toMatchObject({ strategy: { rollingUpdate: { maxUnavailable: 0 } } });
    const [container] = (api['spec'] as { template: { spec: { containers: Tree[] } } }).template.spec
      .containers;
    expect(container).toMatchObject({
      args: ['serve', '-c', '/etc/tessera/tessera.yml'],
      readinessProbe: { httpGet: { path: '/health/ready', port: 'http-admin' } },
      livenessProbe: { httpGet: { path: '/health/alive', port: 'http-admin' } },
      lifecycle: { preStop: { exec: { command: ['sleep', 'X'] } } },
    });
    // The pause before SIGTERM and the server's own grace period both fit in the pod's.
    const grace = (values['tessera'] as { config?: { serve?: { shutdown?: { grace_period?: string } } } })
      .config?.serve?.shutdown?.grace_period;
    expect(grace ?? '30s').toBe('30s');
    expect(values['preStopSleepSeconds']).toBeGreaterThan(0);
    expect(values['terminationGracePeriodSeconds']).toBeGreaterThan(
      (values['preStopSleepSeconds'] as number) + 30,
    );
  });

  it('exposes only the public service through the ingress', () => {
    const [ingress] = skeleton('ingress.yaml');
    const backends = JSON.stringify(ingress).match(/"service":\{[^}]*\}[^}]*\}/g);
    expect(backends).toEqual(['"service":{"name":"X-public","port":{"name":"http-public"}}']);
    expect(JSON.stringify(ingress)).not.toContain('admin');
  });
});
