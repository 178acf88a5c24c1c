import { Injectable } from '@nestjs/common';
import { ConfigService } from '../config/index.js';
import { Cipher } from '../hash/index.js';
import { identitySchemaUrl } from '../schema/index.js';
import { exportedCredentialConfig } from './credential-export.js';
import { type IdentityEntity } from './identity.entity.js';
import { identityJson, type IdentityJson, type IdentityView } from './identity.wire.js';

/** Renders identities as the contract's JSON, with schema URLs on the public base URL. */
@Injectable()
export class IdentityPresenter {
  /** Schema id → its URL; the configuration does not change while the process runs. */
  private readonly schemaUrls = new Map<string, string>();

  constructor(
    private readonly config: ConfigService,
    private readonly cipher: Cipher,
  ) {}

  /** Credential configs appear only for types named in `view.includeCredentials`, on admin views. */
  present(identity: IdentityEntity, view: IdentityView): IdentityJson {
    return identityJson(identity, this.schemaUrl(identity.schemaId), {
      ...view,
      exportConfig: (credential) => exportedCredentialConfig(credential, this.cipher),
    });
  }

  schemaUrl(schemaId: string): string {
    let url = this.schemaUrls.get(schemaId);
    if (url === undefined) {
      url = identitySchemaUrl(this.config.listen('public').baseUrl, schemaId);
      if (this.schemaUrls.size >= 1024) this.schemaUrls.clear();
      this.schemaUrls.set(schemaId, url);
    }
    return url;
  }
}
