import { Injectable } from '@nestjs/common';
import { Clock, Database, newId } from '../persistence/index.js';
import { CourierMessageEntity, MessageStatus } from './courier-message.entity.js';
import { CourierMessageRepository, type MessagePageQuery } from './courier-message.repository.js';
import { Courier, type OutgoingMessage } from './courier.port.js';
import { CourierTemplates } from './courier-templates.js';

/** What happens once a queued message is committed: wake the poller, or put a job on the queue. */
export abstract class CourierTrigger {
  abstract messageQueued(id: string): Promise<void>;
}

/**
 * Renders a message when it is queued and stores it in the caller's transaction, so the code it
 * carries and the message commit together; delivery is triggered only after the commit.
 */
@Injectable()
export class CourierService extends Courier {
  constructor(
    private readonly db: Database,
    private readonly messages: CourierMessageRepository,
    private readonly templates: CourierTemplates,
    private readonly trigger: CourierTrigger,
    private readonly clock: Clock,
  ) {
    super();
  }

  async send(outgoing: OutgoingMessage): Promise<string> {
    const channel = outgoing.channel ?? 'email';
    const model = { To: outgoing.recipient, ...outgoing.data };
    const rendered = this.templates.render(outgoing.templateType, channel, model);
    const now = this.clock.now();
    const message = Object.assign(new CourierMessageEntity(), {
      id: newId(now.getTime()),
      type: channel,
      status: MessageStatus.queued,
      recipient: outgoing.recipient,
      subject: rendered.subject,
      body: rendered.body,
      bodyHtml: rendered.bodyHtml,
      templateType: outgoing.templateType,
      templateData: model,
      sendCount: 0,
      identityId: outgoing.identityId ?? null,
      channel,
      sendAfter: null,
      claimToken: null,
      claimedAt: null,
      createdAt: now,
      updatedAt: now,
    });
    await this.db.transaction(async () => {
      await this.messages.insert(message);
      await this.db.afterCommit(() => this.trigger.messageQueued(message.id));
    });
    return message.id;
  }

  /** A keyset page of messages with their dispatches, oldest first. */
  list(query: MessagePageQuery): Promise<CourierMessageEntity[]> {
    return this.messages.page(query);
  }

  get(id: string): Promise<CourierMessageEntity | null> {
    return this.messages.findById(id);
  }
}

/** Nothing to wake: the process that delivers is elsewhere and polls the table. */
export class NoopTrigger extends CourierTrigger {
  async messageQueued(): Promise<void> {}
}
