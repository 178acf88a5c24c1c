import { type IncomingMessage } from 'node:http';
import { type TLSSocket } from 'node:tls';
import {
  loginFlowJson,
  registrationFlowJson,
  selfServiceFlowJson,
  settingsFlowJson,
} from '../../flow/index.js';
import {
  type LoginFlowEntity,
  type RegistrationFlowEntity,
  type SettingsFlowEntity,
  type WebHookData,
} from '../../flow/index.js';
import { type IdentityJson } from '../../identity/index.js';

/** Kratos' default `clients.web_hook.header_allowlist`. */
export const DEFAULT_HEADER_ALLOWLIST: readonly string[] = [
  'Accept',
  'Accept-Encoding',
  'Accept-Language',
  'Content-Length',
  'Content-Type',
  'Origin',
  'Priority',
  'Referer',
  'Sec-Ch-Ua',
  'Sec-Ch-Ua-Mobile',
  'Sec-Ch-Ua-Platform',
  'Sec-Fetch-Dest',
  'Sec-Fetch-Mode',
  'Sec-Fetch-Site',
  'Sec-Fetch-User',
  'True-Client-Ip',
  'User-Agent',
];

const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/** Go's textproto.CanonicalMIMEHeaderKey: `user-agent` → `User-Agent`. */
export function canonicalHeader(name: string): string {
  return name.toLowerCase().replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
}

/** The canonical names of an allow-list, made once per configured list. */
const allowedSets = new WeakMap<readonly string[], ReadonlySet<string>>();
/** Lower-cased header name → its canonical form; request header names are few. */
const canonicalNames = new Map<string, string>();

function allowedSet(allowlist: readonly string[]): ReadonlySet<string> {
  let allowed = allowedSets.get(allowlist);
  if (!allowed) {
    allowed = new Set(allowlist.map(canonicalHeader));
    allowedSets.set(allowlist, allowed);
  }
  return allowed;
}

function canonicalOf(name: string): string {
  let canonical = canonicalNames.get(name);
  if (canonical === undefined) {
    canonical = canonicalHeader(name);
    if (canonicalNames.size >= 1024) canonicalNames.clear();
    canonicalNames.set(name, canonical);
  }
  return canonical;
}

/** What the template learns about the request the flow is answering. */
export function requestFields(req: IncomingMessage | undefined, allowlist: readonly string[]) {
  if (!req) return { request_headers: {}, request_method: '', request_url: '', request_cookies: {} };
  const allowed = allowedSet(allowlist);
  const headers: Record<string, string[]> = {};
  // The raw name/value pairs, in order: what `headersDistinct` holds, without building it.
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const canonical = canonicalOf(raw[i]!);
    if (allowed.has(canonical)) (headers[canonical] ??= []).push(raw[i + 1]!);
  }
  return {
    request_headers: headers,
    request_method: req.method ?? '',
    request_url: absoluteUrl(req),
    request_cookies: cookiesOf(req),
  };
}

function first(value: string | string[] | undefined): string | undefined {
  const one = Array.isArray(value) ? value[0] : value;
  return one?.split(',')[0]?.trim() || undefined;
}

function absoluteUrl(req: IncomingMessage): string {
  const path = (req as { originalUrl?: string }).originalUrl ?? req.url ?? '/';
  const encrypted = (req.socket as TLSSocket | undefined)?.encrypted === true;
  const scheme = first(req.headers['x-forwarded-proto']) ?? (encrypted ? 'https' : 'http');
  const host = first(req.headers['x-forwarded-host']) ?? req.headers.host ?? '';
  return `${scheme}://${host}${path}`;
}

function cookiesOf(req: IncomingMessage): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at <= 0) continue;
    const name = part.slice(0, at).trim();
    let value = part.slice(at + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length > 1) value = value.slice(1, -1);
    if (name) cookies[name] = value;
  }
  return cookies;
}

/** The flow as the public API shows it (with `transient_payload` when the submission had one). */
export function flowFields(data: WebHookData, identity: IdentityJson | undefined): Record<string, unknown> {
  switch (data.kind) {
    case 'login':
      return loginFlowJson(data.flow as LoginFlowEntity);
    case 'registration':
      return registrationFlowJson(data.flow as RegistrationFlowEntity);
    case 'settings':
      return identity
        ? settingsFlowJson(data.flow as SettingsFlowEntity, identity)
        : { ...selfServiceFlowJson(data.flow), state: data.flow.state };
    default:
      return { ...selfServiceFlowJson(data.flow), state: data.flow.state };
  }
}

/** Registration before the write: the identity has no id yet (Kratos shows the nil UUID). */
export function unsavedIdentity(identity: IdentityJson): IdentityJson {
  return { ...identity, id: NIL_UUID };
}
