import { ApiError } from '../../errors/index.js';
import { type WebHookCall } from './background-web-hooks.js';
import { TRIGGER_ID_HEADER } from './web-hook-delivery.js';

type Auth =
  | { type: 'api_key'; config: { name: string; value: string; in?: 'header' | 'cookie' } }
  | { type: 'basic_auth'; config: { user: string; password: string } };

/** A `web_hook` entry's `config`, as the configuration schema already checked it. */
export interface WebHookConfig {
  id?: string;
  url: string;
  method: string;
  body: string;
  headers: Record<string, string>;
  auth?: Auth;
  ignore: boolean;
  parse: boolean;
  canInterrupt: boolean;
  emitAnalyticsEvent: boolean;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function parseWebHookConfig(raw: Record<string, unknown>): WebHookConfig {
  const response = isObject(raw['response']) ? raw['response'] : {};
  const headers = isObject(raw['headers'])
    ? Object.fromEntries(Object.entries(raw['headers']).map(([k, v]) => [k, String(v)]))
    : {};
  return {
    ...(typeof raw['id'] === 'string' ? { id: raw['id'] } : {}),
    url: String(raw['url'] ?? ''),
    method: String(raw['method'] ?? 'POST').toUpperCase(),
    body: typeof raw['body'] === 'string' ? raw['body'] : '',
    headers,
    ...(isObject(raw['auth']) ? { auth: raw['auth'] as unknown as Auth } : {}),
    ignore: response['ignore'] === true,
    parse: response['parse'] === true,
    canInterrupt: raw['can_interrupt'] === true,
    emitAnalyticsEvent: raw['emit_analytics_event'] !== false,
  };
}

function headerNamed(headers: Record<string, string>, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : headers[key];
}

/** The template's output as the body: JSON, or a flat object form-encoded; anything else is refused. */
function encodeBody(contentType: string, value: unknown): string {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json') return JSON.stringify(value);
  if (type === 'application/x-www-form-urlencoded') {
    if (!isObject(value)) throw bodyError('the form body must be an object');
    const form = new URLSearchParams();
    for (const [key, field] of Object.entries(value)) {
      if (Array.isArray(field)) for (const item of field) form.append(key, String(item));
      else form.append(key, typeof field === 'string' ? field : JSON.stringify(field));
    }
    return form.toString();
  }
  throw bodyError(`the content type ${contentType} is not supported`);
}

function bodyError(detail: string): ApiError {
  return new ApiError(500, { reason: `The web hook request could not be built: ${detail}.` });
}

/** The call: headers with Content-Type (default JSON), auth, analytics ids, the encoded body. */
export function buildCall(
  config: WebHookConfig,
  input: { body: unknown; timeoutMs: number; triggerId?: string },
): WebHookCall {
  const headers: Record<string, string> = { ...config.headers };
  const contentType = headerNamed(headers, 'content-type') ?? 'application/json';
  if (headerNamed(headers, 'content-type') === undefined) headers['Content-Type'] = contentType;
  const auth = config.auth;
  if (auth?.type === 'basic_auth') {
    const pair = `${auth.config.user}:${auth.config.password}`;
    headers['Authorization'] = `Basic ${Buffer.from(pair).toString('base64')}`;
  } else if (auth?.type === 'api_key') {
    if (auth.config.in === 'cookie') {
      const cookie = `${auth.config.name}=${auth.config.value}`;
      const existing = headerNamed(headers, 'cookie');
      headers['Cookie'] = existing ? `${existing}; ${cookie}` : cookie;
    } else headers[auth.config.name] = auth.config.value;
  }
  if (input.triggerId) headers[TRIGGER_ID_HEADER] = input.triggerId;
  return {
    url: config.url,
    method: config.method,
    headers,
    ...(input.body !== undefined ? { body: encodeBody(contentType, input.body) } : {}),
    timeoutMs: input.timeoutMs,
    ...(config.id ? { hookId: config.id } : {}),
  };
}
