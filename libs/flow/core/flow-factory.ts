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
  /** The browser's raw CSRF cookie token; absent for API flows. */
  csrfToken?: string;
  identitySchema?: string | null;
}

/** The fields every new flow starts with: ids, lifespan, the form action and its CSRF node. */
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
        nodes: [csrfNode(input.csrfToken ? this.csrf.mask(input.csrfToken) : '')],
      },
      csrfTokenHash: input.csrfToken ? sha256(input.csrfToken) : '',
      identitySchema: input.identitySchema ?? null,
      transientPayload: null,
      internalContext: null,
      createdAt: now,
      updatedAt: now,
    });
    return flow;
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
    });
    flow.csrfTokenHash = expired.csrfTokenHash;
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
