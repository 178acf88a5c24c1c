import type { CourierMessageEntity } from './courier-message.entity.js';
import type { HttpRequestConfig } from './courier.options.js';
import { escapeJsonString, type GoTemplate } from './go-template.js';

/** `RecoveryURL` → `recovery_url`: the model's Go names as Kratos marshals them to JSON. */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

/** What a body template sees, named like the `ctx` of Kratos' Jsonnet body. */
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

/** The payload of Kratos' default Jsonnet body, produced without Jsonnet. */
export function defaultHttpBody(ctx: Record<string, unknown>): Record<string, unknown> {
  const data = ctx['template_data'] as Record<string, unknown>;
  const pick = (key: string) => data[key] ?? null;
  return {
    recipient: ctx['recipient'],
    template_type: ctx['template_type'],
    to: pick('to'),
    recovery_code: pick('recovery_code'),
    recovery_url: pick('recovery_url'),
    verification_url: pick('verification_url'),
    verification_code: pick('verification_code'),
    subject: ctx['subject'],
    body: ctx['body'],
  };
}

/** An HTTP request per message (SMS, or email with `delivery_strategy: http`); any 2xx is success. */
export class HttpChannel {
  constructor(
    private readonly config: HttpRequestConfig,
    private readonly bodyTemplate: GoTemplate | undefined,
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
    const body = this.bodyTemplate
      ? this.bodyTemplate.render(ctx, escapeJsonString)
      : JSON.stringify(defaultHttpBody(ctx));
    const response = await fetch(url, {
      method: this.config.method,
      headers,
      body: hasBody ? body : undefined,
      signal: AbortSignal.timeout(30_000),
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
}
