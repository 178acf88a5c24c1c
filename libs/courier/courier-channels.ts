import { ConfigError } from '../config/index.js';
import type { CourierMessageEntity } from './courier-message.entity.js';
import type { CourierOptions, HttpRequestConfig } from './courier.options.js';
import { readTemplateUri } from './courier-templates.js';
import { Jsonnet, type JsonnetProgram, JsonnetSyntaxError } from '../jsonnet/index.js';
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
    const jsonnet = new Jsonnet();
    const http = async (config: HttpRequestConfig | undefined, key: string) => {
      if (!config) return undefined;
      try {
        return new HttpChannel(config, await requestBody(jsonnet, config, key, options.cwd));
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

/** The schema's default body: Kratos' default Jsonnet, used when none is configured. */
const KRATOS_DEFAULT_BODY =
  'base64://ZnVuY3Rpb24oY3R4KSB7CiAgcmVjaXBpZW50OiBjdHgucmVjaXBpZW50LAogIHRlbXBsYXRlX3R5cGU6IGN0eC50ZW1wbGF0ZV90eXBlLAogIHRvOiBpZiAidGVtcGxhdGVfZGF0YSIgaW4gY3R4ICYmICJ0byIgaW4gY3R4LnRlbXBsYXRlX2RhdGEgdGhlbiBjdHgudGVtcGxhdGVfZGF0YS50byBlbHNlIG51bGwsCiAgcmVjb3ZlcnlfY29kZTogaWYgInRlbXBsYXRlX2RhdGEiIGluIGN0eCAmJiAicmVjb3ZlcnlfY29kZSIgaW4gY3R4LnRlbXBsYXRlX2RhdGEgdGhlbiBjdHgudGVtcGxhdGVfZGF0YS5yZWNvdmVyeV9jb2RlIGVsc2UgbnVsbCwKICByZWNvdmVyeV91cmw6IGlmICJ0ZW1wbGF0ZV9kYXRhIiBpbiBjdHggJiYgInJlY292ZXJ5X3VybCIgaW4gY3R4LnRlbXBsYXRlX2RhdGEgdGhlbiBjdHgudGVtcGxhdGVfZGF0YS5yZWNvdmVyeV91cmwgZWxzZSBudWxsLAogIHZlcmlmaWNhdGlvbl91cmw6IGlmICJ0ZW1wbGF0ZV9kYXRhIiBpbiBjdHggJiYgInZlcmlmaWNhdGlvbl91cmwiIGluIGN0eC50ZW1wbGF0ZV9kYXRhIHRoZW4gY3R4LnRlbXBsYXRlX2RhdGEudmVyaWZpY2F0aW9uX3VybCBlbHNlIG51bGwsCiAgdmVyaWZpY2F0aW9uX2NvZGU6IGlmICJ0ZW1wbGF0ZV9kYXRhIiBpbiBjdHggJiYgInZlcmlmaWNhdGlvbl9jb2RlIiBpbiBjdHgudGVtcGxhdGVfZGF0YSB0aGVuIGN0eC50ZW1wbGF0ZV9kYXRhLnZlcmlmaWNhdGlvbl9jb2RlIGVsc2UgbnVsbCwKICBzdWJqZWN0OiBjdHguc3ViamVjdCwKICBib2R5OiBjdHguYm9keQp9Cg==';

/**
 * The request body, as Kratos builds it: Jsonnet (`file://`, `base64://`, `https://`) called with
 * `ctx`, compiled once at start; Kratos' own default when none is set. A body that does not compile
 * stops the start with a line naming the key and the place.
 */
async function requestBody(
  jsonnet: Jsonnet,
  config: HttpRequestConfig,
  key: string,
  cwd: string,
): Promise<JsonnetProgram> {
  const uri = config.body || KRATOS_DEFAULT_BODY;
  const source = await readTemplateUri(uri, key, cwd);
  try {
    return jsonnet.compile(source, key);
  } catch (error) {
    if (error instanceof JsonnetSyntaxError) throw new Error(`${key}: ${error.message}`, { cause: error });
    throw error;
  }
}
