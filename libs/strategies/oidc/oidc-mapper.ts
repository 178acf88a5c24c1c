import { Injectable } from '@nestjs/common';
import { Jsonnet, type JsonnetProgram } from '../../jsonnet/index.js';
import { readSchemaSource } from '../../schema/index.js';
import { type OidcClaims } from './oidc-claims.js';
import { type SocialProvider } from './providers/index.js';

/** What the mapper made of the claims. */
export interface MappedIdentity {
  traits: Record<string, unknown>;
  verifiedAddresses: { via: string; value: string }[];
  metadataPublic?: Record<string, unknown>;
  metadataAdmin?: Record<string, unknown>;
}

export type MapperResult = { ok: true; identity: MappedIdentity } | { ok: false; reason: string };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The provider's Jsonnet mapper (`mapper_url`: file://, base64://, http(s)://), compiled once per
 * provider and run in the sandboxed evaluator with `std.extVar('claims')`. Every failure (source
 * unreadable, syntax, runtime, wrong output shape) is a reason for the flow, never a crash.
 */
@Injectable()
export class OidcMapper {
  private readonly programs = new Map<string, Promise<JsonnetProgram>>();

  constructor(private readonly jsonnet: Jsonnet) {}

  private program(provider: SocialProvider): Promise<JsonnetProgram> {
    const url = provider.config.mapper_url;
    let program = this.programs.get(url);
    if (!program) {
      program = readSchemaSource(url, process.cwd()).then((source) =>
        this.jsonnet.compile(source.toString('utf8'), `${provider.config.id}.jsonnet`),
      );
      // A source that could not be read is read again next time (a file fixed, a server back).
      program.catch(() => this.programs.delete(url));
      this.programs.set(url, program);
    }
    return program;
  }

  async map(provider: SocialProvider, claims: OidcClaims): Promise<MapperResult> {
    let program: JsonnetProgram;
    try {
      program = await this.program(provider);
    } catch (error) {
      return { ok: false, reason: `The Jsonnet mapper could not be loaded: ${(error as Error).message}` };
    }
    const result = program.evaluate({ claims });
    if (!result.ok) return { ok: false, reason: `The Jsonnet mapper failed: ${result.error.message}` };
    const identity = isObject(result.value) ? result.value['identity'] : undefined;
    if (!isObject(identity) || !isObject(identity['traits'])) {
      return { ok: false, reason: 'The Jsonnet mapper must return an object at identity.traits.' };
    }
    const verified = identity['verified_addresses'] ?? [];
    if (!Array.isArray(verified)) {
      return { ok: false, reason: 'The Jsonnet mapper must return an array at identity.verified_addresses.' };
    }
    for (const key of ['metadata_public', 'metadata_admin']) {
      if (identity[key] !== undefined && identity[key] !== null && !isObject(identity[key]))
        return { ok: false, reason: `The Jsonnet mapper must return an object at identity.${key}.` };
    }
    return {
      ok: true,
      identity: {
        traits: identity['traits'],
        verifiedAddresses: verified
          .filter(isObject)
          .filter((a) => typeof a['via'] === 'string' && typeof a['value'] === 'string')
          .map((a) => ({ via: a['via'] as string, value: a['value'] as string })),
        ...(isObject(identity['metadata_public']) ? { metadataPublic: identity['metadata_public'] } : {}),
        ...(isObject(identity['metadata_admin']) ? { metadataAdmin: identity['metadata_admin'] } : {}),
      },
    };
  }
}
