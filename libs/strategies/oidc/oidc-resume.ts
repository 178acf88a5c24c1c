import { type FlowContext } from '../../flow/index.js';
import { type IdentityEntity } from '../../identity/index.js';
import { type ProviderIdentity } from './providers/index.js';

/** The return leg the callback hands the flow: the provider and the verified person. */
export interface OidcResume {
  provider: string;
  person: ProviderIdentity;
  /** The identity with this connection, when the callback has loaded it already (one look-up). */
  identity?: IdentityEntity;
}

export const oidcResumeOf = (ctx: FlowContext): OidcResume | undefined =>
  ctx.resume?.['oidc'] as OidcResume | undefined;

/** The credential identifier of a connection: `<provider>:<subject>`. */
export const oidcIdentifier = (provider: string, subject: string) => `${provider}:${subject}`;
