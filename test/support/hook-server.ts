import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTessera, type TesseraProcess } from './tessera-process.js';

/** `function(ctx) ctx`: the receiver sees the whole context. */
export const ECHO_BODY = 'function(ctx) { ctx: ctx }';

export interface HookServer {
  tessera: TesseraProcess;
  publicUrl: string;
  adminUrl: string;
  dir: string;
  stop(): Promise<void>;
}

/** A web hook as Kratos configures it, with the echo body in `body.jsonnet` unless given. */
export function webHook(url: string, extra: Record<string, unknown> = {}) {
  return { hook: 'web_hook', config: { url, method: 'POST', body: 'file://body.jsonnet', ...extra } };
}

/** Tessera with `selfservice` (and more) from a config file, web hook bodies next to it. */
export async function startHookServer(
  config: Record<string, unknown>,
  files: Record<string, string> = {},
  env: Record<string, string> = {},
): Promise<HookServer> {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-hooks-'));
  writeFileSync(join(dir, 'body.jsonnet'), ECHO_BODY);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const file = join(dir, 'tessera.json');
  writeFileSync(file, JSON.stringify(config));
  const tessera = await startTessera({
    cwd: dir,
    args: ['-c', file],
    env: { SELFSERVICE_METHODS_PASSWORD_CONFIG_HAVEIBEENPWNED_ENABLED: 'false', ...env },
  });
  return {
    tessera,
    publicUrl: tessera.publicUrl,
    adminUrl: tessera.adminUrl,
    dir,
    stop: () => tessera.stop(),
  };
}

export async function json(
  url: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: Record<string, unknown>; ms: number }> {
  const started = Date.now();
  const response = await fetch(url, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { Accept: 'application/json', 'Content-Type': 'application/json', ...init.headers },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    ms: Date.now() - started,
  };
}
