import { Injectable } from '@nestjs/common';
import { ConfigService } from '../../config/index.js';
import { Clock, newId } from '../../persistence/index.js';
import { CsrfTokens, sha256 } from './csrf.js';
import { type FlowType, type SelfServiceFlow } from './flow.entity.js';
import { csrfNode } from './ui.js';

export type FlowKind = 'login' | 'registration' | 'settings' | 'recovery' | 'verification';

export interface NewFlow {
  type: FlowType;
  requestUrl: string;
  returnTo: string | null;
  /**
   * How a browser flow is bound to its browser (API flows have none): the browser's raw CSRF
   * cookie token (`CsrfTokens.ensure`) when the browser asks for the flow; the binding of the
   * browser flow being submitted when that submission starts this one (a verification flow after
   * registration); or, for a flow an admin makes for someone else, the first browser that opens it.
   */
  csrfToken?: string;
  sameBrowserAs?: Pick<SelfServiceFlow, 'csrfTokenHash'>;
  boundOnOpen?: boolean;
  identitySchema?: string | null;
}

/** A browser flow bound to no browser would be a flow anyone could submit for anyone. */
function csrfHashOf(input: NewFlow): string {
  if (input.type !== 'browser') return '';
  if (input.csrfToken) return sha256(input.csrfToken);
  if (input.sameBrowserAs?.csrfTokenHash) return input.sameBrowserAs.csrfTokenHash;
  if (input.boundOnOpen) return '';
  throw new Error('A browser flow must be bound to the browser it is made for.');
}

/**
 * The fields every new flow starts with: ids, lifespan, the form action and its CSRF node. Every
 * flow is made here, whichever route, hook or admin call starts it, so every browser flow is bound
 * to a browser (its CSRF cookie's hash); the node's value is made per answer (`CsrfTokens.present`).
 */
@Injectable()
export class FlowFactory {
  constructor(
    private readonly config: ConfigService,
    private readonly clock: Clock,
    private readonly csrf: CsrfTokens,
  ) {}

  fill<T extends SelfServiceFlow>(flow: T, kind: FlowKind, input: NewFlow): T {
    const now = this.clock.now();
    const id = newId(now.getTime());
    Object.assign(flow, {
      id,
      type: input.type,
      requestUrl: input.requestUrl,
      returnTo: input.returnTo,
      issuedAt: now,
      expiresAt: new Date(now.getTime() + this.config.duration(`selfservice.flows.${kind}.lifespan`, '1h')),
      state: 'choose_method',
      active: null,
      ui: {
        action: this.config.url('public', `self-service/${kind}?flow=${id}`),
        method: 'POST',
        nodes: [csrfNode('')],
      },
      csrfTokenHash: csrfHashOf(input),
      identitySchema: input.identitySchema ?? null,
      transientPayload: null,
      internalContext: null,
      createdAt: now,
      updatedAt: now,
    });
    return this.csrf.present(flow, input.csrfToken);
  }

  /**
   * The fresh flow that replaces an expired one: same kind of client, same request and return_to,
   * still bound to the same browser. The caller adds its nodes and the expiry message.
   */
  successor<T extends SelfServiceFlow>(kind: FlowKind, expired: T, empty: T): T {
    const flow = this.fill(empty, kind, {
      type: expired.type,
      requestUrl: expired.requestUrl,
      returnTo: expired.returnTo,
      identitySchema: expired.identitySchema,
      sameBrowserAs: expired,
      boundOnOpen: true,
    });
    flow.ui.nodes[0] = expired.ui.nodes[0]!;
    return flow;
  }

  uiUrl(kind: FlowKind, flowId: string): string {
    const fallback = `https://www.ory.com/kratos/docs/fallback/${kind}`;
    const url = new URL(this.config.get<string>(`selfservice.flows.${kind}.ui_url`) ?? fallback);
    url.searchParams.set('flow', flowId);
    return url.href;
  }
}
