import { SignJWT } from 'jose';
import { ConfigError, ConfigService, parseDuration } from '../config/index.js';
import { ApiError } from '../errors/index.js';
import { Jsonnet, type JsonnetProgram } from '../jsonnet/index.js';
import { Clock } from '../persistence/index.js';
import { readSchemaSource } from '../schema/index.js';
import { type SessionEntity } from './session.entity.js';
import { buildClaims, type SubjectSource } from './tokenizer-claims.js';
import { signingKeyFromJwks, type TokenizerSigningKey } from './tokenizer-keys.js';

/** One `session.whoami.tokenizer.templates.<name>` entry (already schema-checked). */
interface TemplateConfig {
  ttl?: string;
  jwks_url: string;
  claims_mapper_url?: string;
  subject_source?: SubjectSource;
}

interface Template {
  ttlMs: number;
  subjectSource: SubjectSource;
  key: TokenizerSigningKey;
  mapper?: JsonnetProgram;
}

const TEMPLATES_KEY = 'session.whoami.tokenizer.templates';

async function loadTemplate(
  name: string,
  config: TemplateConfig,
  jsonnet: Jsonnet,
  cwd: string,
): Promise<Template | string> {
  const key = `${TEMPLATES_KEY}.${name}`;
  let signing: TokenizerSigningKey;
  try {
    const jwks = await readSchemaSource(config.jwks_url, cwd);
    signing = await signingKeyFromJwks(jwks.toString('utf8'));
  } catch (error) {
    return `${key}.jwks_url: ${(error as Error).message}`;
  }
  let mapper: JsonnetProgram | undefined;
  if (config.claims_mapper_url) {
    try {
      const source = await readSchemaSource(config.claims_mapper_url, cwd);
      mapper = jsonnet.compile(source.toString('utf8'), `${name}.jsonnet`);
    } catch (error) {
      return `${key}.claims_mapper_url: ${(error as Error).message}`;
    }
  }
  return {
    ttlMs: parseDuration(config.ttl ?? '1m'),
    subjectSource: config.subject_source ?? 'id',
    key: signing,
    ...(mapper ? { mapper } : {}),
  };
}

/**
 * Kratos' session tokenizer: whoami with `tokenize_as=<name>` also answers the session as a JWT,
 * signed with the first key of the template's JWKS. Keys and mappers are read and checked once,
 * at start; one that cannot be used stops the start with a line naming its key.
 */
export class SessionTokenizer {
  private constructor(
    private readonly templates: Map<string, Template>,
    private readonly config: ConfigService,
    private readonly clock: Clock,
  ) {}

  static async load(
    config: ConfigService,
    jsonnet: Jsonnet,
    clock: Clock,
    cwd = process.cwd(),
  ): Promise<SessionTokenizer> {
    const configured = config.get<Record<string, TemplateConfig>>(TEMPLATES_KEY) ?? {};
    const templates = new Map<string, Template>();
    const problems: string[] = [];
    for (const [name, entry] of Object.entries(configured)) {
      const loaded = await loadTemplate(name, entry, jsonnet, cwd);
      if (typeof loaded === 'string') problems.push(loaded);
      else templates.set(name, loaded);
    }
    if (problems.length > 0) throw new ConfigError(problems);
    return new SessionTokenizer(templates, config, clock);
  }

  /** The signed JWT; `presented` is the session JSON the mapper sees as `std.extVar('session')`. */
  async tokenize(name: string, session: SessionEntity, presented: unknown): Promise<string> {
    const template = this.templates.get(name);
    if (!template) {
      throw new ApiError(400, { reason: `Unable to find tokenizer template "${name}".` });
    }
    const built = buildClaims(
      {
        issuer: this.config.listen('public').baseUrl.href,
        now: this.clock.now(),
        ttlMs: template.ttlMs,
        subjectSource: template.subjectSource,
        sessionId: session.id,
        identityId: session.identityId,
        externalId: session.identity?.externalId ?? null,
      },
      template.mapper,
      presented,
    );
    if (!built.ok) {
      throw new ApiError(400, {
        reason: built.reason,
        ...(built.debug ? { details: { jsonnet: built.debug } } : {}),
      });
    }
    const { alg, kid, key } = template.key;
    return new SignJWT(built.claims)
      .setProtectedHeader({ alg, typ: 'JWT', ...(kid ? { kid } : {}) })
      .sign(key);
  }
}
