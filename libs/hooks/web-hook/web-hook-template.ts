import { Jsonnet, type JsonnetProgram } from '../../jsonnet/index.js';
import { readSchemaSource } from '../../schema/index.js';

/** Kratos caches templates fetched over HTTP for 60 minutes; files are read on every call. */
const REMOTE_TTL_MS = 60 * 60 * 1000;

/** Why a body could not be built; the call fails with it (Kratos' generic error). */
export class WebHookTemplateError extends Error {
  override readonly name = 'WebHookTemplateError';
}

/** `error "cancel"` in the template: no request is sent and the hook counts as done. */
export class WebHookCancelled extends Error {
  override readonly name = 'WebHookCancelled';
}

/**
 * The web hook's Jsonnet body as Kratos reads it: at call time, `file://` (or a bare path, the
 * deprecated form) on every call, `base64://` as given, `http(s)://` fetched and kept 60 minutes.
 * Compiled programs are kept per source text, so an unchanged file is not parsed again.
 */
export class WebHookTemplates {
  private readonly remote = new Map<string, { at: number; source: Promise<string> }>();
  private readonly compiled = new Map<string, JsonnetProgram>();

  constructor(
    private readonly jsonnet: Jsonnet,
    private readonly baseDir: string,
    private readonly now: () => number = Date.now,
  ) {}

  async render(uri: string, ctx: Record<string, unknown>): Promise<unknown> {
    const source = await this.source(uri);
    let program = this.compiled.get(source);
    if (!program) {
      try {
        program = this.jsonnet.compile(source, 'body.jsonnet');
      } catch (error) {
        throw new WebHookTemplateError(`the web hook body does not compile: ${(error as Error).message}`);
      }
      if (this.compiled.size > 256) this.compiled.clear();
      this.compiled.set(source, program);
    }
    const result = program.evaluate({}, { ctx });
    if (result.ok) return result.value;
    if (result.error.raised === 'cancel') throw new WebHookCancelled('the web hook body cancelled the call');
    throw new WebHookTemplateError(`the web hook body failed: ${result.error.message}`);
  }

  private async source(uri: string): Promise<string> {
    if (uri === '') throw new WebHookTemplateError('got empty template path for request with body');
    const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(uri)?.[1]?.toLowerCase();
    if (scheme === 'http' || scheme === 'https') return this.fetched(uri);
    return this.read(scheme ? uri : `file://${uri}`);
  }

  private fetched(uri: string): Promise<string> {
    const cached = this.remote.get(uri);
    if (cached && this.now() - cached.at < REMOTE_TTL_MS) return cached.source;
    const source = this.read(uri);
    this.remote.set(uri, { at: this.now(), source });
    source.catch(() => this.remote.delete(uri));
    return source;
  }

  private async read(uri: string): Promise<string> {
    try {
      return (await readSchemaSource(uri, this.baseDir)).toString('utf8');
    } catch (error) {
      throw new WebHookTemplateError(
        `the web hook body ${uri.slice(0, 80)} cannot be read: ${(error as Error).message}`,
      );
    }
  }
}
