import { ConfigError } from '../config/index.js';
import type { CourierMessageEntity } from './courier-message.entity.js';
import type { CourierOptions, HttpRequestConfig } from './courier.options.js';
import { readTemplateUri } from './courier-templates.js';
import { GoTemplate, TemplateSyntaxError } from './go-template.js';
import { HttpChannel } from './http.channel.js';
import { SmtpChannel } from './smtp.channel.js';

export interface Channel {
  send(message: CourierMessageEntity): Promise<void>;
}

/** The configured ways out; a type without one is logged in `--dev` and left queued otherwise. */
export class CourierChannels {
  private constructor(
    readonly email: Channel | undefined,
    readonly sms: Channel | undefined,
    private readonly smtp: SmtpChannel | undefined,
  ) {}

  static async create(options: CourierOptions): Promise<CourierChannels> {
    const problems: string[] = [];
    const http = async (config: HttpRequestConfig | undefined, key: string) => {
      if (!config) return undefined;
      try {
        return new HttpChannel(config, await bodyTemplate(config, key, options.cwd));
      } catch (error) {
        problems.push((error as Error).message);
        return undefined;
      }
    };
    const smsChannel = await http(options.smsHttp, 'courier.channels[sms].request_config.body');
    const emailHttp = await http(options.emailHttp, 'courier.http.request_config.body');
    if (problems.length > 0) throw new ConfigError(problems);
    const smtp = !emailHttp && options.smtp ? new SmtpChannel(options.smtp) : undefined;
    return new CourierChannels(emailHttp ?? smtp, smsChannel, smtp);
  }

  for(message: CourierMessageEntity): Channel | undefined {
    return message.type === 'sms' ? this.sms : this.email;
  }

  close(): void {
    this.smtp?.close();
  }
}

/** The schema's default body: Kratos' default Jsonnet, whose payload `defaultHttpBody` writes. */
const KRATOS_DEFAULT_BODY =
  'base64://ZnVuY3Rpb24oY3R4KSB7CiAgcmVjaXBpZW50OiBjdHgucmVjaXBpZW50LAogIHRlbXBsYXRlX3R5cGU6IGN0eC50ZW1wbGF0ZV90eXBlLAogIHRvOiBpZiAidGVtcGxhdGVfZGF0YSIgaW4gY3R4ICYmICJ0byIgaW4gY3R4LnRlbXBsYXRlX2RhdGEgdGhlbiBjdHgudGVtcGxhdGVfZGF0YS50byBlbHNlIG51bGwsCiAgcmVjb3ZlcnlfY29kZTogaWYgInRlbXBsYXRlX2RhdGEiIGluIGN0eCAmJiAicmVjb3ZlcnlfY29kZSIgaW4gY3R4LnRlbXBsYXRlX2RhdGEgdGhlbiBjdHgudGVtcGxhdGVfZGF0YS5yZWNvdmVyeV9jb2RlIGVsc2UgbnVsbCwKICByZWNvdmVyeV91cmw6IGlmICJ0ZW1wbGF0ZV9kYXRhIiBpbiBjdHggJiYgInJlY292ZXJ5X3VybCIgaW4gY3R4LnRlbXBsYXRlX2RhdGEgdGhlbiBjdHgudGVtcGxhdGVfZGF0YS5yZWNvdmVyeV91cmwgZWxzZSBudWxsLAogIHZlcmlmaWNhdGlvbl91cmw6IGlmICJ0ZW1wbGF0ZV9kYXRhIiBpbiBjdHggJiYgInZlcmlmaWNhdGlvbl91cmwiIGluIGN0eC50ZW1wbGF0ZV9kYXRhIHRoZW4gY3R4LnRlbXBsYXRlX2RhdGEudmVyaWZpY2F0aW9uX3VybCBlbHNlIG51bGwsCiAgdmVyaWZpY2F0aW9uX2NvZGU6IGlmICJ0ZW1wbGF0ZV9kYXRhIiBpbiBjdHggJiYgInZlcmlmaWNhdGlvbl9jb2RlIiBpbiBjdHgudGVtcGxhdGVfZGF0YSB0aGVuIGN0eC50ZW1wbGF0ZV9kYXRhLnZlcmlmaWNhdGlvbl9jb2RlIGVsc2UgbnVsbCwKICBzdWJqZWN0OiBjdHguc3ViamVjdCwKICBib2R5OiBjdHguYm9keQp9Cg==';

/**
 * Kratos builds the request body with Jsonnet, which Tessera cannot run. A body here is a Go
 * template that writes JSON (values are JSON-escaped, so put them inside quotes); without one
 * the payload is what Kratos' default Jsonnet produces. A Jsonnet body is refused at start.
 */
async function bodyTemplate(
  config: HttpRequestConfig,
  key: string,
  cwd: string,
): Promise<GoTemplate | undefined> {
  if (!config.body || config.body === KRATOS_DEFAULT_BODY) return undefined;
  const source = await readTemplateUri(config.body, key, cwd);
  if (config.body.endsWith('.jsonnet') || /^\s*(function\s*\(|local\s)/.test(source)) {
    throw new Error(
      `${key}: Jsonnet bodies are not supported; use a Go template that writes JSON, or leave it unset for the default payload`,
    );
  }
  try {
    return GoTemplate.compile(source);
  } catch (error) {
    if (error instanceof TemplateSyntaxError) throw new Error(`${key}: ${error.message}`, { cause: error });
    throw error;
  }
}
