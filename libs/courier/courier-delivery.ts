import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { CourierChannels } from './courier-channels.js';
import { AppLogger } from '../logging/index.js';
import { Clock } from '../persistence/index.js';
import { type CourierMessageEntity, MessageStatus } from './courier-message.entity.js';
import { CourierMessageRepository } from './courier-message.repository.js';
import { backoffAfter, COURIER_OPTIONS, type CourierOptions, maxAttempts } from './courier.options.js';
import { DeliveryCounts } from './delivery-counts.js';

export type DeliveryOutcome = 'sent' | 'retry' | 'abandoned';

/** Sends one claimed message over its channel and records the attempt on the row. */
@Injectable()
export class CourierDelivery implements OnApplicationShutdown {
  constructor(
    @Inject(COURIER_OPTIONS) private readonly options: CourierOptions,
    private readonly channels: CourierChannels,
    private readonly messages: CourierMessageRepository,
    private readonly clock: Clock,
    private readonly logger: AppLogger,
    private readonly counts: DeliveryCounts,
  ) {}

  async deliver(message: CourierMessageEntity): Promise<DeliveryOutcome> {
    const fields = {
      message_id: message.id,
      template_type: message.templateType,
      attempt: message.sendCount,
    };
    // Only reachable when a worker died mid-send on the last attempt.
    if (message.sendCount > maxAttempts(this.options)) {
      await this.messages.abandon(message, this.clock.now());
      this.logger.warn('courier message abandoned: retries exhausted', fields);
      return 'abandoned';
    }
    const channel = this.channels.for(message);
    try {
      if (channel) await sendTraced(message, () => channel.send(message));
      else this.logInsteadOfSending(message);
    } catch (error) {
      this.counts.failed(message.channel ?? message.type);
      return this.failed(message, error as Error);
    }
    this.counts.sent(message.channel ?? message.type);
    await this.messages.recordSuccess(message, this.clock.now());
    this.logger.info('courier message sent', { ...fields, channel: message.channel });
    return 'sent';
  }

  /** `--dev` without a channel for the message: the log is the outbox. */
  private logInsteadOfSending(message: CourierMessageEntity): void {
    this.logger.info('courier message not sent (no channel configured, --dev logs it instead)', {
      message_id: message.id,
      type: message.type,
      recipient: message.recipient,
      subject: message.subject,
      body: message.body,
    });
  }

  private async failed(message: CourierMessageEntity, error: Error): Promise<DeliveryOutcome> {
    const now = this.clock.now();
    const abandoned = message.sendCount >= maxAttempts(this.options);
    const sendAfter = abandoned
      ? null
      : new Date(now.getTime() + backoffAfter(this.options, message.sendCount));
    await this.messages.recordFailure(
      message,
      dispatchError(error),
      { status: abandoned ? MessageStatus.abandoned : MessageStatus.queued, sendAfter },
      now,
    );
    this.logger.warn(
      abandoned ? 'courier message abandoned: retries exhausted' : 'courier message failed, will retry',
      {
        message_id: message.id,
        attempt: message.sendCount,
        error: error.message,
        ...(sendAfter ? { retry_at: sendAfter.toISOString() } : {}),
      },
    );
    return abandoned ? 'abandoned' : 'retry';
  }

  onApplicationShutdown(): void {
    this.channels.close();
  }
}

/** What a failed dispatch records: the message and, when the transport gave one, its code. */
function dispatchError(error: Error): Record<string, unknown> {
  const code = (error as Error & { code?: unknown }).code;
  return { message: error.message, ...(typeof code === 'string' ? { code } : {}) };
}

/** A producer span per send (a no-op unless tracing is on): the message's id and kind, never its recipient. */
function sendTraced(message: CourierMessageEntity, send: () => Promise<void>): Promise<void> {
  return trace.getTracer('tessera').startActiveSpan(
    'courier send',
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        'messaging.message.id': message.id,
        'tessera.courier.channel': message.channel ?? '',
        'tessera.courier.template_type': message.templateType ?? '',
        'tessera.courier.attempt': message.sendCount,
      },
    },
    async (span: Span): Promise<void> => {
      try {
        await send();
      } catch (error) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}
