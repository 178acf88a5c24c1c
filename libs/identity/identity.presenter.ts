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
  constructor(
    private readonly config: ConfigService,
    private readonly cipher: Cipher,
  ) {}

  /** Credential configs appear only for types named in `view.includeCredentials`, on admin views. */
  present(identity: IdentityEntity, view: IdentityView): IdentityJson {
    return identityJson(
      identity,
      identitySchemaUrl(this.config.listen('public').baseUrl, identity.schemaId),
      { ...view, exportConfig: (credential) => exportedCredentialConfig(credential, this.cipher) },
    );
  }
}
