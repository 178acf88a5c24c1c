import { outboundFetch } from '../http-client/index.js';
import type { JsonnetProgram } from '../jsonnet/index.js';
import type { CourierMessageEntity } from './courier-message.entity.js';
import type { HttpRequestConfig } from './courier.options.js';

/** `RecoveryURL` → `recovery_url`: the model's Go names as Kratos marshals them to JSON. */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

/** The `ctx` a Jsonnet request body is called with, as Kratos passes it. */
export function httpContext(message: CourierMessageEntity): Record<string, unknown> {
  const templateData = Object.fromEntries(
    Object.entries(message.templateData ?? {}).map(([key, value]) => [snakeCase(key), value]),
  );
  return {
    recipient: message.recipient,
    template_type: message.templateType,
    template_data: templateData,
    subject: message.subject,
    body: message.body,
    ...(message.bodyHtml ? { html_body: message.bodyHtml } : {}),
    message_type: message.type,
  };
}

/** An HTTP request per message (SMS, or email with `delivery_strategy: http`); any 2xx is success. */
export class HttpChannel {
  constructor(
    private readonly config: HttpRequestConfig,
    private readonly body: JsonnetProgram,
  ) {}

  async send(message: CourierMessageEntity): Promise<void> {
    const ctx = httpContext(message);
    const headers: Record<string, string> = { ...this.config.headers };
    const url = new URL(this.config.url);
    const auth = this.config.auth;
    if (auth?.type === 'basic_auth') {
      headers['Authorization'] =
        `Basic ${Buffer.from(`${auth.config.user}:${auth.config.password}`).toString('base64')}`;
    } else if (auth?.type === 'api_key') {
      if (auth.config.in === 'cookie') headers['Cookie'] = `${auth.config.name}=${auth.config.value}`;
      else headers[auth.config.name] = auth.config.value;
    }
    const hasBody = !['GET', 'HEAD', 'DELETE'].includes(this.config.method);
    if (hasBody) headers['Content-Type'] ??= 'application/json';
    const body = hasBody ? this.render(ctx) : undefined;
    const response = await outboundFetch(url, {
      method: this.config.method,
      headers,
      body,
      timeoutMs: 30_000,
    });
    const text = await response.text().catch(() => '');
    if (response.status < 200 || response.status >= 300) {
      throw Object.assign(
        new Error(`HTTP ${response.status} from ${url.origin}${url.pathname}: ${text.slice(0, 200)}`),
        {
          code: `http_${response.status}`,
        },
      );
    }
  }

  /** The Jsonnet body, called with `ctx`; a failure is a failed dispatch, retried like any other. */
  private render(ctx: Record<string, unknown>): string {
    const result = this.body.evaluate({}, { ctx });
    if (!result.ok) {
      throw Object.assign(new Error(`request body: ${result.error.message}`), { code: 'jsonnet' });
    }
    return JSON.stringify(result.value);
  }
}
