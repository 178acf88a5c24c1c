import { randomBytes } from 'node:crypto';
import type { FrontendApi, IdentityApi } from '@ory/kratos-client';
import { CookieJar } from './cookie-jar.js';
import { sharedDsn } from './courier-e2e.js';
import { frontendApi, identityApi } from './self-service.js';
import { startTessera, type TesseraProcess } from './tessera-process.js';

/**
 * Several `tessera serve` processes on one fresh PostgreSQL schema and one Redis, as a load
 * balancer would see them. Every replica is told the same public base URL, so cookie names
 * (the CSRF cookie's is derived from it), flow action URLs and redirects are identical whichever
 * replica answers; a client sends each request to the next replica by swapping the origin.
 */

/** The public URL every replica claims as its own; nothing listens there, requests are re-aimed. */
export const SHARED_BASE_URL = 'http://127.0.0.1:4433/';

/** `--dev` draws a random cookie secret per process: replicas must be given the same ones. */
export const CLUSTER_SECRETS = {
  SECRETS_DEFAULT: '["cluster-default-secret-0123456789"]',
  SECRETS_COOKIE: '["cluster-cookie-secret-0123456789"]',
  SECRETS_CIPHER: '["cluster-cipher-secret-0123456789"]', // 32 characters, as AES-256 wants
};

export interface Cluster {
  replicas: TesseraProcess[];
  dsn: string;
  /** The SDK aimed at replica `i` (statuses never throw). */
  frontend(i: number): FrontendApi;
  identities(i: number): IdentityApi;
  /** `url` (any replica's or the shared base URL) re-aimed at replica `i`. */
  on(i: number, url: string): string;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  count?: number;
  env?: Record<string, string>;
  args?: string[];
}

export async function startCluster({
  count = 3,
  env = {},
  args = [],
}: ClusterOptions = {}): Promise<Cluster> {
  const redisUrl = process.env['TEST_REDIS_URL'];
  if (!redisUrl || !process.env['TEST_DATABASE_POSTGRES'])
    throw new Error('startCluster needs TEST_DATABASE_POSTGRES and TEST_REDIS_URL');
  const { dsn } = await sharedDsn();
  const shared = {
    ...CLUSTER_SECRETS,
    REDIS_URL: redisUrl,
    // The courier's queue is per cluster: another run's workers must not take its jobs.
    COURIER_QUEUE_PREFIX: `cluster-${randomBytes(4).toString('hex')}`,
    SERVE_PUBLIC_BASE_URL: SHARED_BASE_URL,
    ...env,
  };
  const replicas: TesseraProcess[] = [];
  try {
    // The first applies the migrations; the others then find them applied and boot side by side.
    replicas.push(await startTessera({ dsn, env: shared, args }));
    const others = await Promise.allSettled(
      Array.from({ length: count - 1 }, () => startTessera({ dsn, env: shared, args })),
    );
    for (const started of others) if (started.status === 'fulfilled') replicas.push(started.value);
    const failed = others.find((started) => started.status === 'rejected');
    if (failed) throw failed.reason;
  } catch (error) {
    await Promise.all(replicas.map((replica) => replica.stop()));
    throw error;
  }
  const at = (i: number) => {
    const replica = replicas[i % replicas.length];
    if (!replica) throw new Error(`no replica ${i}`);
    return replica;
  };
  return {
    replicas,
    dsn,
    frontend: (i) => frontendApi(at(i).publicUrl),
    identities: (i) => identityApi(at(i).adminUrl),
    on: (i, url) => reaim(url, at(i).publicUrl),
    stop: async () => {
      await Promise.all(replicas.map((replica) => replica.stop()));
    },
  };
}

function reaim(url: string, origin: string): string {
  const target = new URL(url, origin);
  const to = new URL(origin);
  target.protocol = to.protocol;
  target.host = to.host;
  return target.href;
}

/**
 * One browser behind a load balancer that deals requests round-robin: one cookie jar (cookies
 * are per host, not per port, so a browser would send them to every replica), each request to the
 * next replica. `served` records which replica answered each request.
 */
export class RoundRobinBrowser {
  readonly jar = new CookieJar();
  readonly served: number[] = [];
  private turn = 0;

  constructor(
    private readonly cluster: Cluster,
    start = 0,
  ) {
    this.turn = start;
  }

  /** The replica the next request goes to. */
  get next(): number {
    return this.turn % this.cluster.replicas.length;
  }

  fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const replica = this.next;
    this.turn += 1;
    this.served.push(replica);
    return this.jar.fetch(this.cluster.on(replica, url), init);
  }

  /** A page load (Accept: text/html), redirects not followed. */
  open(url: string): Promise<Response> {
    return this.fetch(url, { headers: { Accept: 'text/html' } });
  }

  /** What a UI does to render a flow: its JSON, read with the browser's cookies. */
  async readJson<T = Record<string, unknown>>(url: string): Promise<{ status: number; body: T }> {
    const response = await this.fetch(url, { headers: { Accept: 'application/json' } });
    return { status: response.status, body: (await response.json()) as T };
  }

  /**
   * Follows a link to a flow's init endpoint (`initUrl`, by default `/self-service/<kind>/browser`)
   * to the UI it redirects to, then reads the flow as that UI does: two requests, two replicas.
   */
  async startFlow<T>(
    kind: 'login' | 'registration' | 'settings',
    initUrl = `/self-service/${kind}/browser`,
  ): Promise<{ ui: URL; flow: T }> {
    const started = await this.open(initUrl);
    if (started.status !== 303) throw new Error(`${initUrl} answered ${started.status}, not 303`);
    const ui = new URL(started.headers.get('location')!);
    const read = await this.readJson<T>(`/self-service/${kind}/flows?id=${ui.searchParams.get('flow')}`);
    if (read.status !== 200) throw new Error(`reading the ${kind} flow: ${JSON.stringify(read.body)}`);
    return { ui, flow: read.body };
  }

  /** A SPA's JSON post with the browser's cookies. */
  postJson(action: string, body: unknown): Promise<Response> {
    return this.fetch(action, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
    });
  }

  /** A server-rendered form's post. */
  postForm(action: string, fields: Record<string, string> | string): Promise<Response> {
    return this.fetch(action, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/html' },
      body: typeof fields === 'string' ? fields : new URLSearchParams(fields).toString(),
    });
  }
}

/** API calls dealt round-robin: `next()` is the SDK aimed at the next replica. */
export function roundRobinFrontend(cluster: Cluster, start = 0): { next(): FrontendApi; served: number[] } {
  let turn = start;
  const served: number[] = [];
  return {
    served,
    next() {
      const replica = turn++ % cluster.replicas.length;
      served.push(replica);
      return cluster.frontend(replica);
    },
  };
}

/**
 * Client addresses for X-Forwarded-For from a random /16 of 198.18.0.0/15: brute-force counters
 * live in a Redis that other runs share, so a run never reuses the addresses of the one before.
 */
export function randomClientAddresses(): () => string {
  const base = `198.${18 + (randomBytes(1)[0]! & 1)}.${randomBytes(1)[0]!}`;
  let next = 0;
  return () => {
    const n = next++;
    return `${base}.${(n % 250) + 1}`;
  };
}
