import { OidcConversion } from '../oidc-conversion.js';
import { Injectable } from '@nestjs/common';
import { decodeJwt } from 'jose';
import { ConfigService } from '../../../config/index.js';
import { ApiError } from '../../../errors/index.js';
import {
  addUiMessage,
  clearMessages,
  type ClientKind,
  type LoginFlowEntity,
  LoginFlowService,
  type LoginOutcome,
  RegistrationFlowService,
  type RegistrationOutcome,
} from '../../../flow/index.js';
import { SecretCipher } from '../../../hash/index.js';
import { IdentityRepository } from '../../../identity/index.js';
import { type DeviceInfo, type SessionEntity } from '../../../session/index.js';
import { Text } from '../../../text/index.js';
import { OidcDuplicateError, OidcLinking } from '../oidc-linking.js';
import { oidcIdentifier, type OidcResume } from '../oidc-resume.js';
import { IdTokenRefusedError } from '../id-token/id-token-verifier.js';
import { OidcIdTokens } from '../id-token/oidc-id-tokens.js';
import { sameSecret } from '../id-token/id-token-nonce.js';
import { openFedcmNonce, sealFedcmNonce } from './fedcm-nonce.js';

/** One entry of `createFedcmFlowResponse.providers`: what `navigator.credentials.get` takes. */
export interface FedcmProvider {
  config_url: string;
  client_id: string;
  nonce: string;
  parameters: Record<string, string>;
}

export interface FedcmSubmission {
  body: Record<string, unknown>;
  /** Checks the browser's CSRF token against the flow (throws the CSRF error) and says who asks. */
  client: (flow: LoginFlowEntity) => ClientKind;
  session: SessionEntity | null;
  device: DeviceInfo;
}

export type FedcmOutcome =
  | { kind: 'login'; outcome: LoginOutcome }
  | { kind: 'registration'; outcome: RegistrationOutcome }
  /** Back to the login flow, with its messages (400 for JSON, the login UI for browsers). */
  | { kind: 'flow'; flow: LoginFlowEntity };

const badRequest = (reason: string) => new ApiError(400, { reason });

/**
 * FedCM (`/self-service/fed-cm/*`): the parameters open a browser login flow and give each FedCM
 * provider a sealed nonce naming it; the submitted token must be an ID token of that provider
 * carrying that nonce. Then the person signs in by `<provider>:<subject>`, or signs up through
 * the mapper, as after the provider's callback.
 */
@Injectable()
export class FedcmService {
  private readonly cipher: SecretCipher;

  constructor(
    config: ConfigService,
    private readonly idTokens: OidcIdTokens,
    private readonly logins: LoginFlowService,
    private readonly registrations: RegistrationFlowService,
    private readonly identities: IdentityRepository,
    private readonly linking: OidcLinking,
    private readonly conversion: OidcConversion,
  ) {
    const secrets = (path: string) => config.get<string[]>(path) ?? [];
    this.cipher = new SecretCipher([...secrets('secrets.cipher'), ...secrets('secrets.default')]);
  }

  async parameters(input: {
    csrfToken: string;
    requestUrl: string;
    session: SessionEntity | null;
  }): Promise<FedcmProvider[]> {
    const flow = await this.logins.create({
      type: 'browser',
      requestUrl: input.requestUrl,
      refresh: false,
      aal: 'aal1',
      session: input.session,
      csrfToken: input.csrfToken,
    });
    return this.idTokens.fedcmProviders().map((config) => {
      const nonce = sealFedcmNonce(this.cipher, { flowId: flow.id, provider: config.id });
      return {
        config_url: config.fedcm_config_url!,
        client_id: config.client_id,
        nonce,
        parameters: { nonce },
      };
    });
  }

  async submit(input: FedcmSubmission): Promise<FedcmOutcome> {
    const { body } = input;
    const token = body['token'];
    if (typeof token !== 'string' || token === '') throw badRequest('The FedCM token is missing.');
    let claimed: unknown;
    try {
      claimed = decodeJwt(token)['nonce'];
    } catch {
      throw badRequest('The FedCM token is not a JSON Web Token.');
    }
    const nonce = typeof claimed === 'string' ? openFedcmNonce(this.cipher, claimed) : null;
    if (!nonce) throw badRequest('The FedCM token does not carry a nonce issued by this server.');
    const flow = await this.logins.get(nonce.flowId);
    const client = input.client(flow);
    if (flow.state === 'passed_challenge') {
      throw badRequest('This FedCM nonce was used already; get new parameters.');
    }
    if (this.logins.isExpired(flow)) {
      return {
        kind: 'login',
        outcome: await this.logins.submit(flow, { ...this.submitBase(input, client), body: {} }),
      };
    }
    let resume: OidcResume;
    try {
      const submitted = body['nonce'];
      if (typeof submitted === 'string' && submitted !== '' && !sameSecret(submitted, claimed as string)) {
        throw new IdTokenRefusedError('The supplied nonce does not match the nonce from the id_token');
      }
      resume = await this.idTokens.verify(nonce.provider, token, claimed as string);
    } catch (error) {
      if (!(error instanceof IdTokenRefusedError)) throw error;
      clearMessages(flow.ui);
      addUiMessage(flow.ui, Text.reason(error.message));
      await this.logins.save(flow);
      return { kind: 'flow', flow };
    }
    const submit = {
      ...this.submitBase(input, client),
      body: {
        method: 'oidc',
        provider: nonce.provider,
        ...(isObject(body['transient_payload']) ? { transient_payload: body['transient_payload'] } : {}),
      },
      resume: { oidc: resume },
    };
    const known = await this.identities.findCredentialByIdentifier(
      'oidc',
      oidcIdentifier(nonce.provider, resume.person.claims.sub),
    );
    if (known) return { kind: 'login', outcome: await this.logins.submit(flow, submit) };
    // The nonce is spent once a verified token is taken, whatever the sign-up makes of it.
    flow.state = 'passed_challenge';
    await this.logins.save(flow);
    const registration = await this.conversion.registrationFor(flow);
    try {
      return { kind: 'registration', outcome: await this.registrations.submit(registration, submit) };
    } catch (error) {
      if (!(error instanceof OidcDuplicateError)) throw error;
      await this.linking.hold(flow, error);
      await this.logins.save(flow);
      return { kind: 'flow', flow };
    }
  }

  private submitBase(input: FedcmSubmission, client: ClientKind) {
    return { client, device: input.device, session: input.session };
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
