import { Injectable } from '@nestjs/common';
import { randomPKCECodeVerifier } from 'openid-client';
import { ConfigService } from '../../config/index.js';
import {
  addUiMessage,
  type BrowserRedirect,
  type FlowContext,
  type SelfServiceFlow,
} from '../../flow/index.js';
import { SecretCipher } from '../../hash/index.js';
import { SessionTokenExchanges } from '../../session/index.js';
import { Text } from '../../text/index.js';
import { OidcContinuity } from './oidc-continuity.js';
import { OidcProviders } from './oidc-providers.js';
import { initCodeHash, type OidcFlowKind, OidcStateCipher } from './oidc-state.js';
import { ProviderUnavailableError, UPSTREAM_PARAMETERS } from './providers/index.js';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Only the parameters Kratos lets through reach the provider. */
function upstreamOf(body: Record<string, unknown>): Record<string, string> {
  const given = isObject(body['upstream_parameters']) ? body['upstream_parameters'] : {};
  const allowed: Record<string, string> = {};
  for (const key of UPSTREAM_PARAMETERS) {
    if (typeof given[key] === 'string' && given[key] !== '') allowed[key] = given[key];
  }
  return allowed;
}

/**
 * The first leg: seal the state (flow, kind, provider, PKCE verifier, init-code hash), keep the
 * continuity container on the flow, and send the browser to the provider's authorization URL.
 */
@Injectable()
export class OidcStart {
  readonly state: OidcStateCipher;

  constructor(
    config: ConfigService,
    private readonly providers: OidcProviders,
    private readonly exchanges: SessionTokenExchanges,
  ) {
    const secrets = (path: string) => config.get<string[]>(path) ?? [];
    this.state = new OidcStateCipher(
      new SecretCipher([...secrets('secrets.cipher'), ...secrets('secrets.default')]),
    );
  }

  /** The redirect, or null when the provider cannot be reached (the flow then holds a message). */
  async start(
    flow: SelfServiceFlow & { refresh?: boolean },
    kind: OidcFlowKind,
    providerId: string,
    body: Record<string, unknown>,
    ctx: FlowContext,
  ): Promise<BrowserRedirect | null> {
    const provider = this.providers.get(providerId);
    try {
      const codeVerifier = (await provider.usesPkce()) ? randomPKCECodeVerifier() : '';
      // A native app's flow with a token exchange: the callback checks this hash instead of a cookie.
      const exchangeHash = flow.type === 'api' ? await this.exchanges.initCodeHashOf(flow.id) : null;
      const state = this.state.seal({
        flowId: flow.id,
        kind,
        provider: provider.config.id,
        codeVerifier,
        initCodeHash: exchangeHash ?? initCodeHash(),
      });
      const url = await provider.authorizationUrl({
        state,
        redirectUri: this.providers.redirectUri(provider),
        ...(codeVerifier ? { codeVerifier } : {}),
        upstream: upstreamOf(body),
        forceLogin: flow.refresh === true,
      });
      const continuity = OidcContinuity.start(flow, state, ctx.now, {
        ...(kind === 'registration' && isObject(body['traits']) ? { traits: body['traits'] } : {}),
        ...(isObject(body['transient_payload']) ? { transientPayload: body['transient_payload'] } : {}),
      });
      return { url, continuity: { flowId: flow.id, ...continuity } };
    } catch (error) {
      if (!(error instanceof ProviderUnavailableError)) throw error;
      addUiMessage(flow.ui, Text.reason(error.message));
      return null;
    }
  }
}
