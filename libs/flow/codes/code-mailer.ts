import { Injectable } from '@nestjs/common';
import { ConfigService } from '../../config/index.js';
import { Courier, type TemplateType } from '../../courier/index.js';
import { type IdentityEntity, IdentityPresenter } from '../../identity/index.js';
import { type SelfServiceFlow } from '../core/flow.entity.js';
import { secretExpiresAt } from './one-time-codes.js';

export interface CodeMail {
  template: TemplateType;
  to: string;
  via: 'email' | 'sms';
  flow: SelfServiceFlow;
  identity: IdentityEntity | null;
  /** Template fields of the message kind: `RecoveryCode`, `VerificationURL`, … */
  fields: Record<string, unknown>;
}

/** Hands recovery, verification, login and registration messages to the courier with Kratos' model. */
@Injectable()
export class CodeMailer {
  constructor(
    private readonly courier: Courier,
    private readonly presenter: IdentityPresenter,
    private readonly config: ConfigService,
  ) {}

  /** `<public>/self-service/<kind>?flow=<id>&<param>=<value>`, the link a message carries. */
  link(
    kind: 'recovery' | 'verification' | 'login' | 'registration',
    flowId: string,
    param: string,
    value: string,
  ): string {
    const url = new URL(this.config.url('public', `self-service/${kind}`));
    url.searchParams.set('flow', flowId);
    url.searchParams.set(param, value);
    return url.href;
  }

  /** The identity as templates see it in Kratos: traits, addresses and metadata, no credentials. */
  private templateIdentity(identity: IdentityEntity): Record<string, unknown> {
    const { credentials: _credentials, ...rest } = this.presenter.present(identity, {
      admin: true,
    }) as unknown as Record<string, unknown>;
    return rest;
  }

  async send(mail: CodeMail): Promise<void> {
    const now = new Date();
    const method = mail.template.includes('code') ? 'code' : 'link';
    const expiresAt = secretExpiresAt(this.config, method, now, mail.flow.expiresAt);
    await this.courier.send({
      templateType: mail.template,
      recipient: mail.to,
      channel: mail.via,
      identityId: mail.identity?.id ?? null,
      data: {
        To: mail.to,
        ...mail.fields,
        ...(mail.identity ? { Identity: this.templateIdentity(mail.identity) } : {}),
        RequestURL: mail.flow.requestUrl,
        TransientPayload: mail.flow.transientPayload ?? {},
        ExpiresInMinutes: Math.max(0, Math.round((expiresAt.getTime() - now.getTime()) / 60_000)),
      },
    });
  }
}
