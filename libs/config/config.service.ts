import { Injectable } from '@nestjs/common';
import { parseByteSize, parseDuration } from './duration.js';
import { type LoadedConfig } from './config.loader.js';

export type ServerKind = 'public' | 'admin';

export interface ListenAddress {
  host: string;
  port: number;
  /** Absolute URL every link Tessera emits is built from; always ends with `/`. */
  baseUrl: URL;
}

export interface IdentitySchemaConfig {
  id: string;
  url: string;
  selfserviceSelectable: boolean;
}

/** One configured admin API key: a name for logs and the SHA-256 (hex) of the key itself. */
export interface AdminApiKeyEntry {
  id: string;
  hash: string;
}

export interface HashersConfig {
  algorithm: 'argon2' | 'bcrypt';
  argon2: {
    memoryKiB: number;
    iterations: number;
    parallelism: number;
    saltLength: number;
    keyLength: number;
  };
  bcrypt: { cost: number };
}

/** Distinct paths (and duration texts) kept: every one in the code, with room to spare. */
const MAX_KEPT_PATHS = 2048;

/** Typed, read-only access to the validated configuration. The only reader of raw config. */
@Injectable()
export class ConfigService {
  private readonly values: Record<string, unknown>;
  /** A path's segments, split once: a sign-in reads the configuration dozens of times. */
  private readonly segments = new Map<string, readonly string[]>();
  /** Base URLs by listener, as `href`: links are built on every request. */
  private readonly baseUrls = new Map<ServerKind, string>();
  /** Durations by their text (`1h`, `30m`): every flow reads its lifespan. */
  private readonly durations = new Map<string, number>();

  constructor(private readonly loaded: LoadedConfig) {
    this.values = loaded.values;
  }

  /** Raw value at a dotted path, for the rare key without a typed getter. */
  get<T>(path: string): T | undefined {
    let segments = this.segments.get(path);
    if (segments === undefined) {
      segments = path.split('.');
      if (this.segments.size < MAX_KEPT_PATHS) this.segments.set(path, segments);
    }
    let cursor: unknown = this.values;
    for (const segment of segments) cursor = (cursor as Record<string, unknown> | undefined)?.[segment];
    return cursor as T | undefined;
  }

  get dev(): boolean {
    return this.values['dev'] === true;
  }

  get dsn(): string {
    return this.get<string>('dsn')!;
  }

  get secretValues(): readonly string[] {
    return this.loaded.secrets;
  }

  /**
   * Kratos' registration style: `profile_first` (two steps, the default) unless `style: unified`
   * or the deprecated `enable_legacy_one_step: true` asks for the one-step form.
   */
  get registrationStyle(): 'unified' | 'profile_first' {
    if (this.get<boolean>('selfservice.flows.registration.enable_legacy_one_step') === true) return 'unified';
    return this.get<string>('selfservice.flows.registration.style') === 'unified'
      ? 'unified'
      : 'profile_first';
  }

  get logLevel(): string {
    const level = this.get<string>('log.level') ?? 'info';
    return level === 'warning' ? 'warn' : level === 'panic' ? 'fatal' : level;
  }

  listen(kind: ServerKind): ListenAddress {
    const host = this.get<string>(`serve.${kind}.host`)!;
    const port = this.get<number>(`serve.${kind}.port`)!;
    const configured = this.get<string>(`serve.${kind}.base_url`);
    const shownHost = host === '0.0.0.0' || host === '' ? '127.0.0.1' : host === '::' ? '[::1]' : host;
    const baseUrl = new URL(configured ?? `http://${shownHost}:${port}/`);
    if (!baseUrl.pathname.endsWith('/')) baseUrl.pathname += '/';
    return { host, port, baseUrl };
  }

  /** An absolute URL on the public or admin base URL, for Location headers and links. */
  url(kind: ServerKind, path: string): string {
    let base = this.baseUrls.get(kind);
    if (base === undefined) {
      base = this.listen(kind).baseUrl.href;
      this.baseUrls.set(kind, base);
    }
    return new URL(path.charCodeAt(0) === 0x2f ? path.slice(1) : path, base).href;
  }

  get adminApiKeys(): AdminApiKeyEntry[] {
    return (this.get<AdminApiKeyEntry[]>('serve.admin.api_keys') ?? []).map(({ id, hash }) => ({
      id,
      hash: hash.toLowerCase(),
    }));
  }

  get shutdownGracePeriodMs(): number {
    return this.duration('serve.shutdown.grace_period', '30s');
  }

  get identitySchemas(): { defaultSchemaId: string; schemas: IdentitySchemaConfig[] } {
    const schemas =
      this.get<{ id: string; url: string; selfservice_selectable?: boolean }[]>('identity.schemas')!;
    return {
      defaultSchemaId: this.get<string>('identity.default_schema_id')!,
      schemas: schemas.map((s) => ({
        id: s.id,
        url: s.url,
        selfserviceSelectable: s.selfservice_selectable === true,
      })),
    };
  }

  get hashers(): HashersConfig {
    const argon2 = this.get<Record<string, number | string>>('hashers.argon2') ?? {};
    const minBcrypt = this.dev ? 4 : 12;
    return {
      algorithm: this.get<'argon2' | 'bcrypt'>('hashers.algorithm')!,
      argon2: {
        memoryKiB: Math.floor(parseByteSize(String(argon2['memory'])) / 1024),
        iterations: Number(argon2['iterations']),
        parallelism: Number(argon2['parallelism']),
        saltLength: Number(argon2['salt_length']),
        keyLength: Number(argon2['key_length']),
      },
      bcrypt: { cost: Math.max(minBcrypt, this.get<number>('hashers.bcrypt.cost') ?? 12) },
    };
  }

  duration(path: string, fallback: string): number {
    const text = this.get<string>(path) ?? fallback;
    let ms = this.durations.get(text);
    if (ms === undefined) {
      ms = parseDuration(text);
      if (this.durations.size < MAX_KEPT_PATHS) this.durations.set(text, ms);
    }
    return ms;
  }
}
