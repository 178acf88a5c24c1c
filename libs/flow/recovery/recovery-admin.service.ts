import { Injectable } from '@nestjs/common';
import { ConfigService, parseDuration } from '../../config/index.js';
import { ApiError } from '../../errors/index.js';
import { IdentityRepository } from '../../identity/index.js';
import { Database } from '../../persistence/index.js';
import { CodeText } from '../../text/index.js';
import { OneTimeCodes } from '../codes/one-time-codes.js';
import { codeInputNode } from '../codes/code-nodes.js';
import { ReturnToPolicy, submitNode } from '../core/index.js';
import { RecoveryFlowService } from './recovery-flow.service.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function disabled(): ApiError {
  return new ApiError(404, {
    reason:
      'This endpoint was disabled by system administrator. Please check your url or contact the system administrator to enable it.',
    message: 'The requested resource could not be found',
  });
}

/**
 * Admin-made recovery: a code (`POST /admin/recovery/code`) or a link (`POST /admin/recovery/link`).
 * The admin's request has no browser to bind the flow to: it is bound to the first browser that
 * opens it (the UI reading the flow, or the link followed), and CSRF-checked from then on. Kratos
 * skips the CSRF check on these flows altogether.
 */
@Injectable()
export class RecoveryAdminService {
  constructor(
    private readonly recovery: RecoveryFlowService,
    private readonly identities: IdentityRepository,
    private readonly codes: OneTimeCodes,
    private readonly config: ConfigService,
    private readonly db: Database,
    private readonly returnTo: ReturnToPolicy,
  ) {}

  private body(raw: unknown): Record<string, unknown> {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw))
      throw new ApiError(400, { reason: 'The request body must be a JSON object.' });
    const body = raw as Record<string, unknown>;
    if (typeof body['identity_id'] !== 'string' || !UUID.test(body['identity_id']))
      throw new ApiError(400, { reason: 'identity_id must be the UUID of an identity.' });
    return body;
  }

  private lifespan(value: unknown, fallback: string): number {
    if (value === undefined || value === null || value === '') return parseDuration(fallback);
    let ms: number;
    try {
      ms = typeof value === 'string' ? parseDuration(value) : NaN;
    } catch {
      ms = NaN;
    }
    if (!Number.isFinite(ms) || ms <= 0)
      throw new ApiError(400, { reason: 'expires_in must be a positive duration such as "15m" or "1h".' });
    return ms;
  }

  async code(raw: unknown): Promise<{ recovery_link: string; recovery_code: string; expires_at: string }> {
    if (this.config.get<boolean>('selfservice.methods.code.enabled') === false) throw disabled();
    const body = this.body(raw);
    const flowType = body['flow_type'] ?? 'browser';
    if (flowType !== 'browser' && flowType !== 'api')
      throw new ApiError(400, { reason: 'flow_type must be "browser" or "api".' });
    const lifespan = this.lifespan(
      body['expires_in'],
      this.config.get<string>('selfservice.methods.code.config.lifespan') ?? '15m',
    );
    const identity = await this.identities.findById(body['identity_id'] as string);
    if (!identity) throw new ApiError(404, { reason: 'The requested identity id does not exist.' });
    const flow = this.recovery.build(
      {
        type: flowType,
        requestUrl: this.config.url('public', `self-service/recovery/${flowType}`),
        returnTo: null,
        boundOnOpen: true,
      },
      lifespan,
    );
    flow.state = 'sent_email';
    flow.active = 'code';
    flow.ui.nodes = [
      flow.ui.nodes[0]!,
      codeInputNode(CodeText.labelRecoveryCode()),
      submitNode('code', 'method', 'code', CodeText.labelContinue()),
    ];
    const code = await this.db.transaction(async () => {
      await this.recovery.flows.insert(flow);
      return this.codes.issue(
        'recovery_code',
        flow.id,
        { address: null, via: null, identityId: identity.id },
        flow.expiresAt,
        'flow',
      );
    });
    return {
      recovery_link: this.recovery.uiUrl(flow.id),
      recovery_code: code,
      expires_at: flow.expiresAt.toISOString(),
    };
  }

  async link(
    raw: unknown,
    returnTo: string | undefined,
  ): Promise<{ recovery_link: string; expires_at: string }> {
    if (this.config.get<boolean>('selfservice.methods.link.enabled') === false) throw disabled();
    const body = this.body(raw);
    const lifespan = this.lifespan(
      body['expires_in'],
      this.config.get<string>('selfservice.methods.link.config.lifespan') ?? '1h',
    );
    const identity = await this.identities.findById(body['identity_id'] as string);
    if (!identity) throw new ApiError(400, { reason: 'The requested identity id does not exist.' });
    const flow = this.recovery.build(
      {
        type: 'browser',
        requestUrl: this.config.url('public', 'self-service/recovery/browser'),
        returnTo: this.returnTo.validate(returnTo),
        boundOnOpen: true,
      },
      lifespan,
    );
    flow.state = 'sent_email';
    flow.active = 'link';
    const token = await this.db.transaction(async () => {
      await this.recovery.flows.insert(flow);
      return this.codes.issue(
        'recovery_link',
        flow.id,
        { address: null, via: null, identityId: identity.id },
        flow.expiresAt,
        'flow',
      );
    });
    const link = new URL(this.config.url('public', 'self-service/recovery'));
    link.searchParams.set('flow', flow.id);
    link.searchParams.set('token', token);
    return { recovery_link: link.href, expires_at: flow.expiresAt.toISOString() };
  }
}
