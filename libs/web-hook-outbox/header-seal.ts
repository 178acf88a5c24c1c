import { Injectable } from '@nestjs/common';
import { ConfigService } from '../config/index.js';
import { SecretCipher } from '../hash/index.js';

/**
 * Web hook headers may carry an API key or basic-auth credentials, so at rest they are sealed
 * with `secrets.cipher` (AES-256-GCM, as TOTP seeds and OIDC tokens), bound to the row id. Without
 * a cipher secret (allowed when no method seals secrets) they are stored as plain JSON, like the
 * courier's own HTTP request config lives in plain config.
 */
@Injectable()
export class HeaderSeal {
  private readonly cipher: SecretCipher | undefined;

  constructor(config: ConfigService) {
    const secrets = config.get<string[]>('secrets.cipher') ?? [];
    this.cipher = secrets.length > 0 ? new SecretCipher(secrets) : undefined;
  }

  seal(id: string, headers: Record<string, string>): string {
    const json = JSON.stringify(headers);
    return this.cipher ? this.cipher.encrypt(json, context(id)) : json;
  }

  open(id: string, stored: string): Record<string, string> {
    const json = stored.startsWith('{') || !this.cipher ? stored : this.cipher.decrypt(stored, context(id));
    return JSON.parse(json) as Record<string, string>;
  }
}

const context = (id: string) => `web_hook_deliveries.headers:${id}`;
