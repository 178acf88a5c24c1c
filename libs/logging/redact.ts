export const REDACTED = '[redacted]';

/** Keys whose values are credentials whatever they hold. */
const SECRET_KEY =
  /password|passwd|secret|token|cookie|authori[sz]ation|hash|^code$|_code$|codes$|^dsn$|connection_uri|private_key|api_key|totp/i;

/**
 * Scrubs a log record: values under secret-looking keys, and any configured secret value found
 * inside a string. Cheap enough for every line; log records are small.
 */
export class Redactor {
  private readonly secrets: string[];

  constructor(secrets: readonly string[] = []) {
    this.secrets = [...new Set(secrets)].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
  }

  text(value: string): string {
    let out = value;
    for (const secret of this.secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    return out;
  }

  value(value: unknown, depth = 0): unknown {
    if (typeof value === 'string') return this.text(value);
    if (value === null || typeof value !== 'object' || depth > 8) return value;
    if (value instanceof Error) {
      return {
        type: value.name,
        message: this.text(value.message),
        stack: value.stack && this.text(value.stack),
      };
    }
    if (Array.isArray(value)) return value.map((item) => this.value(item, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] =
        SECRET_KEY.test(key) && item !== undefined && item !== null ? REDACTED : this.value(item, depth + 1);
    }
    return out;
  }
}
