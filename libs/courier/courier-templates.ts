import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../config/index.js';
import { outboundFetch } from '../http-client/index.js';
import { BUILTIN_TEMPLATES, templateLocation, type TemplateSources } from './builtin-templates.js';
import { TEMPLATE_TYPES, type TemplateType } from './courier.port.js';
import { escapeHtml, GoTemplate, TemplateSyntaxError } from './go-template.js';

export interface TemplateOptions {
  /** `courier.template_override_path`: Kratos' directory layout. */
  overridePath?: string;
  /** `courier.templates` as configured. */
  configured?: Record<string, unknown>;
  cwd: string;
}

export interface RenderedMessage {
  subject: string;
  /** Plaintext body (the SMS text for `sms`). */
  body: string;
  /** HTML body; null for SMS. */
  bodyHtml: string | null;
}

interface CompiledTemplate {
  subject: GoTemplate;
  html: GoTemplate;
  plaintext: GoTemplate;
  sms: GoTemplate;
}

type Part = keyof TemplateSources;
const FILE_OF: Record<Part, string> = {
  subject: 'email.subject.gotmpl',
  html: 'email.body.gotmpl',
  plaintext: 'email.body.plaintext.gotmpl',
  sms: 'sms.body.gotmpl',
};
const CONFIG_KEY_OF: Record<Part, string[]> = {
  subject: ['email', 'subject'],
  html: ['email', 'body', 'html'],
  plaintext: ['email', 'body', 'plaintext'],
  sms: ['sms', 'body', 'plaintext'],
};

/** Every template compiled once, at start: an override that cannot be compiled stops the start. */
export class CourierTemplates {
  private constructor(private readonly compiled: Map<TemplateType, CompiledTemplate>) {}

  static async load(options: TemplateOptions): Promise<CourierTemplates> {
    const problems: string[] = [];
    const compiled = new Map<TemplateType, CompiledTemplate>();
    for (const type of TEMPLATE_TYPES) {
      const builtin = BUILTIN_TEMPLATES[type];
      const parts = {} as Record<Part, GoTemplate>;
      for (const part of Object.keys(FILE_OF) as Part[]) {
        const fallback = part === 'sms' ? (builtin.sms ?? builtin.plaintext) : builtin[part];
        let source: { text: string; origin: string } | undefined;
        try {
          source = (await configuredSource(type, part, options)) ?? overrideSource(type, part, options);
        } catch (error) {
          problems.push((error as Error).message);
          continue;
        }
        try {
          parts[part] = GoTemplate.compile(source?.text ?? fallback);
        } catch (error) {
          if (!(error instanceof TemplateSyntaxError)) throw error;
          problems.push(`${source?.origin ?? `built-in ${type} ${part}`}: ${error.message}`);
        }
      }
      compiled.set(type, parts);
    }
    if (problems.length > 0) throw new ConfigError(problems);
    return new CourierTemplates(compiled);
  }

  render(type: TemplateType, channel: 'email' | 'sms', model: Record<string, unknown>): RenderedMessage {
    const template = this.compiled.get(type)!;
    if (channel === 'sms') return { subject: '', body: template.sms.render(model).trim(), bodyHtml: null };
    return {
      subject: template.subject.render(model).replace(/\s+/g, ' ').trim(),
      body: template.plaintext.render(model),
      bodyHtml: template.html.render(model, escapeHtml),
    };
  }
}

async function configuredSource(
  type: TemplateType,
  part: Part,
  options: TemplateOptions,
): Promise<{ text: string; origin: string } | undefined> {
  const { group, validity } = templateLocation(type);
  const path = [group, validity, ...CONFIG_KEY_OF[part]];
  let cursor: unknown = options.configured;
  for (const key of path) cursor = (cursor as Record<string, unknown> | undefined)?.[key];
  if (typeof cursor !== 'string') return undefined;
  const key = `courier.templates.${path.join('.')}`;
  return { text: await readTemplateUri(cursor, key, options.cwd), origin: key };
}

function overrideSource(
  type: TemplateType,
  part: Part,
  options: TemplateOptions,
): { text: string; origin: string } | undefined {
  if (!options.overridePath) return undefined;
  const { group, validity } = templateLocation(type);
  const file = join(resolve(options.cwd, options.overridePath), group, validity, FILE_OF[part]);
  if (!existsSync(file)) return undefined;
  return { text: readFileSync(file, 'utf8'), origin: `courier.template_override_path (${file})` };
}

/** `file://`, `base64://` and `http(s)://` as Kratos reads them; anything else is the template itself. */
export async function readTemplateUri(value: string, key: string, cwd: string): Promise<string> {
  try {
    if (value.startsWith('base64://')) return Buffer.from(value.slice(9), 'base64').toString('utf8');
    if (value.startsWith('file://')) {
      const rest = value.slice(7);
      const path = rest.startsWith('/') ? fileURLToPath(value) : resolve(cwd, rest);
      return readFileSync(path, 'utf8');
    }
    if (/^https?:\/\//.test(value)) {
      const response = await outboundFetch(value, { timeoutMs: 10_000 });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return await response.text();
    }
    return value;
  } catch (error) {
    throw new Error(
      `${key}: cannot load template ${value} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      { cause: error },
    );
  }
}
